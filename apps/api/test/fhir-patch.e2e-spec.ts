import { expectOutcome } from './support/fhir-fixtures';
import { fhirPatient, fhirWrites, heartRate, Resource } from './support/fhir-writes';
import { useAuditedApp } from './support/patients-fixtures';

const JSON_PATCH = 'application/json-patch+json';

describe('FHIR R4 patch (JSON Patch)', () => {
  const app = useAuditedApp();
  const { create } = fhirWrites(app);

  const patch = (url: string, body: unknown, ifMatch?: string, type = JSON_PATCH) => {
    const req = app.ctx.as().patch(url).set('content-type', type);
    return (ifMatch ? req.set('if-match', ifMatch) : req).send(JSON.stringify(body));
  };
  const entriesFor = (filter: object) => app.db.collection('audit_entries').find(filter).toArray();
  const versionOf = async (url: string) =>
    ((await app.ctx.as().get(url).expect(200)).body as Resource).meta.versionId as string;

  describe('Patient', () => {
    it('applies the patch to the current version: 200, the new version, an update entry and a history version', async () => {
      const created = await create(fhirPatient());
      const url = `/fhir/R4/Patient/${created.id}`;
      const res = await patch(
        url,
        [{ op: 'replace', path: '/birthDate', value: '1950-01-02' }],
        'W/"1"',
      ).expect(200);
      expect(res.headers.etag).toBe('W/"2"');
      expect(res.body).toMatchObject({ id: created.id, birthDate: '1950-01-02', meta: { versionId: '2' } });
      expect(res.body.name).toEqual(created.name);
      expect(await entriesFor({ resourceId: created.id, action: 'update', outcome: 200 })).toHaveLength(1);
      const old = await app.ctx.as().get(`${url}/_history/1`).expect(200);
      expect(old.body.birthDate).toBe('1946-04-09');
    });

    it('without If-Match patches the version it read; a stale If-Match is 412 and changes nothing', async () => {
      const created = await create(fhirPatient());
      const url = `/fhir/R4/Patient/${created.id}`;
      await patch(url, [{ op: 'add', path: '/name/0/given/-', value: 'Oaken' }]).expect(200);
      expectOutcome(await patch(url, [{ op: 'replace', path: '/gender', value: 'female' }], 'W/"1"'), 412);
      const read = await app.ctx.as().get(url).expect(200);
      expect(read.body).toMatchObject({
        gender: 'male',
        name: [{ given: ['Thorin', 'Oaken'] }],
        meta: { versionId: '2' },
      });
    });

    it('refuses a body that is not a patch (400), a patch that does not apply (422) and a result that is not a valid Patient (422)', async () => {
      const created = await create(fhirPatient());
      const url = `/fhir/R4/Patient/${created.id}`;
      expectOutcome(await patch(url, { op: 'replace', path: '/gender', value: 'female' }), 400);
      expectOutcome(await patch(url, [{ op: 'jump', path: '/gender' }]), 400, 'patch[0]');
      expectOutcome(await patch(url, [{ op: 'replace', path: '/gender' }]), 400, 'patch[0]');
      expectOutcome(
        await patch(url, [
          { op: 'test', path: '/gender', value: 'male' },
          { op: 'test', path: '/birthDate', value: '2000-01-01' },
        ]),
        422,
        'patch[1]',
      );
      expectOutcome(await patch(url, [{ op: 'remove', path: '/photo' }]), 422, 'patch[0]');
      expectOutcome(
        await patch(url, [{ op: 'replace', path: '/gender', value: 'dwarf' }]),
        422,
        'Patient.gender',
      );
      expectOutcome(
        await patch(url, [{ op: 'add', path: '/contained', value: [{}] }]),
        422,
        'Patient.contained',
      );
      expectOutcome(await patch(url, [{ op: 'replace', path: '/id', value: 'other' }]), 422, 'Patient.id');
      expectOutcome(await patch(url, [{ op: 'add', path: '/__proto__/polluted', value: 1 }]), 422);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(await versionOf(url)).toBe('1');
      expect(await entriesFor({ resourceId: created.id, action: 'update', outcome: 422 })).not.toHaveLength(
        0,
      );
    });

    it('takes only application/json-patch+json (415), and 404 for an unknown patient', async () => {
      const created = await create(fhirPatient());
      const ops = [{ op: 'replace', path: '/gender', value: 'female' }];
      expectOutcome(
        await patch(`/fhir/R4/Patient/${created.id}`, ops, undefined, 'application/fhir+json'),
        415,
      );
      expectOutcome(await patch('/fhir/R4/Patient/4b1e7a52-0000-4000-8000-000000000000', ops), 404);
    });
  });

  describe('Observation', () => {
    it('patches a value; moving it to another patient is 422', async () => {
      const subject = await create(fhirPatient());
      const other = await create(fhirPatient());
      const created = await create(heartRate(subject.id, 60));
      const url = `/fhir/R4/Observation/${created.id}`;
      const res = await patch(
        url,
        [{ op: 'replace', path: '/valueQuantity/value', value: 64 }],
        'W/"1"',
      ).expect(200);
      expect(res.body).toMatchObject({ valueQuantity: { value: 64 }, meta: { versionId: '2' } });
      const moved = [{ op: 'replace', path: '/subject/reference', value: `Patient/${other.id}` }];
      expectOutcome(await patch(url, moved), 422, 'Observation.subject');
      expectOutcome(await patch(url, [{ op: 'remove', path: '/status' }]), 422, 'Observation.status');
      expect(await versionOf(url)).toBe('2');
    });
  });
});
