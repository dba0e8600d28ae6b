/**
 * npm run bench:documents — document upload and download throughput through the API against the storage SDK
 * alone moving the same content (goal >= 0.8), and the API process's peak RSS while 16 uploads of 50 MB run
 * at once (goal < 300 MB: the proof that uploads stream). Needs the engine and Azurite:
 * `bash scripts/ferretdb.sh start 27418 && bash scripts/azurite.sh start 10500`.
 */
import 'reflect-metadata';
import { ContainerClient } from '@azure/storage-blob';
import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import { Role } from '@hdp/platform';
import { BenchCaller, benchCaller, startApi } from './api-process';

const ENGINE = process.env.BENCH_MONGODB_URL ?? 'mongodb://127.0.0.1:27418';
const AZURITE_PORT = process.env.BENCH_AZURITE_PORT ?? '10500';
const PORT = 3903;
const MB = 1024 * 1024;
const BLOCK = randomBytes(MB);
const PDF_HEAD = Buffer.from('%PDF-1.7\n');
const BOUNDARY = 'bench-boundary-7d3f';
const PRINCIPAL = { id: 'bench-user', clientId: 'bench', roles: [Role.Clinician], scopes: ['user/*.cruds'] };

/** `size` bytes of PDF-looking content, streamed from one shared block (the client holds no file). */
function content(size: number): Readable {
  return Readable.from(
    (function* () {
      yield PDF_HEAD;
      for (let sent = PDF_HEAD.length; sent < size; sent += BLOCK.length)
        yield BLOCK.subarray(0, Math.min(BLOCK.length, size - sent));
    })(),
    { objectMode: false },
  );
}

function call(
  caller: BenchCaller,
  method: string,
  path: string,
  headers: Record<string, string | number>,
  body?: (req: NodeJS.WritableStream) => void,
): Promise<{ status: number; text: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = request({
      port: PORT,
      host: '127.0.0.1',
      method,
      path,
      headers: { authorization: caller.authorization, ...headers },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        if (chunks.length < 4) chunks.push(chunk);
      });
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString(), bytes }),
      );
    });
    if (body) body(req);
    else req.end();
  });
}

async function uploadViaApi(caller: BenchCaller, patientId: string, size: number): Promise<string> {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nBench\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="content"; filename="b.pdf"\r\n` +
      'Content-Type: application/pdf\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const res = await call(
    caller,
    'POST',
    `/api/v1/patients/${patientId}/documents`,
    {
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      'content-length': head.length + size + tail.length,
    },
    (req) => {
      req.write(head);
      const stream = content(size);
      stream.on('end', () => req.end(tail));
      stream.pipe(req, { end: false });
    },
  );
  if (res.status !== 201) throw new Error(`upload answered ${res.status}: ${res.text.slice(0, 200)}`);
  return (JSON.parse(res.text) as { id: string }).id;
}

async function downloadViaApi(caller: BenchCaller, patientId: string, id: string): Promise<number> {
  const res = await call(caller, 'GET', `/api/v1/patients/${patientId}/documents/${id}/content`, {});
  if (res.status !== 200) throw new Error(`download answered ${res.status}`);
  return res.bytes;
}

async function downloadViaSdk(container: ContainerClient, name: string): Promise<number> {
  const body = (await container.getBlobClient(name).download()).readableStreamBody!;
  let bytes = 0;
  for await (const chunk of body) bytes += (chunk as Buffer).length;
  return bytes;
}

/** MB/s of `count` transfers of `size` bytes, `concurrency` at a time. */
async function throughput(
  count: number,
  concurrency: number,
  size: number,
  transfer: (i: number) => Promise<unknown>,
) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) await transfer(next++);
    }),
  );
  return (count * size) / MB / ((performance.now() - started) / 1000);
}

/** Samples the process's resident set every 20 ms while `work` runs; returns the peak in MB. */
async function peakRss(pid: number, work: () => Promise<unknown>): Promise<number> {
  const rss = () =>
    Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  let peak = rss();
  const timer = setInterval(() => (peak = Math.max(peak, rss())), 20);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, rss());
}

async function main(): Promise<void> {
  const caller = await benchCaller(PRINCIPAL);
  const connection = execFileSync('bash', ['scripts/azurite.sh', 'connection-string', AZURITE_PORT])
    .toString()
    .trim();
  const containerName = `bench-${randomBytes(4).toString('hex')}`;
  const container = new ContainerClient(connection, containerName);
  const api = await startApi(
    PORT,
    caller,
    {
      MONGODB_URI: `${ENGINE}/bench_documents_${randomBytes(4).toString('hex')}`,
      DOCUMENTS_STORAGE_CONNECTION_STRING: connection,
      DOCUMENTS_CONTAINER: containerName,
    },
    { compiled: true },
  );
  try {
    const patient = await call(
      caller,
      'POST',
      '/api/v1/patients',
      { 'content-type': 'application/json' },
      (req) =>
        req.end(
          JSON.stringify({
            name: { family: 'Bench', given: ['Docs'] },
            birthDate: '1970-01-01',
            gender: 'unknown',
          }),
        ),
    );
    const patientId = (JSON.parse(patient.text) as { id: string }).id;
    const row = (name: string, api: number, sdk: number) =>
      console.log(
        `${name.padEnd(28)} api ${api.toFixed(1).padStart(7)} MB/s   sdk ${sdk.toFixed(1).padStart(7)} MB/s   api/sdk ${(api / sdk).toFixed(2)}`,
      );

    for (const [size, count, concurrency] of [
      [MB, 64, 4],
      [50 * MB, 6, 2],
    ] as const) {
      const ids: string[] = [];
      const names: string[] = [];
      const up = await throughput(count, concurrency, size, async () =>
        ids.push(await uploadViaApi(caller, patientId, size)),
      );
      const upSdk = await throughput(count, concurrency, size, async () => {
        const name = `sdk/${randomUUID()}`;
        await container.getBlockBlobClient(name).uploadStream(content(size), 2 * MB, 2);
        names.push(name);
      });
      row(`upload ${size / MB} MB x${count} c=${concurrency}`, up, upSdk);
      const down = await throughput(count, concurrency, size, (i) =>
        downloadViaApi(caller, patientId, ids[i]),
      );
      const downSdk = await throughput(count, concurrency, size, (i) => downloadViaSdk(container, names[i]));
      row(`download ${size / MB} MB x${count} c=${concurrency}`, down, downSdk);
    }

    const before = await peakRss(api.pid!, () => Promise.resolve());
    const peak = await peakRss(api.pid!, () =>
      Promise.all(Array.from({ length: 16 }, () => uploadViaApi(caller, patientId, 50 * MB))),
    );
    console.log(
      `16 concurrent 50 MB uploads: API RSS ${before.toFixed(0)} MB before, peak ${peak.toFixed(0)} MB (goal < 300 MB)`,
    );
  } finally {
    api.kill();
    await container.deleteIfExists();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
