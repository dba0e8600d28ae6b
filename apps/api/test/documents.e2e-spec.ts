/* eslint-disable @typescript-eslint/no-unsafe-call -- supertest gives untyped bodies */
import { ContainerClient } from '@azure/storage-blob';
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Db } from 'mongodb';
import type request from 'supertest';
import { DocumentsSweeperService } from '@hdp/patients';
import { Role } from '@hdp/platform';
import { TestApp } from './support/test-app';
import { AuditedTestApp, patientBody, startAuditedApp } from './support/patients-fixtures';

const MAX_BYTES = 256 * 1024;
const SAMPLES: Record<string, Buffer> = {
  'application/pdf': Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(3000)]),
  'image/jpeg': Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(5000)]),
  'image/png': Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    randomBytes(700),
  ]),
  'application/dicom': Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), randomBytes(4000)]),
  'text/plain': Buffer.from('Discharged home. Follow-up in clinic in six weeks.\n'),
};
const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

describe('Patient documents', () => {
  const containerName = `documents-${randomBytes(4).toString('hex')}`;
  const container = new ContainerClient(process.env.TEST_AZURITE_BLOB_CONNECTION_STRING!, containerName);
  let ctx: TestApp;
  let db: Db;
  let close: () => Promise<void>;
  let patientId: string;

  beforeAll(async () => {
    ({ ctx, db, close } = await startAuditedApp({
      DOCUMENTS_STORAGE_CONNECTION_STRING: process.env.TEST_AZURITE_BLOB_CONNECTION_STRING!,
      DOCUMENTS_CONTAINER: containerName,
      DOCUMENTS_MAX_BYTES: String(MAX_BYTES),
    }));
    await container.createIfNotExists();
    patientId = (await ctx.as().post('/api/v1/patients').send(patientBody()).expect(201)).body.id;
  });

  afterAll(async () => {
    await container.deleteIfExists();
    await close();
  });

  const base = () => `/api/v1/patients/${patientId}/documents`;
  const upload = (
    content: Buffer,
    contentType: string,
    fields: Record<string, string> = { title: 'Letter' },
  ) => {
    let req = ctx.as().post(base());
    for (const [name, value] of Object.entries(fields)) req = req.field(name, value);
    return req.attach('content', content, { filename: 'upload.bin', contentType });
  };
  const blobNames = async () => {
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat()) names.push(blob.name);
    return names;
  };
  const records = (filter: object = {}) => db.collection('patient_documents').find(filter).toArray();
  const entriesFor = (filter: object) => db.collection('audit_entries').find(filter).toArray();

  it.each(Object.keys(SAMPLES))(
    'stores a %s upload in blob storage with its size and SHA-256',
    async (type) => {
      const content = SAMPLES[type];
      const res = await upload(content, type, {
        title: 'Scan',
        typeCode: '18842-5',
        date: '2026-11-02',
      }).expect(201);
      expect(res.headers.location).toBe(`${base()}/${res.body.id}`);
      expect(res.headers.etag).toBe('"1"');
      expect(res.body).toMatchObject({
        patientId,
        title: 'Scan',
        typeCode: '18842-5',
        contentType: type,
        size: content.length,
        sha256: sha256(content),
        version: 1,
      });
      expect(await blobNames()).toContain(`${res.body.id}/1`);
      const [entry] = await entriesFor({ resourceId: res.body.id, action: 'create' });
      expect(entry).toMatchObject({ resourceType: 'DocumentReference', patientId, outcome: 201 });
      expect(JSON.stringify(entry)).not.toContain('Scan');
    },
  );

  it('takes the type from the content when the part is declared application/octet-stream', async () => {
    const res = await upload(SAMPLES['image/png'], 'application/octet-stream').expect(201);
    expect(res.body.contentType).toBe('image/png');
  });

  it.each([
    ['content of no allowed type', Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]), 'application/pdf'],
    ['a PDF declared as PNG', SAMPLES['application/pdf'], 'image/png'],
  ])('refuses %s with 415 and keeps nothing', async (_, content, type) => {
    const before = { records: (await records()).length, blobs: (await blobNames()).length };
    const res = await upload(content, type).expect(415);
    expect(res.body).toMatchObject({ status: 415 });
    expect((await records()).length).toBe(before.records);
    expect((await blobNames()).length).toBe(before.blobs);
  });

  it('refuses content over DOCUMENTS_MAX_BYTES with 413 and keeps nothing', async () => {
    const before = { records: (await records()).length, blobs: (await blobNames()).length };
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(MAX_BYTES)]);
    await upload(big, 'application/pdf').expect(413);
    expect((await records()).length).toBe(before.records);
    expect((await blobNames()).length).toBe(before.blobs);
    expect(await entriesFor({ resourceType: 'DocumentReference', outcome: 413 })).toHaveLength(1);
  });

  it.each([
    ['no title', {}],
    ['an unknown field', { title: 'Letter', colour: 'blue' }],
    ['an invalid date', { title: 'Letter', date: '2026-02-30' }],
    ['an operator as a value', { title: 'Letter', typeCode: '{"$gt":""}' }],
  ])('refuses metadata with %s with 400', async (_, fields) => {
    const res = await upload(SAMPLES['text/plain'], 'text/plain', fields).expect(400);
    expect(res.body.status).toBe(400);
  });

  it('refuses a body that is not multipart (415) or a field after the content (400)', async () => {
    await ctx
      .as()
      .post(base())
      .set('content-type', 'application/pdf')
      .send(SAMPLES['application/pdf'])
      .expect(415);
    const res = await ctx
      .as()
      .post(base())
      .field('title', 'Letter')
      .attach('content', SAMPLES['text/plain'], { filename: 'a.txt', contentType: 'text/plain' })
      .field('author', 'Late')
      .expect(400);
    expect(res.body.errors[0].message).toContain('before the content');
  });

  it('leaves nothing behind when the client disconnects mid-upload', async () => {
    const before = { records: (await records()).length, blobs: (await blobNames()).length };
    const refusals = async () =>
      (await entriesFor({ resourceType: 'DocumentReference', outcome: 400 })).length;
    const refusedBefore = await refusals();
    const boundary = 'x-boundary-1';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nHalf\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="content"; filename="a.pdf"\r\n` +
        'Content-Type: application/pdf\r\n\r\n%PDF-1.7\n',
    );
    const token = await ctx.issuer.tokenFor({
      id: 'user-clinician-1',
      clientId: 'client-ward-app',
      roles: [Role.Clinician],
      scopes: ['user/*.cruds'],
    });
    const { port } = (ctx.http.address() as AddressInfo | null) ?? (await listen(ctx));
    await new Promise<void>((resolve) => {
      const req = httpRequest({
        port,
        method: 'POST',
        path: base(),
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + 100_000),
        },
      });
      req.on('error', () => resolve());
      req.write(head);
      req.write(randomBytes(20_000), () => setTimeout(() => (req.destroy(), resolve()), 200));
    });
    await eventually(async () => (await refusals()) > refusedBefore);
    expect((await records()).length).toBe(before.records);
    expect((await blobNames()).length).toBe(before.blobs);
  });

  describe('download and delete', () => {
    const content = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(10_000)]);
    let id: string;

    beforeAll(async () => {
      id = (await upload(content, 'application/pdf').expect(201)).body.id;
    });

    it('streams the content back with its length, ETag and a PHI-free file name, audited as a read', async () => {
      const res = await ctx.as().get(`${base()}/${id}/content`).buffer(true).parse(binary).expect(200);
      expect(Buffer.compare(res.body as Buffer, content)).toBe(0);
      expect(res.headers).toMatchObject({
        'content-type': 'application/pdf',
        'content-length': String(content.length),
        etag: `"${sha256(content)}"`,
        'accept-ranges': 'bytes',
        'content-disposition': `attachment; filename="document-${id}.pdf"`,
      });
      expect(await entriesFor({ resourceId: id, action: 'read', outcome: 200 })).toHaveLength(1);
    });

    it('serves a byte range with 206, and 416 for a range outside the content', async () => {
      const res = await ctx
        .as()
        .get(`${base()}/${id}/content`)
        .set('range', 'bytes=100-1123')
        .buffer(true)
        .parse(binary)
        .expect(206);
      expect(Buffer.compare(res.body as Buffer, content.subarray(100, 1124))).toBe(0);
      expect(res.headers['content-range']).toBe(`bytes 100-1123/${content.length}`);
      expect(res.headers['content-length']).toBe('1024');
      await ctx
        .as()
        .get(`${base()}/${id}/content`)
        .set('range', `bytes=${content.length + 5}-`)
        .expect(416);
    });

    it('lists documents newest first with a cursor', async () => {
      const first = await ctx.as().get(`${base()}?limit=2`).expect(200);
      expect(first.body.items).toHaveLength(2);
      expect(first.body.items[0].id).toBe(id);
      const second = await ctx.as().get(`${base()}?limit=2&cursor=${first.body.next}`).expect(200);
      expect(second.body.items.map((d: { id: string }) => d.id)).not.toContain(id);
    });

    it('hides the documents from a patient token of another patient', async () => {
      const other = (await ctx.as().post('/api/v1/patients').send(patientBody()).expect(201)).body.id;
      const confined = {
        id: 'patient-user-9',
        roles: [Role.Patient],
        patientId: other,
        scopes: ['patient/*.rs'],
      };
      await ctx.as(confined).get(`${base()}/${id}`).expect(404);
      await ctx.as(confined).get(`${base()}/${id}/content`).expect(404);
      await ctx.as(confined).get(base()).expect(404);
    });

    it('deletes metadata and blob under If-Match, after which both are gone', async () => {
      await ctx.as().delete(`${base()}/${id}`).expect(428);
      await ctx.as().delete(`${base()}/${id}`).set('if-match', '"7"').expect(412);
      await ctx.as().delete(`${base()}/${id}`).set('if-match', '"1"').expect(204);
      await ctx.as().get(`${base()}/${id}`).expect(404);
      await ctx.as().get(`${base()}/${id}/content`).expect(404);
      expect(await blobNames()).not.toContain(`${id}/1`);
      expect(await records({ _id: id as never })).toMatchObject([{ state: 'deleted', purged: true }]);
      expect(await entriesFor({ resourceId: id, action: 'delete', outcome: 204 })).toHaveLength(1);
    });
  });

  describe('on the FHIR face', () => {
    const content = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(4096)]);
    let id: string;

    beforeAll(async () => {
      id = (
        await upload(content, 'application/pdf', { title: 'Clinic letter', typeCode: '11488-4' }).expect(201)
      ).body.id;
    });

    it('reads a document as a DocumentReference whose attachment is its Binary', async () => {
      const res = await ctx.as().get(`/fhir/R4/DocumentReference/${id}`).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/fhir\+json/);
      expect(res.body).toMatchObject({
        resourceType: 'DocumentReference',
        id,
        status: 'current',
        subject: { reference: `Patient/${patientId}` },
        type: { coding: [{ system: 'http://loinc.org', code: '11488-4' }] },
        description: 'Clinic letter',
        content: [
          { attachment: { contentType: 'application/pdf', url: `Binary/${id}`, size: content.length } },
        ],
      });
      const raw = await ctx.as().get(`/fhir/R4/Binary/${id}`).buffer(true).parse(binary).expect(200);
      expect(raw.headers['content-type']).toBe('application/pdf');
      expect(Buffer.compare(raw.body as Buffer, content)).toBe(0);
      expect(await entriesFor({ resourceId: id, action: 'read', outcome: 200 })).toHaveLength(2);
    });

    it("searches a patient's DocumentReferences, and needs the patient", async () => {
      const res = await ctx
        .as()
        .get(`/fhir/R4/DocumentReference?patient=Patient/${patientId}&_count=2`)
        .expect(200);
      expect(res.body).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
      expect(res.body.entry[0].resource.id).toBe(id);
      expect(res.body.link.map((link: { relation: string }) => link.relation)).toEqual(['self', 'next']);
      const refused = await ctx.as().get('/fhir/R4/DocumentReference').expect(400);
      expect(refused.body.issue[0].expression).toEqual(['patient']);
    });

    it("hides them from another patient's token", async () => {
      const other = (await ctx.as().post('/api/v1/patients').send(patientBody()).expect(201)).body.id;
      const confined = {
        id: 'patient-user-8',
        roles: [Role.Patient],
        patientId: other,
        scopes: ['patient/*.rs'],
      };
      await ctx.as(confined).get(`/fhir/R4/DocumentReference/${id}`).expect(404);
      await ctx.as(confined).get(`/fhir/R4/Binary/${id}`).expect(404);
    });
  });

  it("removes a deleted patient's documents and their blobs with the patient", async () => {
    const leaving = (await ctx.as().post('/api/v1/patients').send(patientBody()).expect(201)).body;
    const uploaded = await ctx
      .as()
      .post(`/api/v1/patients/${leaving.id}/documents`)
      .field('title', 'Letter')
      .attach('content', SAMPLES['text/plain'], { filename: 'a.txt', contentType: 'text/plain' })
      .expect(201);
    await ctx.as().delete(`/api/v1/patients/${leaving.id}`).set('if-match', '"1"').expect(204);
    expect(await records({ _id: uploaded.body.id })).toMatchObject([{ state: 'deleted', purged: true }]);
    expect(await blobNames()).not.toContain(`${uploaded.body.id}/1`);
  });

  it('sweeps what crashes left: an upload reserved but never finished, a deletion whose blob remained', async () => {
    const stale = new Date(Date.now() - 60_000);
    const reserved = {
      _id: '0f8fad5b-d9cb-469f-a165-70867728950e',
      blobName: '0f8fad5b-d9cb-469f-a165-70867728950e/1',
    };
    const deleted = {
      _id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      blobName: '7c9e6679-7425-40de-944b-e07fc1f90ae7/1',
    };
    const common = {
      patientId,
      title: 'x',
      contentType: 'text/plain',
      version: 1,
      createdAt: stale,
      updatedAt: stale,
      auditOutbox: [],
    };
    await db.collection('patient_documents').insertMany([
      { ...common, ...reserved, state: 'pending' },
      { ...common, ...deleted, state: 'deleted', purged: false },
    ] as never[]);
    for (const { blobName } of [reserved, deleted])
      await container.getBlockBlobClient(blobName).upload('orphan', 6);

    expect(await ctx.app.get(DocumentsSweeperService).sweep(30_000)).toBe(2);

    const names = await blobNames();
    expect(names).not.toContain(reserved.blobName);
    expect(names).not.toContain(deleted.blobName);
    expect(await records({ _id: reserved._id as never })).toHaveLength(0);
    expect(await records({ _id: deleted._id as never })).toMatchObject([{ purged: true }]);
  });
});

/** Collects a binary response body (supertest would otherwise try to parse it as text). */
function binary(res: request.Response, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

async function listen(ctx: TestApp): Promise<AddressInfo> {
  await new Promise<void>((resolve) => ctx.http.listen(0, '127.0.0.1', resolve));
  return ctx.http.address() as AddressInfo;
}

async function eventually(probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
}

describe('Patient documents served as SAS links (DOCUMENTS_DOWNLOAD=sas)', () => {
  const containerName = `documents-${randomBytes(4).toString('hex')}`;
  const container = new ContainerClient(process.env.TEST_AZURITE_BLOB_CONNECTION_STRING!, containerName);
  let app: AuditedTestApp;

  beforeAll(async () => {
    app = await startAuditedApp({
      DOCUMENTS_STORAGE_CONNECTION_STRING: process.env.TEST_AZURITE_BLOB_CONNECTION_STRING!,
      DOCUMENTS_CONTAINER: containerName,
      DOCUMENTS_DOWNLOAD: 'sas',
      DOCUMENTS_SAS_TTL_S: '2',
    });
  });

  afterAll(async () => {
    await container.deleteIfExists();
    await app.close();
  });

  it('redirects to a read-only link to that one blob, which stops working when it expires', async () => {
    const { ctx, db } = app;
    const patientId = (await ctx.as().post('/api/v1/patients').send(patientBody()).expect(201)).body.id;
    const content = SAMPLES['image/png'];
    const created = await ctx
      .as()
      .post(`/api/v1/patients/${patientId}/documents`)
      .field('title', 'Photo')
      .attach('content', content, { filename: 'p.png', contentType: 'image/png' })
      .expect(201);
    const id = created.body.id as string;

    const res = await ctx.as().get(`/api/v1/patients/${patientId}/documents/${id}/content`).expect(303);
    const link = new URL(res.headers.location);
    expect(link.pathname).toBe(`/devstoreaccount1/${containerName}/${id}/1`);
    expect(link.searchParams.get('sp')).toBe('r');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(await db.collection('audit_entries').countDocuments({ resourceId: id, action: 'read' })).toBe(1);

    const fetched = await fetch(link);
    expect(fetched.status).toBe(200);
    expect(Buffer.compare(Buffer.from(await fetched.arrayBuffer()), content)).toBe(0);
    expect(fetched.headers.get('content-disposition')).toBe(`attachment; filename="document-${id}.png"`);
    const write = await fetch(link, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'x' });
    expect(write.status).toBe(403);

    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect((await fetch(link)).status).toBe(403);
  });
});
