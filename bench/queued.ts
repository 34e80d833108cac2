/**
 * `npm run bench:queued`: what a wait holds while its first `Get…` waits in the client — the state that
 * thousands of waits started at once keep for seconds, and so what gets promoted to the old generation at the
 * start of a scale run (issue #16's peak heap, issue #17's cost of telemetry).
 *
 * 10,000 waits (`polling: 'get'`, one shared client, default options) against a server that accepts every
 * connection and never answers: 64 requests go out and hang, the rest queue in the client. After 1.5 s and
 * forced collections, (`heapUsed` − `heapUsed` before the waits) / waits is what one queued wait holds. Unlike
 * the scale benchmark's peak (garbage included, moved by when V8 collects), this is exact and repeatable to a
 * few bytes. Five set-ups, each in a fresh process: no OpenTelemetry; the same with one `signal` every wait
 * shares; an application that traces (its own SDK
 * set-up, the waits started in its span), aml-waiter's telemetry off; the same with telemetry on; and the same
 * with a sampler that records nothing. QUEUED_BASELINE_DIST=<dir>: also measure another build (`dist/` of an
 * older commit, named by QUEUED_BASELINE_LABEL). Writes the `queued` section of docs/benchmarks.md.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as Library from '../src/index.js';
import { distSnapshot } from './ensureDist.js';
import { openTelemetrySdk } from './openTelemetrySdk.js';
import { machineLine, table, writeSection } from './report.js';

const SELF = fileURLToPath(import.meta.url);
const WAITS = Number(process.env.QUEUED_WAITS ?? 10_000);
const SETUPS = ['off', 'signal', 'app', 'on', 'unsampled'] as const;
type Setup = (typeof SETUPS)[number];
const LABELS: Record<Setup, string> = {
  off: 'no OpenTelemetry in the process',
  signal: 'the same, every wait given one shared `signal` (as `waitForAll` gives its waits)',
  app: 'an application that traces, telemetry off',
  on: 'the same, telemetry on',
  unsampled: 'the same, telemetry on with a sampler that records nothing',
};

async function collect(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((done) => setTimeout(done, 20));
  }
}

/** The OpenTelemetry set-up of `setup`: the `telemetry` option, and how the application runs its code. */
async function applicationOf(setup: Setup): Promise<{
  telemetry: object | undefined;
  run: <T>(fn: () => T) => T;
}> {
  if (setup === 'off' || setup === 'signal') return { telemetry: undefined, run: (fn) => fn() };
  const sdk = await openTelemetrySdk(setup === 'unsampled' ? 'unsampled' : 'full');
  return { telemetry: setup === 'app' ? undefined : sdk.telemetry, run: sdk.inApplicationSpan };
}

/** The child: measures one set-up of one build, and sends bytes per queued wait. */
async function child(dist: string, setup: Setup): Promise<void> {
  const server = createServer((socket) => {
    socket.on('data', () => undefined);
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  const lib = (await import(pathToFileURL(join(dist, 'index.js')).href)) as typeof Library;
  const { telemetry, run } = await applicationOf(setup);
  const client = new lib.AmazonMLClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIDQUEUEDBENCH', secretAccessKey: 'queued-bench-secret' },
    env: {},
    ...(telemetry === undefined ? {} : { telemetry }),
  });
  // One wait first, so that the client's settings, credentials and telemetry are loaded before the baseline.
  const warmUp = new AbortController();
  const first = lib
    .waitForBatchPrediction('bp-warm-up', { client, signal: warmUp.signal })
    .catch(() => 'ended');
  await new Promise((done) => setTimeout(done, 300));
  warmUp.abort();
  await first;
  await collect();
  const shared = setup === 'signal' ? new AbortController().signal : undefined;
  const before = process.memoryUsage().heapUsed;
  const waits = run(() =>
    Array.from({ length: WAITS }, (_, i) =>
      lib
        .waitForBatchPrediction(`bp-queued-${String(i).padStart(6, '0')}`, {
          client,
          polling: 'get',
          timeoutMs: 3_600_000,
          ...(shared === undefined ? {} : { signal: shared }),
        })
        .catch(() => 'ended'),
    ),
  );
  await new Promise((done) => setTimeout(done, 1_500));
  await collect();
  const bytes = (process.memoryUsage().heapUsed - before) / WAITS;
  process.send?.({ bytes, waits: waits.length });
  process.exit(0);
}

async function measure(dist: string, setup: Setup): Promise<number> {
  const process_ = fork(SELF, ['--child', dist, setup], {
    execArgv: [...process.execArgv, '--expose-gc'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const [message] = (await once(process_, 'message')) as [{ bytes: number }];
  return message.bytes;
}

async function main(): Promise<void> {
  const dist = distSnapshot('queued');
  const baseline = process.env.QUEUED_BASELINE_DIST;
  const builds: [string, string][] = [
    ['this build', dist],
    ...(baseline === undefined
      ? []
      : ([[process.env.QUEUED_BASELINE_LABEL ?? 'baseline build', resolve(baseline)]] as [string, string][])),
  ];
  const rows: (string | number)[][] = [];
  for (const setup of SETUPS) {
    const row: (string | number)[] = [LABELS[setup]];
    for (const [, build] of builds) row.push(Math.round(await measure(build, setup)).toLocaleString('en-US'));
    rows.push(row);
  }
  const md = `## What a queued wait holds (\`npm run bench:queued\`)

${machineLine()}; load average at the end: ${os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(', ')}.

${WAITS.toLocaleString('en-US')} waits started at once through one shared client (\`polling: 'get'\`, default
options) against a server that never answers: 64 requests hang in flight, the others wait in the client's queue.
Bytes of heap each wait holds then (after forced collections: exact, not a peak), each set-up in a fresh process.

${table(['set-up', ...builds.map(([name]) => `bytes per queued wait (${name})`)], rows)}
`;
  writeSection('queued', md);
  process.stdout.write(md);
}

if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4] as Setup);
else await main();
