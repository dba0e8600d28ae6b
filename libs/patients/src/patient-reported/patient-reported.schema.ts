import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { AuditDraft } from '@hdp/audit';
import type { MedicationStatement, Observation } from 'fhir/r4';

/** The FHIR resource types patients report as. */
export type ReportedKind = 'Observation' | 'MedicationStatement';

/** A reported resource as held: everything but its id and server `meta.versionId`/`lastUpdated`. */
export type ReportedContent =
  Omit<Observation, 'resourceType' | 'id'> | Omit<MedicationStatement, 'resourceType' | 'id'>;

/**
 * Something a patient recorded about themselves: a measurement (Observation) or a dose taken
 * (MedicationStatement). Kept apart from clinicians' test results, in a collection of their own, with the
 * bucket keys (UTC day, ISO week) and the summarised values stored on write for the store to aggregate.
 */
@Schema({ collection: 'patient_reported_records', versionKey: false })
export class PatientReportedRecord {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ required: true }) patientId!: string;
  @Prop({ type: String, required: true }) kind!: ReportedKind;
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) resource!: ReportedContent;
  /** The LOINC code of a measurement, the medication's code of a dose. */
  @Prop({ required: true }) code!: string;
  @Prop({ required: true }) effectiveAt!: Date;
  @Prop({ required: true }) dayKey!: string;
  @Prop({ required: true }) weekKey!: string;
  /** A measurement's values by their catalogue sample name (`samples.systolic`), in the catalogue's unit. */
  @Prop({ type: MongooseSchema.Types.Mixed }) samples?: Record<string, number>;
  @Prop({ required: true }) version!: number;
  @Prop({ required: true }) createdAt!: Date;
  @Prop({ required: true }) updatedAt!: Date;
  @Prop({ required: true }) deleted!: boolean;
  /** Write-ahead audit intents of changes whose ledger entry may not be written yet. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) auditOutbox!: AuditDraft[];
}

export const PatientReportedSchema = SchemaFactory.createForClass(PatientReportedRecord);
// Listings (one patient's records of a kind, newest first; the page cursor is effectiveAt, _id) and summaries
// (a patient's records over a period, grouped by the bucket keys stored on write).
PatientReportedSchema.index({ patientId: 1, kind: 1, effectiveAt: -1, _id: -1 });
PatientReportedSchema.index({ kind: 1, effectiveAt: -1, _id: -1 });
PatientReportedSchema.index({ 'auditOutbox.at': 1 });
