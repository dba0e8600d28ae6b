import { toExpression } from './fhir-validation';

describe(toExpression.name, () => {
  it.each([
    ['identifier.0.value', 'Patient.identifier[0].value'],
    ['name.0.given.1', 'Patient.name[0].given[1]'],
    ['gender', 'Patient.gender'],
    ['', 'Patient'],
  ])('turns the DTO path %s into %s', (path, expression) => {
    expect(toExpression('Patient', path)).toBe(expression);
  });
});
