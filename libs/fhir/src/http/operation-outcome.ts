import type { OperationOutcome, OperationOutcomeIssue } from 'fhir/r4';
import type { FieldIssue } from '@hdp/platform';

export const FHIR_JSON = 'application/fhir+json';

type IssueType = OperationOutcomeIssue['code'];

const ISSUE_TYPE_BY_STATUS: Record<number, IssueType> = {
  400: 'invalid',
  401: 'login',
  403: 'forbidden',
  404: 'not-found',
  405: 'not-supported',
  406: 'not-supported',
  409: 'conflict',
  410: 'deleted',
  412: 'conflict',
  413: 'too-costly',
  415: 'not-supported',
  422: 'processing',
  428: 'required',
  429: 'throttled',
  503: 'transient',
};

/** An OperationOutcome for a failed interaction: one issue per invalid element (with its expression), or one overall. */
export function operationOutcome(
  status: number,
  message: string,
  issues: readonly FieldIssue[] = [],
): OperationOutcome {
  const code = ISSUE_TYPE_BY_STATUS[status] ?? (status >= 500 ? 'exception' : 'processing');
  const severity = status >= 500 ? 'fatal' : 'error';
  return {
    resourceType: 'OperationOutcome',
    issue:
      issues.length > 0
        ? issues.map((issue) => ({
            severity,
            code,
            diagnostics: `${issue.path}: ${issue.message}`,
            expression: [issue.path],
          }))
        : [{ severity, code, diagnostics: message }],
  };
}
