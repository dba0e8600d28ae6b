import request from 'supertest';
import { startTestApp, TestApp } from './support/test-app';

describe('Error bodies', () => {
  let ctx: TestApp;

  beforeAll(async () => {
    ctx = await startTestApp({ BODY_LIMIT: '1kb' });
  });

  afterAll(() => ctx.close());

  it('answers an unknown route with a problem+json 404 that does not echo the URL', async () => {
    const res = await request(ctx.http).get('/no/such/route?family=Oakenshield').expect(404);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ type: 'about:blank', title: 'Not Found', status: 404 });
    expect(res.body.traceId).toMatch(/^[\da-f]{32}$/);
    expect(JSON.stringify(res.body)).not.toContain('Oakenshield');
  });

  it('answers malformed JSON with 400, not 500, without quoting the body', async () => {
    const res = await request(ctx.http)
      .post('/health/live')
      .set('content-type', 'application/json')
      .send('{"family": "Oakenshield", ')
      .expect(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status: 400, detail: 'The request body is not valid JSON.' });
    expect(JSON.stringify(res.body)).not.toContain('Oakenshield');
  });

  it('answers a body over the limit with 413', async () => {
    const res = await request(ctx.http)
      .post('/health/live')
      .set('content-type', 'application/json')
      .send({ padding: 'x'.repeat(2048) })
      .expect(413);
    expect(res.body.status).toBe(413);
  });

  it('quotes the caller trace id from traceparent in the error body', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const res = await request(ctx.http)
      .get('/nowhere')
      .set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`)
      .expect(404);
    expect(res.body.traceId).toBe(traceId);
  });

  it('sends security headers and no x-powered-by', async () => {
    const res = await request(ctx.http).get('/health/live').expect(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['x-request-id']).toBeDefined();
  });

  it('serves the OpenAPI document generated from the routes', async () => {
    const res = await request(ctx.http).get('/openapi.json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
    await request(ctx.http).get('/docs').expect(200);
  });
});
