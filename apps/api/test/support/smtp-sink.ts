import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** Decides, per recipient and attempt (1, 2, ...), whether to refuse the message with this SMTP code. */
export type Refusal = (to: string, attempt: number) => number | undefined;

/** Decides, per recipient and attempt, whether to take the message and never answer (a send left hanging). */
export type Hold = (to: string, attempt: number) => boolean;

/**
 * A real SMTP server on localhost (a port in 2525–2599) that keeps what it receives, so tests read what a
 * patient would get. `refuse` makes it answer a recipient with an error (451: try later, 550: refused);
 * `hold` makes it take a message and never answer, as a send that is still in flight.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Recipients of the messages held without an answer, in arrival order. */
  readonly held: string[] = [];
  private readonly tries = new Map<string, number>();
  private server?: SMTPServer;
  port = 0;

  constructor(
    private readonly refuse: Refusal = () => undefined,
    private readonly hold: Hold = () => false,
  ) {}

  async start(): Promise<void> {
    for (let tries = 0; ; tries++) {
      const port = 2525 + Math.floor(Math.random() * 75);
      const server = this.create();
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, '127.0.0.1', () => resolve());
        });
        this.server = server;
        this.port = port;
        return;
      } catch (error) {
        if (tries > 20) throw error;
      }
    }
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** The mails sent to one address. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((mail) => mail.to === address);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private create(): SMTPServer {
    return new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        const to = address.address;
        const attempt = (this.tries.get(to) ?? 0) + 1;
        this.tries.set(to, attempt);
        const code = this.refuse(to, attempt);
        if (code === undefined) return callback();
        callback(Object.assign(new Error('Refused by the test'), { responseCode: code }));
      },
      onData: (stream, session, callback) => {
        const to = session.envelope.rcptTo.map(({ address }) => address);
        if (to.some((address) => this.hold(address, this.tries.get(address) ?? 1))) {
          this.held.push(...to);
          return stream.resume();
        }
        simpleParser(stream)
          .then((mail) => {
            for (const { address } of session.envelope.rcptTo)
              this.received.push({
                to: address,
                subject: mail.subject ?? '',
                text: (mail.text ?? '').trim(),
              });
            callback();
          })
          .catch(callback);
      },
    });
  }
}
