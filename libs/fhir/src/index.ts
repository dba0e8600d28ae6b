export { FhirModule } from './fhir.module';
