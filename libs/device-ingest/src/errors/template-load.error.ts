import { DomainError, ErrorKind, FieldIssue } from '@hdp/platform';

/**
 * A mapping template that cannot be loaded. Each issue names the place in the template document
 * (`template[2].template.values[0].required`) and what is wrong there, never a data value.
 */
export class TemplateLoadError extends DomainError {
  readonly kind = ErrorKind.Unprocessable;

  constructor(templateKind: 'device' | 'fhir', issues: readonly FieldIssue[]) {
    super(`The ${templateKind} mapping template is invalid: ${issues.length} issue(s)`, issues);
  }
}
