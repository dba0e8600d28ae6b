import { randomBytes } from 'node:crypto';
import { TestDatabase } from '@hdp/testing';
import request from 'supertest';
import { AppProcess, freePort } from './support/app-process';
import { attribute, OtlpCollector, OtlpSpan } from './support/otlp-collector';

const SERVER = 2;
const CLIENT = 3;

// A made-up patient; the NHS number is in the 999 range reserved for testing.
const PHI = { given: 'Zebedee', family: 'Quillfeather', nhsNumber: '9990001113', birthDate: '1947-03-14' };

describe('OpenTelemetry, end to end', () => {
  const collector = new OtlpCollector();
  const database = new TestDatabase();
  let app: AppProcess;
  let url: string;
  let metricsUrl: string;

  beforeAll(async () => {
    const [port, metricsPort] = [await freePort(), await freePort()];
    url = `http://127.0.0.1:${port}`;
    metricsUrl = `http://127.0.0.1:${metricsPort}/metrics`;
    app = new AppProcess({
      PORT: String(port),
      MONGODB_URI: database.uri,
      SUBSCRIPTION_KEY_PEPPER: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'info',
      OTEL_EXPORTER_OTLP_ENDPOINT: await collector.start(),
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_METRIC_EXPORT_INTERVAL: '500',
      METRICS_PORT: String(metricsPort),
      METRICS_HOST: '127.0.0.1',
    });
    await app.start(url);
  }, 90000);

  afterAll(async () => {
    await app.stop();
    await collector.stop();
    await database.drop();
  });

  it('continues an incoming traceparent from the server span into the MongoDB span under it', async () => {
    const traceId = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';
    const parentId = '00f067aa0ba902b7';
    await request(url).get('/health/ready').set('traceparent', `00-${traceId}-${parentId}-01`).expect(200);

    const spans = await eventually(() => {
      const inTrace = collector.spans().filter((s) => s.traceId === traceId);
      return inTrace.some((s) => attribute(s, 'db.system.name') === 'mongodb') ? inTrace : undefined;
    });
    const server = spans.find((s) => s.kind === SERVER && s.parentSpanId === parentId);
    expect(server).toMatchObject({ name: 'GET /health/ready' });
    const mongo = spans.find((s) => s.kind === CLIENT && attribute(s, 'db.system.name') === 'mongodb');
    expect(mongo).toBeDefined();
    expect(ancestors(mongo!, spans)).toContain(server!.spanId);
  });

  it('quotes the trace id in error bodies and log lines, so audit and support can find the trace', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const res = await request(url).get('/nowhere').set('traceparent', `00-${traceId}-b7ad6b7169203331-01`);
    expect(res.status).toBe(404);
    expect(res.body.traceId).toBe(traceId);

    await eventually(() => collector.spans().find((s) => s.traceId === traceId && s.kind === SERVER));
    const line = await eventually(() => app.logLines().find((l) => l.traceId === traceId && l.res));
    expect(line).toMatchObject({ trace_id: traceId, res: { statusCode: 404 } });
    expect(line.route).not.toContain('nowhere');
    expect(line.span_id).toMatch(/^[\da-f]{16}$/);
  });

  it('gives a request without traceparent the trace id of its server span', async () => {
    const res = await request(url).get('/nowhere/else').expect(404);
    const traceId = res.body.traceId as string;
    expect(traceId).toMatch(/^[\da-f]{32}$/);
    const server = await eventually(() =>
      collector.spans().find((s) => s.traceId === traceId && s.kind === SERVER && !s.parentSpanId),
    );
    expect(attribute(server, 'http.response.status_code')).toBe(404);
  });

  it('lets no name, NHS number or birth date reach spans, metrics, the /metrics page or logs', async () => {
    const query = `family=${PHI.family}&identifier=${PHI.nhsNumber}&birthdate=${PHI.birthDate}`;
    const body = {
      name: [{ given: [PHI.given], family: PHI.family }],
      nhsNumber: PHI.nhsNumber,
      birthDate: PHI.birthDate,
    };
    const headers = {
      'user-agent': `ward-app (${PHI.family})`,
      'x-patient': PHI.nhsNumber,
      referer: `http://x/${PHI.given}`,
    };
    const send = (test: request.Test) =>
      test.set(headers).set('traceparent', `00-${'c'.repeat(32)}-${'d'.repeat(16)}-01`);

    await send(request(url).get(`/health/live?${query}`)).expect(200);
    await send(request(url).get(`/health/ready?${query}`)).expect(200);
    await send(request(url).get(`/patients/${PHI.nhsNumber}/${PHI.family}?${query}`)).expect(404);
    await send(request(url).post(`/patients?${query}`).send(body)).expect(404);
    await send(request(url).post(`/health/live?${query}`).send(body)).expect(404);
    await send(request(url).post('/health/live').set('content-type', 'application/json'))
      .send(`{"family": "${PHI.family}", "birthDate": "${PHI.birthDate}",`)
      .expect(400);
    await send(
      request(url)
        .put(`/${PHI.given}`)
        .send({ padding: PHI.family.repeat(100000) }),
    ).expect(413);
    const scraped = await (await fetch(metricsUrl)).text();

    await eventually(() => collector.bodies.metrics.find((b) => b.includes('http.server.request.duration')));
    await app.stop(); // flushes every batched span, metric and log
    const exported = collector.everything();

    // The scan must have something to scan: spans, metrics and logs of these very requests.
    expect(collector.spans().filter((s) => s.traceId === 'c'.repeat(32)).length).toBeGreaterThanOrEqual(7);
    expect(scraped).toMatch(/http_server_request_duration_count\{[^}]*http_response_status_code="404"/);
    expect(collector.bodies.logs.join('')).toContain('c'.repeat(32));
    // Body-parser rejections (400, 413) end before the request logger runs; the five others are logged.
    const logged = app.logLines().filter((l) => l.traceId === 'c'.repeat(32));
    expect(logged).toHaveLength(5);
    for (const line of logged)
      expect(line).toMatchObject({ trace_id: 'c'.repeat(32), span_id: expect.any(String) });

    for (const value of Object.values(PHI)) {
      expect({ value, in: 'exported telemetry', found: exported.includes(value) }).toMatchObject({
        found: false,
      });
      expect({ value, in: '/metrics', found: scraped.includes(value) }).toMatchObject({ found: false });
      expect({ value, in: 'logs', found: app.output.includes(value) }).toMatchObject({ found: false });
    }
  });
});

function ancestors(span: OtlpSpan, spans: OtlpSpan[]): string[] {
  const chain: string[] = [];
  for (let at = span.parentSpanId; at; at = spans.find((s) => s.spanId === at)?.parentSpanId) chain.push(at);
  return chain;
}

async function eventually<T>(probe: () => T | undefined, timeoutMs = 10000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting for telemetry');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
