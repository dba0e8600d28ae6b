import { Injectable } from '@nestjs/common';
import {
  MeasurementCreateDto,
  MeasurementListQueryDto,
  MeasurementPageDto,
  MeasurementResponseDto,
} from './dto/measurement.dto';
import {
  measurementRecord,
  ReportedResource,
  toMeasurementResponse,
  toReportedResource,
} from './patient-reported.mapper';
import { PatientReportedRecordsService, ReportedSearch } from './patient-reported-records.service';
import { checkedMeasurement, periodBounds, reportedInstant } from './reported-rules';

const KIND = 'Observation';

/**
 * Measurements patients record about themselves (weight, blood glucose, blood pressure, steps): survey
 * Observations marked as patient-reported, on the REST face (under the patient) and the FHIR face (by id).
 */
@Injectable()
export class MeasurementsService {
  constructor(private readonly records: PatientReportedRecordsService) {}

  async create(patientId: string, dto: MeasurementCreateDto): Promise<MeasurementResponseDto> {
    const created = await this.records.record(KIND, patientId, () =>
      measurementRecord(
        dto,
        checkedMeasurement(dto),
        patientId,
        reportedInstant(dto.effectiveDateTime, 'effectiveDateTime'),
      ),
    );
    return toMeasurementResponse(created);
  }

  async get(patientId: string, id: string): Promise<MeasurementResponseDto> {
    return toMeasurementResponse(await this.records.get(KIND, patientId, id));
  }

  async list(patientId: string, query: MeasurementListQueryDto): Promise<MeasurementPageDto> {
    const { code, from, to, ...page } = query;
    const found = await this.records.list(KIND, patientId, {
      ...page,
      codes: code ? [code] : undefined,
      effectiveAt: periodBounds(from, to),
    });
    return { items: found.items.map(toMeasurementResponse), next: found.next };
  }

  /** Whether `id` is a patient-reported Observation (the FHIR face routes reads by it). */
  holds(id: string): Promise<boolean> {
    return this.records.holds(KIND, id);
  }

  async readObservation(id: string): Promise<ReportedResource<'Observation'>> {
    return toReportedResource(await this.records.readById(KIND, id));
  }

  /** Patient-reported Observations across patients (the caller's own when confined), newest first. */
  async searchObservations(search: ReportedSearch) {
    const page = await this.records.search(KIND, search);
    return { items: page.items.map((record) => toReportedResource<'Observation'>(record)), next: page.next };
  }
}
