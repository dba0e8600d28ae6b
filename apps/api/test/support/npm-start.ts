import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { freePort } from './app-process';

const REPO = resolve(__dirname, '..', '..', '..', '..');

/** Variables that would make `npm start` use something other than what it starts itself. */
const INHERITED_CONFIG =
  /^(NODE_ENV|MONGODB_URI|OIDC_|DEVICE_|AUDIT_SIGNING_KEY|SUBSCRIPTION_KEY_PEPPER|DOCUMENTS_)/;

/**
 * `npm start` as a user runs it, in a terminal of its own (its own process group), with a data folder of its
 * own and free ports, so it shares nothing with a developer's `npm start` or another suite.
 */
export class NpmStart {
  output = '';
  readonly dataDir: string;
  private child?: ChildProcess;
  private exited?: Promise<number | null>;

  private constructor(
    readonly ports: { api: number; issuer: number; engine: number; azurite: number },
    name: string,
  ) {
    // Not under .data/tmp, where scripts/ferretdb.sh deletes a stopped cluster: restarts must find their data.
    this.dataDir = join(REPO, '.data', 'npm-start-tests', `${name}-${ports.api}`);
  }

  static async create(name: string): Promise<NpmStart> {
    const [api, issuer, engine, azurite] = await Promise.all([
      freePort(),
      freePort(),
      freePort(),
      freePort(),
    ]);
    const started = new NpmStart({ api, issuer, engine, azurite }, name);
    // Traversable by the postgres user that runs the engine's cluster when the suite runs as root.
    mkdirSync(started.dataDir, { recursive: true, mode: 0o755 });
    return started;
  }

  get url(): string {
    return `http://127.0.0.1:${this.ports.api}`;
  }

  /** The environment a user's shell would have, pointed at this instance's folder and ports. */
  env(): NodeJS.ProcessEnv {
    const inherited = Object.entries(process.env).filter(([name]) => !INHERITED_CONFIG.test(name));
    return {
      ...Object.fromEntries(inherited),
      DATA_DIR: this.dataDir,
      PORT: String(this.ports.api),
      DEV_ISSUER_PORT: String(this.ports.issuer),
      FERRETDB_PORT: String(this.ports.engine),
      AZURITE_PORT: String(this.ports.azurite),
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      LOG_LEVEL: 'warn',
    };
  }

  /** Runs `npm start`; resolves once `until` appears in its output (by default: the API is ready). */
  async start(until = `API ready on http://localhost:${this.ports.api}`, timeoutMs = 300_000): Promise<void> {
    this.output = '';
    const child = spawn('npm', ['start'], { cwd: REPO, env: this.env(), detached: true, stdio: 'pipe' });
    this.child = child;
    this.exited = new Promise((done) => child.on('exit', (code) => done(code)));
    const seen = new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`npm start: no "${until}":\n${this.output}`)), timeoutMs);
      const read = (chunk: Buffer) => {
        this.output += chunk.toString('utf8');
        if (this.output.includes(until)) {
          clearTimeout(timer);
          done();
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      void this.exited?.then(() => fail(new Error(`npm start exited:\n${this.output}`)));
    });
    await seen;
  }

  /** Ctrl-C in the terminal: SIGINT to every process of its group. Resolves with npm's exit code. */
  interrupt(): Promise<number | null> {
    process.kill(-(this.child?.pid ?? 0), 'SIGINT');
    return this.exited ?? Promise.resolve(null);
  }

  /** `kill PID` of the npm process alone. Resolves with npm's exit code. */
  terminate(): Promise<number | null> {
    this.child?.kill('SIGTERM');
    return this.exited ?? Promise.resolve(null);
  }

  /**
   * What is still running of this instance once everything should have stopped: its ports that accept
   * connections and its processes (PostgreSQL, FerretDB, Azurite, the issuer), waiting up to `graceMs` for them
   * to go.
   */
  async leftovers(graceMs = 90_000): Promise<string[]> {
    const deadline = Date.now() + graceMs;
    for (;;) {
      const left = [...(await this.openPorts()), ...this.processes()];
      if (left.length === 0 || Date.now() > deadline) return left;
      await new Promise((done) => setTimeout(done, 500));
    }
  }

  remove(): void {
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async openPorts(): Promise<string[]> {
    const open = await Promise.all(
      Object.entries(this.ports).map(async ([name, port]) =>
        (await accepts(port)) ? `${name} port ${port}` : '',
      ),
    );
    return open.filter(Boolean);
  }

  private processes(): string[] {
    const marks = [
      this.dataDir,
      `127.0.0.1:${this.ports.engine}`,
      `--blobPort ${this.ports.azurite}`,
      `issuer.ts ${this.ports.issuer}`,
    ];
    return execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' })
      .split('\n')
      .filter((line) => marks.some((mark) => line.includes(mark)) && !line.includes(' ps -eo'));
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}
