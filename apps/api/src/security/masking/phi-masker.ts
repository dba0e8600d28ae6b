/** What one response is shaped by: derived from the caller's roles in PhiMaskingInterceptor. */
export interface MaskingPolicy {
  /** Identifier systems whose values are masked; empty when the caller may see them. */
  readonly maskedSystems: ReadonlySet<string>;
  /** Keys removed wherever they appear (free-text fields such as `note`). */
  readonly removedFields: ReadonlySet<string>;
  /** Extension URLs removed from every `extension` / `modifierExtension` array. */
  readonly removedExtensions: ReadonlySet<string>;
}

const MAX_DEPTH = 64;
const VISIBLE_DIGITS = 3;

/** `9434765919` -> `*******919`: the length stays, the last three characters show. */
export function maskIdentifier(value: string): string {
  if (value.length <= VISIBLE_DIGITS) return '*'.repeat(value.length);
  return '*'.repeat(value.length - VISIBLE_DIGITS) + value.slice(-VISIBLE_DIGITS);
}

/**
 * A copy of a JSON body shaped by the policy: national identifiers (`identifier[]` entries whose `system`
 * is listed) masked, listed fields and extensions removed, at any depth (FHIR Bundles, search pages, DTOs).
 * The input is never modified.
 */
export function maskPhi(input: unknown, policy: MaskingPolicy, depth = 0): unknown {
  const body = serialised(input);
  if (Array.isArray(body)) return body.map((item) => maskPhi(item, policy, depth + 1));
  if (body === null || typeof body !== 'object' || depth > MAX_DEPTH) return body;
  const shaped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (policy.removedFields.has(key)) continue;
    if (key === 'identifier' && Array.isArray(value))
      shaped[key] = value.map((entry) => maskEntry(entry, policy));
    else if ((key === 'extension' || key === 'modifierExtension') && Array.isArray(value))
      shaped[key] = value
        .filter((entry) => !policy.removedExtensions.has((entry as { url?: string } | null)?.url ?? ''))
        .map((entry) => maskPhi(entry, policy, depth + 1));
    else shaped[key] = maskPhi(value, policy, depth + 1);
  }
  return shaped;
}

function maskEntry(entry: unknown, policy: MaskingPolicy): unknown {
  const shaped = maskPhi(entry, policy, 1) as { system?: unknown; value?: unknown } | null;
  if (shaped === null || typeof shaped !== 'object') return shaped;
  if (typeof shaped.system !== 'string' || typeof shaped.value !== 'string') return shaped;
  return policy.maskedSystems.has(shaped.system)
    ? { ...shaped, value: maskIdentifier(shaped.value) }
    : shaped;
}

/** What JSON.stringify would see: documents, dates and the like through their toJSON. */
function serialised(value: unknown): unknown {
  const toJSON = (value as { toJSON?: unknown } | null)?.toJSON;
  return typeof toJSON === 'function' ? (toJSON as () => unknown).call(value) : value;
}
