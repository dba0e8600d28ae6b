import { Injectable } from '@nestjs/common';
import {
  MedicationDoseCreateDto,
  MedicationDoseListQueryDto,
  MedicationDosePageDto,
  MedicationDoseResponseDto,
} from './dto/medication-dose.dto';
import { doseRecord, ReportedResource, toDoseResponse, toReportedResource } from './patient-reported.mapper';
import { PatientReportedRecordsService, ReportedSearch } from './patient-reported-records.service';
import { periodBounds, reportedInstant } from './reported-rules';

const KIND = 'MedicationStatement';

/** Medication doses patients say they took: MedicationStatements on the FHIR face, doses on the REST face. */
@Injectable()
export class MedicationDosesService {
  constructor(private readonly records: PatientReportedRecordsService) {}

  async create(patientId: string, dto: MedicationDoseCreateDto): Promise<MedicationDoseResponseDto> {
    return toDoseResponse(await this.record(patientId, dto));
  }

  async get(patientId: string, id: string): Promise<MedicationDoseResponseDto> {
    return toDoseResponse(await this.records.get(KIND, patientId, id));
  }

  async list(patientId: string, query: MedicationDoseListQueryDto): Promise<MedicationDosePageDto> {
    const { from, to, ...paging } = query;
    const page = await this.records.list(KIND, patientId, { ...paging, effectiveAt: periodBounds(from, to) });
    return { items: page.items.map(toDoseResponse), next: page.next };
  }

  /** Records a dose given as a MedicationStatement (already read into the REST shape), for its patient. */
  async createStatement(
    patientId: string,
    dto: MedicationDoseCreateDto,
  ): Promise<ReportedResource<'MedicationStatement'>> {
    return toReportedResource(await this.record(patientId, dto));
  }

  async readStatement(id: string): Promise<ReportedResource<'MedicationStatement'>> {
    return toReportedResource(await this.records.readById(KIND, id));
  }

  async searchStatements(search: ReportedSearch) {
    const page = await this.records.search(KIND, search);
    return {
      items: page.items.map((record) => toReportedResource<'MedicationStatement'>(record)),
      next: page.next,
    };
  }

  private record(patientId: string, dto: MedicationDoseCreateDto) {
    return this.records.record(KIND, patientId, () =>
      doseRecord(dto, patientId, reportedInstant(dto.takenAt, 'takenAt')),
    );
  }
}
