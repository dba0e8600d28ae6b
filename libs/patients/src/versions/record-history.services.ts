import { Injectable } from '@nestjs/common';
import { AuditLedgerService } from '@hdp/audit';
import { PatientRecord } from '../dto/patient.dto';
import { TestResultObservation } from '../dto/test-result.dto';
import { PatientAccessService } from '../patient-access.service';
import { PatientGoneError, PatientNotFoundError, TestResultNotFoundError } from '../patients.errors';
import { mapPatient } from '../patients.mapper';
import { PatientsRepository } from '../patients.repository';
import { PatientDocument } from '../patients.schema';
import { TestResultGoneError } from '../test-results.errors';
import { toTestResultObservation } from '../test-results.mapper';
import { TestResultsRepository } from '../test-results.repository';
import { TestResultDocument } from '../test-results.schema';
import { RecordHistory } from './record-history';

/** The versions of patient records (FHIR vread and history). */
@Injectable()
export class PatientHistoryService extends RecordHistory<PatientDocument, PatientRecord> {
  constructor(repository: PatientsRepository, access: PatientAccessService, ledger: AuditLedgerService) {
    const kind = {
      resourceType: 'Patient',
      store: repository.versions,
      map: mapPatient,
      notFound: () => new PatientNotFoundError(),
      gone: () => new PatientGoneError(),
    };
    super(kind, access, ledger);
  }
}

/** The versions of test results, as Observations (FHIR vread and history). */
@Injectable()
export class TestResultHistoryService extends RecordHistory<TestResultDocument, TestResultObservation> {
  constructor(repository: TestResultsRepository, access: PatientAccessService, ledger: AuditLedgerService) {
    const kind = {
      resourceType: 'TestResult',
      store: repository.versions,
      map: toTestResultObservation,
      notFound: () => new TestResultNotFoundError(),
      gone: () => new TestResultGoneError(),
    };
    super(kind, access, ledger);
  }
}
