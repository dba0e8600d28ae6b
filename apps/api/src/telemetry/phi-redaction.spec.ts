import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { PhiRedactingSpanProcessor, statementShape } from './phi-redaction';

describe(statementShape.name, () => {
  it('keeps field names and operators and replaces every value', () => {
    const query = {
      find: 'patients',
      filter: {
        'name.family': 'Quillfeather',
        birthDate: { $gte: new Date('1947-03-14') },
        tags: ['a', 'b'],
      },
      limit: 10,
    };
    const shape = statementShape(query);
    expect(JSON.parse(shape)).toEqual({
      find: '?',
      filter: { 'name.family': '?', birthDate: { $gte: '?' }, tags: ['?'] },
      limit: '?',
    });
    expect(shape).not.toMatch(/Quillfeather|1947|patients/);
  });
});

describe(PhiRedactingSpanProcessor.name, () => {
  const sut = new PhiRedactingSpanProcessor();

  function endedSpan(kind: SpanKind, attributes: Record<string, string | number>): ReadableSpan {
    return {
      kind,
      attributes: { ...attributes },
      status: { code: SpanStatusCode.ERROR, message: 'E11000 duplicate key: { nhsNumber: "9990001113" }' },
      events: [
        {
          name: 'exception',
          time: [0, 0],
          attributes: {
            'exception.type': 'MongoServerError',
            'exception.message': 'dup key 9990001113',
            'exception.stacktrace': 'MongoServerError: dup key 9990001113\n    at insert (repo.ts:1:1)',
          },
        },
      ],
      links: [],
    } as unknown as ReadableSpan;
  }

  it('keeps only allow-listed attributes of a server span', () => {
    const span = endedSpan(SpanKind.SERVER, {
      'http.request.method': 'GET',
      'http.route': '/patients/:id',
      'http.response.status_code': 200,
      'url.path': '/patients/9990001113',
      'url.query': 'family=Quillfeather',
      'user_agent.original': 'ward-app',
      'client.address': '10.0.0.7',
      'server.address': 'Quillfeather.example',
    });
    sut.onEnd(span);
    expect(span.attributes).toEqual({
      'http.request.method': 'GET',
      'http.route': '/patients/:id',
      'http.response.status_code': 200,
    });
  });

  it('keeps the server address of a database client span', () => {
    const span = endedSpan(SpanKind.CLIENT, { 'db.system.name': 'mongodb', 'server.address': 'db.internal' });
    sut.onEnd(span);
    expect(span.attributes).toEqual({ 'db.system.name': 'mongodb', 'server.address': 'db.internal' });
  });

  it('drops status and exception messages but keeps the exception type and stack frames', () => {
    const span = endedSpan(SpanKind.CLIENT, {});
    sut.onEnd(span);
    expect(span.status).toEqual({ code: SpanStatusCode.ERROR });
    expect(span.events[0].attributes).toEqual({
      'exception.type': 'MongoServerError',
      'exception.stacktrace': '    at insert (repo.ts:1:1)',
    });
  });
});
