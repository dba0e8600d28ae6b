import { patientBody, useAuditedApp } from '../support/patients-fixtures';

describe('Caller-chosen request metadata', () => {
  const app = useAuditedApp();

  it.each([
    ['too long', 'r'.repeat(65)],
    ['with spaces and markup', 'id <script>alert(1)</script>'],
    ['with a log-line break attempt', 'abc\\n{"level":60}'],
  ])('replaces an X-Request-Id that is %s with one of its own', async (_, sent) => {
    const res = await app.ctx
      .as()
      .get('/api/v1/patients?family=Nobody')
      .set('x-request-id', sent)
      .expect(200);
    expect(res.headers['x-request-id']).not.toBe(sent);
    expect(res.headers['x-request-id']).toMatch(/^[\da-f-]{36}$/);
  });

  it('keeps a well-formed X-Request-Id', async () => {
    const res = await app.ctx
      .as()
      .get('/api/v1/patients?family=Nobody')
      .set('x-request-id', 'ward-7.req_42')
      .expect(200);
    expect(res.headers['x-request-id']).toBe('ward-7.req_42');
  });

  it('stores at most 256 characters of the User-Agent in the ledger entry', async () => {
    const res = await app.ctx
      .as()
      .post('/api/v1/patients')
      .set('user-agent', `ward-app/${'x'.repeat(5000)}`)
      .send(patientBody())
      .expect(201);
    const entry = await app.db
      .collection('audit_entries')
      .findOne({ resourceId: res.body.id, action: 'create' });
    expect(entry?.userAgent).toHaveLength(256);
    expect(entry?.userAgent).toMatch(/^ward-app\/x+$/);
  });
});
