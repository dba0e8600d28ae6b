import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

/**
 * Serves the OpenAPI document generated from the controllers at /openapi.json and its UI at /docs.
 * Public by design: these are plain Express routes registered here, outside the global security guard.
 */
export function setUpOpenApi(app: INestApplication): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Health data platform')
      .setDescription('Patient records, test results, the audit ledger, FHIR R4 and device ingestion.')
      .setVersion('1')
      .addBearerAuth()
      .addApiKey({ type: 'apiKey', in: 'header', name: 'Ocp-Apim-Subscription-Key' }, 'subscription-key')
      .build(),
  );
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'openapi.json',
    yamlDocumentUrl: 'openapi.yaml',
  });
}
