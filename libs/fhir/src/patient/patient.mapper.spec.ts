import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PatientRecord } from '@hdp/patients';
import { FhirValidationError } from '../fhir-validation';
import { fromFhirPatient, toFhirPatient } from './patient.mapper';

const NHS = 'https://fhir.nhs.uk/Id/nhs-number';

function record(overrides: Partial<PatientRecord> = {}): PatientRecord {
  return {
    id: 'c0a8012e-6d1b-4c55-9a5e-3f1c2b7d9e10',
    version: 3,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-02T00:00:00.000Z',
    identifier: [{ system: NHS, value: '9434765919' }],
    name: { family: 'Oakenshield', given: ['Thorin'], prefix: [] },
    birthDate: '1946-04-09',
    gender: 'male',
    telecom: [],
    address: [{ city: 'Erebor' }],
    ...overrides,
  };
}

async function issuesOf(resource: unknown): Promise<string[]> {
  const error = await fromFhirPatient(resource).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(FhirValidationError);
  return (error as FhirValidationError).issues.map((issue) => issue.path);
}

describe('toFhirPatient', () => {
  it('maps a record to a Patient with meta from its version, leaving out empty lists', () => {
    expect(toFhirPatient(record())).toEqual({
      resourceType: 'Patient',
      id: 'c0a8012e-6d1b-4c55-9a5e-3f1c2b7d9e10',
      meta: { versionId: '3', lastUpdated: '2026-01-02T00:00:00.000Z' },
      identifier: [{ system: NHS, value: '9434765919' }],
      name: [{ family: 'Oakenshield', given: ['Thorin'] }],
      gender: 'male',
      birthDate: '1946-04-09',
      address: [{ city: 'Erebor' }],
    });
  });
});

describe('fromFhirPatient', () => {
  it('maps the Patient of a record back to the same record fields (round trip)', async () => {
    const { record: dto, fhirElements } = await fromFhirPatient(
      toFhirPatient(record({ telecom: [{ system: 'phone', value: '+44 20 7946 0000', use: 'work' }] })),
    );
    expect(fhirElements).toEqual({});
    expect(JSON.parse(JSON.stringify(dto))).toEqual({
      identifier: [{ system: NHS, value: '9434765919' }],
      name: { family: 'Oakenshield', given: ['Thorin'] },
      birthDate: '1946-04-09',
      gender: 'male',
      telecom: [{ system: 'phone', value: '+44 20 7946 0000', use: 'work' }],
      address: [{ city: 'Erebor' }],
    });
  });

  it('keeps the official HL7 example whole: REST fields from the official name, the rest verbatim', async () => {
    const example = JSON.parse(
      readFileSync(
        path.resolve(__dirname, '../../../../../shared/fixtures/fhir-r4/patient-example.json'),
        'utf8',
      ),
    ) as Record<string, unknown>;
    const { record: dto, fhirElements } = await fromFhirPatient(example);
    expect(dto.name).toMatchObject({ use: 'official', family: 'Chalmers' });
    expect(Object.keys(fhirElements).sort()).toEqual(
      [
        '_birthDate',
        'active',
        'contact',
        'deceasedBoolean',
        'managingOrganization',
        'namesAfter',
        'text',
      ].sort(),
    );
    const stored = { ...record(JSON.parse(JSON.stringify(dto)) as Partial<PatientRecord>), fhirElements };
    expect(toFhirPatient(stored)).toEqual({ ...example, id: stored.id, meta: expect.any(Object) });
  });

  it('puts the record name back at its place among the other names', async () => {
    const names = [{ use: 'nickname', given: ['Thor'] }, { family: 'Oakenshield' }, { family: 'Durin' }];
    const { record: dto, fhirElements } = await fromFhirPatient({ ...toFhirPatient(record()), name: names });
    expect(dto.name.family).toBe('Oakenshield');
    expect(toFhirPatient({ ...record({ name: dto.name }), fhirElements }).name).toEqual(names);
  });

  it('names every element this server refuses, however deep', async () => {
    const resource = {
      ...toFhirPatient(record()),
      contained: [{ resourceType: 'Organization' }],
      modifierExtension: [{ url: 'http://example.org/x', valueBoolean: true }],
      address: [{ city: 'Erebor', period: { start: '2000' }, geo: 1 }],
      extension: [{ url: 'http://example.org/y', valueSignature: {} }],
    };
    expect(await issuesOf(resource)).toEqual([
      'Patient.address[0].geo',
      'Patient.contained',
      'Patient.modifierExtension',
      'Patient.extension[0].valueSignature',
    ]);
  });

  it.each([
    ['a non-object', 'Patient', 'Patient'],
    ['an array', [], 'Patient'],
    ['a key that is not a FHIR name', { resourceType: 'Patient', 'a.b': 1 }, 'Patient'],
    ['a prototype key', JSON.parse('{"resourceType":"Patient","__proto__":{"x":1}}'), 'Patient'],
    ['a repeating element given once', { ...toFhirPatient(record()), name: { family: 'X' } }, 'Patient.name'],
    ['a wrong resourceType', { ...toFhirPatient(record()), resourceType: 'Person' }, 'Patient.resourceType'],
    ['no name', { ...toFhirPatient(record()), name: undefined }, 'Patient.name'],
    [
      'two deceased[x]',
      { ...toFhirPatient(record()), deceasedBoolean: true, deceasedDateTime: '2020' },
      'Patient.deceased',
    ],
    ['a non-boolean active', { ...toFhirPatient(record()), active: 'yes' }, 'Patient.active'],
    [
      'a name without a family name',
      { ...toFhirPatient(record()), name: [{ given: ['X'] }] },
      'Patient.name[0].family',
    ],
    [
      'an extension on the record name',
      {
        ...toFhirPatient(record()),
        name: [{ family: 'X', extension: [{ url: 'http://e.org', valueString: 'v' }] }],
      },
      'Patient.name[0].extension',
    ],
    [
      'a bad period on an identifier',
      {
        ...toFhirPatient(record()),
        identifier: [{ system: NHS, value: '9434765919', period: { start: '2001-13' } }],
      },
      'Patient.identifier[0].period.start',
    ],
    ['a bad gender', { ...toFhirPatient(record()), gender: 'dwarf' }, 'Patient.gender'],
    ['a future birth date', { ...toFhirPatient(record()), birthDate: '2999-01-01' }, 'Patient.birthDate'],
    [
      'a non-string given name',
      { ...toFhirPatient(record()), name: [{ family: 'X', given: [7] }] },
      'Patient.name[0].given',
    ],
  ])('refuses %s, pointing at %s', async (_story, resource, expression) => {
    expect(await issuesOf(resource)).toContain(expression);
  });

  it('does not quote the value in any issue', async () => {
    const error = await fromFhirPatient({ ...toFhirPatient(record()), gender: 'Oakenshield' }).catch(
      (thrown: FhirValidationError) => thrown,
    );
    expect(JSON.stringify((error as FhirValidationError).issues)).not.toContain('Oakenshield');
  });
});
