import { Injectable } from '@nestjs/common';
import { AppConfig, InvalidInputError } from '@hdp/platform';
import { IntakeBody, IntakeTooLargeError } from './intake-body';
import { IntakeRepository } from './intake.repository';

/** Why one event of a batch was refused. */
export enum IntakeRejection {
  NotAnObject = 'not-an-object',
  InvalidJson = 'invalid-json',
  TooLarge = 'too-large',
  ForbiddenKey = 'forbidden-key',
}

export interface IntakeResult {
  readonly accepted: number;
  readonly rejected: readonly { readonly index: number; readonly reason: IntakeRejection }[];
}

// Keys that could act as a query operator or reach an object's prototype if ever used as one.
const FORBIDDEN_KEY = /^\$|^__proto__$|^constructor$|^prototype$/;

/** Checks a gateway's batch event by event and queues the good ones durably for the pipeline. */
@Injectable()
export class IntakeService {
  constructor(
    private readonly config: AppConfig,
    private readonly intake: IntakeRepository,
  ) {}

  /** Resolves once the accepted events are stored; throws 400/413/422 and stores nothing when none is. */
  async accept(body: IntakeBody): Promise<IntakeResult> {
    const events = body.kind === 'json' ? arrayOf(body.value) : linesOf(body.text);
    if (events.length === 0) throw new InvalidInputError('The batch holds no events.');
    if (events.length > this.config.DEVICE_INTAKE_MAX_EVENTS) {
      throw new IntakeTooLargeError(`A batch holds at most ${this.config.DEVICE_INTAKE_MAX_EVENTS} events.`);
    }
    const accepted: string[] = [];
    const rejected: IntakeResult['rejected'][number][] = [];
    events.forEach((event, index) => {
      const checked = this.check(event);
      if (typeof checked === 'string') accepted.push(checked);
      else rejected.push({ index, reason: checked.reason });
    });
    if (accepted.length === 0) {
      throw new InvalidInputError(
        'No event in the batch can be accepted.',
        rejected.map(({ index, reason }) => ({ path: `[${index}]`, message: reason })),
      );
    }
    await this.intake.enqueue(accepted);
    return { accepted: accepted.length, rejected };
  }

  /** The event as JSON text, or why it is refused. */
  private check(event: ParsedEvent): string | { reason: IntakeRejection } {
    if (event === INVALID_JSON) return { reason: IntakeRejection.InvalidJson };
    if (typeof event !== 'object' || event === null || Array.isArray(event)) {
      return { reason: IntakeRejection.NotAnObject };
    }
    if (hasForbiddenKey(event)) return { reason: IntakeRejection.ForbiddenKey };
    const text = JSON.stringify(event);
    if (Buffer.byteLength(text) > this.config.DEVICE_INTAKE_MAX_EVENT_BYTES)
      return { reason: IntakeRejection.TooLarge };
    return text;
  }
}

const INVALID_JSON = Symbol('invalid-json');
type ParsedEvent = unknown;

function arrayOf(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new InvalidInputError('The body must be a JSON array of events.');
  return value;
}

function linesOf(text: string): ParsedEvent[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return INVALID_JSON;
      }
    });
}

function hasForbiddenKey(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) return value.some(hasForbiddenKey);
  return Object.entries(value).some(([key, child]) => FORBIDDEN_KEY.test(key) || hasForbiddenKey(child));
}
