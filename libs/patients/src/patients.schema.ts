import { Prop, raw, Schema, SchemaFactory } from '@nestjs/mongoose';
import { Schema as MongooseSchema } from 'mongoose';
import type { AuditDraft } from '@hdp/audit';
import type {
  AddressDto,
  ContactPointDto,
  Gender,
  HumanNameDto,
  IdentifierDto,
  PatientFhirElements,
} from './dto/patient.dto';

/** A patient as stored. `nameNorm` holds the searched name fields lower-cased and accent-stripped. */
@Schema({ collection: 'patients', versionKey: false })
export class PatientDocument {
  @Prop({ type: String, required: true }) _id!: string;
  // The FHIR datatypes below are stored as validated (DTOs and the FHIR face's shapes), not recast.
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) identifier!: IdentifierDto[];
  /**
   * Hashes of `system|value` of each identifier (absent when none): exact identifier search, and one live
   * patient per identifier through the unique index on it (a deletion removes them).
   */
  @Prop({ type: [String], default: undefined }) identifierKeys?: string[];
  @Prop({ type: MongooseSchema.Types.Mixed, required: true }) name!: HumanNameDto;
  @Prop(raw({ family: String, given: [String] })) nameNorm!: { family: string; given: string[] };
  /** Prefixes of the normalised family and given names: what starts-with search matches on. */
  @Prop({ type: [String], default: [] }) familyPrefixes!: string[];
  @Prop({ type: [String], default: [] }) givenPrefixes!: string[];
  @Prop({ required: true }) birthDate!: string;
  @Prop({ type: String, required: true }) gender!: Gender;
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) telecom!: ContactPointDto[];
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) address!: AddressDto[];
  /** The FHIR-only elements ({} when none; absent on records older than them): one document, nothing twice. */
  @Prop({ type: MongooseSchema.Types.Mixed }) fhirElements?: PatientFhirElements;
  @Prop({ required: true }) version!: number;
  @Prop({ required: true }) createdAt!: Date;
  @Prop({ required: true }) updatedAt!: Date;
  @Prop({ required: true }) deleted!: boolean;
  /** Write-ahead audit intents of changes whose ledger entry may not be written yet. */
  @Prop({ type: [MongooseSchema.Types.Mixed], default: [] }) auditOutbox!: AuditDraft[];
}

export const PatientSchema = SchemaFactory.createForClass(PatientDocument);
PatientSchema.index({ identifierKeys: 1 }, { unique: true, sparse: true });
PatientSchema.index({ familyPrefixes: 1, _id: 1 });
PatientSchema.index({ givenPrefixes: 1, _id: 1 });
PatientSchema.index({ birthDate: 1, _id: 1 });
// Searches by gender, by an identifier's value in any system and by _lastUpdated (pages are in id order).
PatientSchema.index({ gender: 1, _id: 1 });
PatientSchema.index({ 'identifier.value': 1, _id: 1 });
PatientSchema.index({ updatedAt: 1, _id: 1 });
PatientSchema.index({ 'auditOutbox.at': 1 });
// The FHIR `_sort` keys (birthdate and _lastUpdated are served by the indexes above): keyset pages on (key, id).
PatientSchema.index({ 'nameNorm.family': 1, _id: 1 });
