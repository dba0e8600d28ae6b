/* eslint-disable @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-call -- supertest gives untyped bodies */
import { Role } from '@hdp/platform';
import { expectOutcome } from './support/fhir-fixtures';
import { intentsCleared } from './support/intents';
import { fhirPatient, fhirWrites, heartRate, Resource } from './support/fhir-writes';
import { useAuditedApp } from './support/patients-fixtures';

describe('FHIR R4 vread and history', () => {
  const app = useAuditedApp();
  const { send, create } = fhirWrites(app);

  const newPatient = () => create({ ...fhirPatient('Baggins'), birthDate: '1890-09-22' });
  const entriesFor = (filter: object) => app.db.collection('audit_entries').find(filter).toArray();

  /** A patient created, updated and deleted: versions 1, 2 and 3 (the deletion). */
  async function patientWithThreeVersions(): Promise<Resource> {
    const created = await newPatient();
    const url = `/fhir/R4/Patient/${created.id}`;
    await send('put', url, { ...created, birthDate: '1890-09-23' }, 'W/"1"').expect(200);
    await intentsCleared(app.db, 'patients', created.id);
    await app.ctx.as().delete(url).set('if-match', 'W/"2"').expect(204);
    return created;
  }

  describe('vread', () => {
    it('reads each past version with its ETag; the deleted one and the resource itself are 410', async () => {
      const created = await patientWithThreeVersions();
      const url = `/fhir/R4/Patient/${created.id}`;
      const first = await app.ctx.as().get(`${url}/_history/1`).expect(200);
      expect(first.headers.etag).toBe('W/"1"');
      expect(first.body).toMatchObject({ id: created.id, birthDate: '1890-09-22', meta: { versionId: '1' } });
      const second = await app.ctx.as().get(`${url}/_history/2`).expect(200);
      expect(second.body).toMatchObject({ birthDate: '1890-09-23', meta: { versionId: '2' } });
      expectOutcome(await app.ctx.as().get(`${url}/_history/3`), 410);
      expectOutcome(await app.ctx.as().get(url), 410);
      expect(await entriesFor({ resourceId: created.id, action: 'vread' })).toEqual([
        expect.objectContaining({ outcome: 200, patientId: created.id, resourceType: 'Patient' }),
        expect.objectContaining({ outcome: 200 }),
        expect.objectContaining({ outcome: 410 }),
      ]);
    });

    it('answers 404 for a version that does not exist or is not a version id', async () => {
      const created = await newPatient();
      for (const version of ['2', '0', 'abc', '1.0'])
        expectOutcome(await app.ctx.as().get(`/fhir/R4/Patient/${created.id}/_history/${version}`), 404);
      expectOutcome(
        await app.ctx.as().get('/fhir/R4/Patient/4b1e7a52-0000-4000-8000-000000000000/_history/1'),
        404,
      );
    });

    it('reads an Observation as it was before an update', async () => {
      const subject = await newPatient();
      const created = await create(heartRate(subject.id, 60));
      await send(
        'put',
        `/fhir/R4/Observation/${created.id}`,
        { ...heartRate(subject.id, 90), id: created.id },
        'W/"1"',
      ).expect(200);
      const old = await app.ctx.as().get(`/fhir/R4/Observation/${created.id}/_history/1`).expect(200);
      expect(old.body).toMatchObject({ valueQuantity: { value: 60 }, meta: { versionId: '1' } });
      expect(old.headers['content-type']).toMatch(/^application\/fhir\+json/);
      expect(await entriesFor({ resourceId: created.id, action: 'vread' })).toEqual([
        expect.objectContaining({ outcome: 200, patientId: subject.id, resourceType: 'TestResult' }),
      ]);
    });

    it('is 404 to a patient-context token outside the compartment, like a read', async () => {
      const created = await newPatient();
      const other = {
        patientId: '4b1e7a52-0000-4000-8000-000000000000',
        roles: [Role.Patient],
        scopes: ['patient/*.rs'],
      };
      expectOutcome(await app.ctx.as(other).get(`/fhir/R4/Patient/${created.id}/_history/1`), 404);
      const own = { ...other, patientId: created.id };
      await app.ctx.as(own).get(`/fhir/R4/Patient/${created.id}/_history/1`).expect(200);
    });
  });

  describe('instance history', () => {
    it('is a history Bundle, newest first, with the request and response of each version', async () => {
      const created = await patientWithThreeVersions();
      const res = await app.ctx.as().get(`/fhir/R4/Patient/${created.id}/_history`).expect(200);
      expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'history' });
      const entries: Resource[] = res.body.entry;
      expect(entries.map((entry) => [entry.request, entry.response.status, entry.response.etag])).toEqual([
        [{ method: 'DELETE', url: `Patient/${created.id}` }, '204', 'W/"3"'],
        [{ method: 'PUT', url: `Patient/${created.id}` }, '200', 'W/"2"'],
        [{ method: 'POST', url: 'Patient' }, '201', 'W/"1"'],
      ]);
      expect(entries[0]).not.toHaveProperty('resource');
      expect(entries[1].resource).toMatchObject({ birthDate: '1890-09-23', meta: { versionId: '2' } });
      expect(entries[2].fullUrl).toMatch(new RegExp(`/fhir/R4/Patient/${created.id}$`));
      expect(await entriesFor({ resourceId: created.id, action: 'history-instance' })).toEqual([
        expect.objectContaining({ outcome: 200, count: 3, patientId: created.id }),
      ]);
    });

    it('pages with _count through next links', async () => {
      const created = await patientWithThreeVersions();
      const first = await app.ctx.as().get(`/fhir/R4/Patient/${created.id}/_history?_count=2`).expect(200);
      expect(first.body.entry).toHaveLength(2);
      const next = first.body.link.find((link: Resource) => link.relation === 'next').url as string;
      const second = await app.ctx
        .as()
        .get(new URL(next).pathname + new URL(next).search)
        .expect(200);
      expect(second.body.entry.map((entry: Resource) => entry.response.etag)).toEqual(['W/"1"']);
      expect(second.body.link.map((link: Resource) => link.relation)).toEqual(['self']);
    });

    it('is 404 for an unknown record, and refuses unknown parameters and a bad _since with 400', async () => {
      expectOutcome(
        await app.ctx.as().get('/fhir/R4/Observation/4b1e7a52-0000-4000-8000-000000000000/_history'),
        404,
      );
      const created = await newPatient();
      expectOutcome(await app.ctx.as().get(`/fhir/R4/Patient/${created.id}/_history?_at=2020`), 400, '_at');
      expectOutcome(
        await app.ctx.as().get(`/fhir/R4/Patient/${created.id}/_history?_since=yesterday`),
        400,
        '_since',
      );
      expectOutcome(
        await app.ctx.as().get(`/fhir/R4/Patient/${created.id}/_history?_count=0`),
        400,
        '_count',
      );
    });
  });

  describe('type history', () => {
    it('lists the versions written since _since, every one once across pages', async () => {
      const since = new Date().toISOString();
      const subject = await newPatient();
      const made = [];
      for (const value of [61, 62, 63]) made.push(await create(heartRate(subject.id, value)));
      await send(
        'put',
        `/fhir/R4/Observation/${made[0].id}`,
        { ...heartRate(subject.id, 70), id: made[0].id },
        'W/"1"',
      ).expect(200);
      const seen: string[] = [];
      let url: string | undefined =
        `/fhir/R4/Observation/_history?_since=${encodeURIComponent(since)}&_count=2`;
      while (url) {
        const res = await app.ctx.as().get(url).expect(200);
        expect(res.body.type).toBe('history');
        seen.push(
          ...res.body.entry.map((entry: Resource) => `${entry.resource.id}:${entry.resource.meta.versionId}`),
        );
        const next = res.body.link.find((link: Resource) => link.relation === 'next')?.url as
          string | undefined;
        url = next && new URL(next).pathname + new URL(next).search;
      }
      expect(seen.sort()).toEqual(
        [`${made[0].id}:1`, `${made[0].id}:2`, `${made[1].id}:1`, `${made[2].id}:1`].sort(),
      );
      expect(
        await entriesFor({ action: 'history-type', resourceType: 'TestResult', count: 2 }),
      ).not.toHaveLength(0);
    });

    it('shows a patient-context token only its own compartment', async () => {
      const since = new Date().toISOString();
      const mine = await newPatient();
      await newPatient();
      const own = { patientId: mine.id, roles: [Role.Patient], scopes: ['patient/*.rs'] };
      const res = await app.ctx
        .as(own)
        .get(`/fhir/R4/Patient/_history?_since=${encodeURIComponent(since)}`)
        .expect(200);
      expect(res.body.entry.map((entry: Resource) => entry.resource.id)).toEqual([mine.id]);
    });
  });
});
