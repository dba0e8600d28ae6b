/** The roles the product knows. A principal may hold several. */
export enum Role {
  Clinician = 'clinician',
  PartnerSystem = 'partner-system',
  Auditor = 'auditor',
  Admin = 'admin',
  Patient = 'patient',
}

/** Who is calling: filled by the security pipeline from a bearer token or a subscription key. */
export interface Principal {
  /** Stable subject id (token `sub`, or the subscription id). Never a name or a national identifier. */
  readonly id: string;
  /** The calling application (token `azp`/`client_id`, or the subscription id). */
  readonly clientId: string;
  readonly roles: readonly Role[];
  /** SMART on FHIR scopes granted to the caller. */
  readonly scopes: readonly string[];
  /** Set when the token carries a patient launch context: the caller sees only this patient's records. */
  readonly patientId?: string;
}
