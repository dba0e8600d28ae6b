import { Injectable } from '@nestjs/common';
import { AuditAction, AuditLedgerService } from '@hdp/audit';
import { InvalidInputError } from '@hdp/platform';
import { PatientAccessService } from '../patient-access.service';
import { recordEvent } from '../record-event';
import { BucketKind, bucketBounds } from './bucket-keys';
import { SummaryBucketDto, SummaryQueryDto, SummaryResponseDto, SummarySeriesDto } from './dto/summary.dto';
import { ReportedValue, SUMMARISED_VALUES } from './measurement-catalogue';
import { AUDITED_AS } from './patient-reported-records.service';
import { PatientReportedRepository, SummaryScope } from './patient-reported.repository';

const DAY_MS = 86_400_000;
/** The longest period per bucket kind. */
const MAX_SPAN_DAYS: Record<BucketKind, number> = { day: 92, week: 371 };

/**
 * Min, max, mean and count of a patient's reported values per UTC day or ISO week, computed by the store in
 * one `$group` per series (keyed by the bucket keys stored on write). The raw series never reaches this
 * process.
 */
@Injectable()
export class SummaryService {
  constructor(
    private readonly repository: PatientReportedRepository,
    private readonly access: PatientAccessService,
    private readonly ledger: AuditLedgerService,
  ) {}

  summary(patientId: string, query: SummaryQueryDto): Promise<SummaryResponseDto> {
    const event = recordEvent(AuditAction.Search, AUDITED_AS.Observation, patientId);
    return this.ledger.read(
      event,
      async () => {
        await this.access.requireLivePatient(patientId);
        const { from, to } = periodOf(query);
        const values = valuesOf(query.code);
        const series = await Promise.all(
          values.map((value) =>
            this.seriesOf(value, { patientId, sample: value.sample, bucket: query.bucket, from, to }),
          ),
        );
        return { patientId, bucket: query.bucket, from: from.toISOString(), to: to.toISOString(), series };
      },
      (summary) => summary.series.reduce((total, series) => total + series.buckets.length, 0),
    );
  }

  private async seriesOf(value: ReportedValue, scope: SummaryScope): Promise<SummarySeriesDto> {
    const statistics = await this.repository.bucketStatistics(scope);
    const buckets = statistics.map(({ _id: key, count, sum, min, max }): SummaryBucketDto => {
      const { start, end } = bucketBounds(scope.bucket, key);
      const mean = Math.round((sum / count) * 1e4) / 1e4;
      return { key, start: start.toISOString(), end: end.toISOString(), count, min, max, mean };
    });
    return { code: value.code, unit: value.unit, buckets };
  }
}

function periodOf(query: SummaryQueryDto): { from: Date; to: Date } {
  const from = new Date(query.from);
  const to = new Date(query.to);
  const days = (to.getTime() - from.getTime()) / DAY_MS;
  if (!(days > 0)) throw invalid('to', 'to must be after from');
  const max = MAX_SPAN_DAYS[query.bucket];
  if (days > max) throw invalid('to', `a ${query.bucket} summary covers at most ${max} days`);
  return { from, to };
}

function valuesOf(codes: string): ReportedValue[] {
  const unique = [...new Set(codes.split(','))];
  const known = unique.map((code) => SUMMARISED_VALUES.get(code));
  if (known.some((value) => value === undefined))
    throw invalid('code', `code must name values of ${[...SUMMARISED_VALUES.keys()].join(', ')}`);
  return known as ReportedValue[];
}

function invalid(path: string, message: string): InvalidInputError {
  return new InvalidInputError('The request is invalid.', [{ path, message }]);
}
