export { FhirModule } from './fhir.module';
export { capabilityStatement, routeOf } from './capabilities';
export { fhirBodyParserError, isFhirRequest } from './http/fhir-exception.filter';
export { fromFhirPatient, toFhirPatient } from './patient/patient.mapper';
export { NO_ROUTE } from './fallback.controller';
export { ObservationResourceService } from './observation/observation-resource.service';
export { fromFhirObservation, toFhirObservation } from './observation/observation.mapper';
export { DeviceResourceService } from './device/device-resource.service';
export { TransactionRecoveryService } from './bundle/transaction-recovery.service';
