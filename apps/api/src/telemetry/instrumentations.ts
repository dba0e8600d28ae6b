import type { Instrumentation } from '@opentelemetry/instrumentation';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { IORedisInstrumentation } from '@opentelemetry/instrumentation-ioredis';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { MongooseInstrumentation } from '@opentelemetry/instrumentation-mongoose';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { statementShape } from './phi-redaction';

/**
 * What is traced, each configured so that no value from a request or a document is recorded: database
 * statements keep their shape only, Redis commands their name only, and no body is ever captured.
 * Logs get trace_id and span_id; they are also sent to the log exporters when any is configured.
 */
export function instrumentations(options: { sendLogs: boolean; metricsPort?: number }): Instrumentation[] {
  return [
    // Scrapes of /metrics are not requests to the API.
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (req) => req.socket.localPort === options.metricsPort,
    }),
    new ExpressInstrumentation(),
    new NestInstrumentation(),
    new MongoDBInstrumentation({ enhancedDatabaseReporting: false, dbStatementSerializer: statementShape }),
    new MongooseInstrumentation({ dbStatementSerializer: (_operation, payload) => statementShape(payload) }),
    new IORedisInstrumentation({ dbStatementSerializer: (command) => command }),
    new PinoInstrumentation({ disableLogSending: !options.sendLogs }),
  ];
}
