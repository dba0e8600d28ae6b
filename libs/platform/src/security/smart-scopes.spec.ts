import { parseScope, scopesPermit } from './smart-scopes';

describe(parseScope.name, () => {
  it('reads SMART v1 scopes', () => {
    expect(parseScope('user/Patient.read')).toEqual({
      context: 'user',
      resource: 'Patient',
      interactions: new Set(['read', 'search']),
    });
    expect(parseScope('system/Observation.write')?.interactions).toEqual(
      new Set(['create', 'update', 'delete']),
    );
    expect(parseScope('patient/*.read')).toMatchObject({ context: 'patient', resource: '*' });
  });

  it('reads SMART v2 scopes', () => {
    expect(parseScope('patient/Patient.rs')?.interactions).toEqual(new Set(['read', 'search']));
    expect(parseScope('user/Observation.cruds')?.interactions.size).toBe(5);
    expect(parseScope('system/Observation.c')?.interactions).toEqual(new Set(['create']));
  });

  it.each([
    'openid',
    'fhirUser',
    'user/Patient.',
    'user/Patient.sr',
    'admin/Patient.read',
    'user/Observation.rs?category=laboratory',
    'user/patient.read',
  ])('grants nothing for %s', (scope) => {
    expect(parseScope(scope)).toBeUndefined();
  });
});

describe(scopesPermit.name, () => {
  it('allows what a scope covers and nothing more', () => {
    expect(scopesPermit(['user/Patient.read'], 'Patient', 'read', false)).toBe(true);
    expect(scopesPermit(['user/Patient.read'], 'Patient', 'update', false)).toBe(false);
    expect(scopesPermit(['user/Patient.read'], 'Observation', 'read', false)).toBe(false);
    expect(scopesPermit(['system/*.rs'], 'Observation', 'search', false)).toBe(true);
  });

  it('honours patient/ scopes only with a patient in context', () => {
    expect(scopesPermit(['patient/Patient.rs'], 'Patient', 'read', true)).toBe(true);
    expect(scopesPermit(['patient/Patient.rs'], 'Patient', 'read', false)).toBe(false);
  });
});
