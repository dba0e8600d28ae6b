import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { NpmStart } from './support/npm-start';

const README = resolve(__dirname, '..', '..', '..', 'README.md');
const API_LINE = 'export API=http://localhost:3000';

/** The shell commands of the README's tour, in order: every `bash` block of its "five-minute tour" section. */
function tourCommands(): string {
  const readme = readFileSync(README, 'utf8');
  const tour = /^## A five-minute tour\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
  const blocks = [...tour.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].map((match) => match[1]);
  return blocks.join('\n');
}

/** Runs the tour in bash as a user pasting it would, stopping at the first failing command. */
async function runTour(instance: NpmStart): Promise<string> {
  const commands = tourCommands();
  expect(commands).toContain(API_LINE);
  const script = commands.replace(API_LINE, `export API=${instance.url}`);
  const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', script], {
    cwd: resolve(__dirname, '..', '..', '..'),
    env: instance.env(),
    timeout: 120_000,
  });
  return stdout;
}

/** `npm run token -- ARGS`, as the README runs it. */
async function token(instance: NpmStart, ...args: string[]): Promise<string> {
  const run = promisify(execFile);
  const { stdout } = await run('npm', ['run', '--silent', 'token', '--', ...args], { env: instance.env() });
  return stdout.trim();
}

describe('README', () => {
  let instance: NpmStart;

  beforeAll(async () => {
    instance = await NpmStart.create('readme');
    await instance.start();
  }, 330_000);

  afterAll(async () => {
    await instance.terminate();
    await instance.leftovers();
    instance.remove();
  }, 120_000);

  it('its tour, run as written against npm start, shows each step working', async () => {
    const output = await runTour(instance);

    expect(output).toMatch(/"resourceType":"Patient","id":"[\w-]+"/);
    expect(output).toContain('{"accepted":4,"rejected":[]}');
    expect(output).toMatch(/"resourceType":"Bundle","type":"searchset","total":3/);
    for (const loinc of ['8867-4', '85354-9', '8310-5']) expect(output).toContain(`"code":"${loinc}"`);
    expect(output).toMatch(/"valid":true/);
    expect(output).toMatch(/"actor":\{"id":"dev-clinician"/);
    expect(output).toContain('200 text/html');
  }, 180_000);

  let earlierToken: string;

  it('Ctrl-C stops the API, the issuer, Azurite, FerretDB and its PostgreSQL cluster', async () => {
    earlierToken = await token(instance, '--role', 'auditor');
    await instance.interrupt();

    expect(await instance.leftovers()).toEqual([]);
  }, 120_000);

  it('after a restart, tokens issued before it still work and the ledger still verifies', async () => {
    await instance.start();

    const res = await fetch(`${instance.url}/api/v1/audit/verify`, {
      headers: { authorization: `Bearer ${earlierToken}` },
    });
    const report = (await res.json()) as { valid: boolean; entriesChecked: number };
    expect(res.status).toBe(200);
    expect(report.valid).toBe(true);
    expect(report.entriesChecked).toBeGreaterThan(10);
  }, 330_000);

  it('SIGTERM to the npm process stops everything it started', async () => {
    await instance.terminate();

    expect(await instance.leftovers()).toEqual([]);
  }, 120_000);

  it('SIGTERM during start-up, once the engine runs, still stops everything', async () => {
    await instance.start('npm start: building the API');
    await instance.terminate();

    expect(await instance.leftovers()).toEqual([]);
  }, 330_000);
});
