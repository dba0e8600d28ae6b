/**
 * npm run audit:verify — walks every chain of the audit ledger in MONGODB_URI and prints the report;
 * exits 1 when any entry is missing, out of order, altered or wrongly signed. Needs the audit-signing-key secret
 * (AUDIT_SIGNING_KEY locally) and the secrets the app needs to start.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AuditVerifierService } from '@hdp/audit';
import { loadConfig } from '@hdp/platform';
import { AppModule } from '../apps/api/src/app.module';

async function main(): Promise<void> {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...process.env });
  const app = await NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false });
  try {
    const report = await app.get(AuditVerifierService).verify();
    console.log(JSON.stringify(report, null, 2));
    process.exitCode = report.valid ? 0 : 1;
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.name : 'error');
  process.exitCode = 2;
});
