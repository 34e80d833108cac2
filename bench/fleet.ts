/**
 * Fleet benchmark (`npm run bench:fleet`): N waits (default 100,000) run by 4 worker processes through
 * BullMQ and one local Redis, against the emulator with short scripted lifecycles. Measures Redis memory
 * per wait, polls per second, worker CPU per poll, and checks every outcome against the emulator.
 * Writes the `fleet` section of docs/benchmarks.md. Measures the built JavaScript (dist/).
 *
 * Env: BENCH_WAITS (100000), BENCH_WORKERS (4), BENCH_CONCURRENCY (per worker, 100), BENCH_DELAY_MS (the
 * delay between two polls of a wait, 120000; each job stays PENDING for 0.5–2.5 such delays), BENCH_WRITE (1:
 * write the docs section; 0: only print).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import os from 'node:os';
import type * as FleetModule from '../src/bullmq/index.js';
import type * as EmulatorModule from '../src/emulator/index.js';
import { ensureDist, ROOT } from './ensureDist.js';
import { machineLine, table, writeSection } from './report.js';
import { startRedisServer } from '../examples/fleet/redisServer.js';

const WAITS = Number(process.env.BENCH_WAITS ?? 100_000);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 4);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
const WRITE = process.env.BENCH_WRITE !== '0';
const QUEUE = 'aml-bench-fleet';
const DELAY_MS = Number(process.env.BENCH_DELAY_MS ?? 120_000);
/**
 * Polling settings of every wait: one fixed delay, long enough that most waits sleep in Redis between
 * polls (as real waits do), short enough that 100,000 waits finish in minutes.
 */
const SETTINGS = { minDelayMs: DELAY_MS, maxDelayMs: DELAY_MS, timeoutMs: 3_600_000 } as const;

function loadDist<T>(relative: string): Promise<T> {
  return import(pathToFileURL(join(ROOT, 'dist', relative)).href) as Promise<T>;
}

interface WorkerReport {
  readonly type: 'report';
  readonly steps: number;
  readonly requests: number;
  readonly completed: number;
  readonly failed: number;
  readonly cpuMs: number;
}

// ---------------------------------------------------------------------------------------------------------------
// Worker process: `bench/fleet.ts --worker <redisPort> <endpoint>`, the emulator's key pair in
// BENCH_ACCESS_KEY_ID / BENCH_SECRET_ACCESS_KEY (never on a command line, where `ps` shows it)

async function runWorker(args: string[]): Promise<void> {
  const [port, endpoint] = args;
  const accessKeyId = process.env.BENCH_ACCESS_KEY_ID;
  const secretAccessKey = process.env.BENCH_SECRET_ACCESS_KEY;
  const fleet = await loadDist<typeof FleetModule>('bullmq/index.js');
  const worker = await fleet.startWaitWorker({
    connection: { host: '127.0.0.1', port: Number(port), maxRetriesPerRequest: null },
    queueName: QUEUE,
    concurrency: CONCURRENCY,
    client: {
      endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: accessKeyId ?? '', secretAccessKey: secretAccessKey ?? '' },
    },
  });
  const cpuStart = process.cpuUsage();
  process.send?.({ type: 'ready' });
  process.on('message', (message: { type?: string }) => {
    if (message.type !== 'stop') return;
    const cpu = process.cpuUsage(cpuStart);
    void worker.close().then(() => {
      const report: WorkerReport = {
        type: 'report',
        ...worker.stats(),
        cpuMs: (cpu.user + cpu.system) / 1000,
      };
      process.send?.(report, () => process.exit(0));
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Orchestrator

function startWorker(
  port: number,
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
) {
  const child = fork(fileURLToPath(import.meta.url), ['--worker', String(port), endpoint], {
    execArgv: ['--import', 'tsx'],
    env: {
      ...process.env,
      BENCH_ACCESS_KEY_ID: credentials.accessKeyId,
      BENCH_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.once('message', () => {
      resolve();
    });
    child.once('exit', (code) => {
      reject(new Error(`worker exited (${code}) before ready`));
    });
  });
  return { child, ready };
}

function stopWorker(child: ChildProcess): Promise<WorkerReport> {
  return new Promise((resolve) => {
    child.on('message', (message: { type?: string }) => {
      if (message.type === 'report') resolve(message as WorkerReport);
    });
    child.send({ type: 'stop' });
  });
}

function usedMemory(info: string): number {
  const match = /used_memory:(\d+)/.exec(info);
  return Number(match?.[1] ?? 0);
}

async function main(): Promise<void> {
  ensureDist();
  const fleet = await loadDist<typeof FleetModule>('bullmq/index.js');
  const { startEmulator, createSeededRandom } = await loadDist<typeof EmulatorModule>('emulator/index.js');
  const redis = await startRedisServer();
  const emulator = await startEmulator({ port: 0, maxLogEntries: 0 });
  const random = createSeededRandom(2026);
  const queue = await fleet.openWaitQueue({
    connection: { host: redis.host, port: redis.port, maxRetriesPerRequest: null },
    queueName: QUEUE,
  });
  // ioredis under BullMQ's client type.
  const redisClient = (await queue.queue.client) as unknown as { info(section: string): Promise<string> };
  const memoryBefore = usedMemory(await redisClient.info('memory'));

  console.log(
    `bench:fleet: ${WAITS} waits, ${WORKERS} workers × concurrency ${CONCURRENCY}, redis :${redis.port}`,
  );
  const workers = Array.from({ length: WORKERS }, () =>
    startWorker(redis.port, emulator.endpoint, emulator.credentials),
  );
  await Promise.all(workers.map((w) => w.ready));

  // The truth: each id gets a scripted lifecycle (PENDING for 0.5–2.5 poll delays, then COMPLETED, or FAILED
  // for 1 in 10).
  const expected = new Map<string, 'COMPLETED' | 'FAILED'>();
  const started = performance.now();
  let peakMemory = 0;
  let peakSleeping = 0;
  const BATCH = 500;
  for (let from = 0; from < WAITS; from += BATCH) {
    const batch: Promise<unknown>[] = [];
    for (let n = from; n < Math.min(WAITS, from + BATCH); n++) {
      const id = `bp-${n}`;
      const fails = random() < 0.1;
      expected.set(id, fails ? 'FAILED' : 'COMPLETED');
      emulator.put('BatchPrediction', { BatchPredictionId: id }, [
        { status: 'PENDING', forMs: Math.round(DELAY_MS * (0.5 + 2 * random())) },
        fails
          ? { status: 'FAILED', message: `bad input ${n}` }
          : { status: 'COMPLETED', fields: { TotalRecordCount: n } },
      ]);
      batch.push(queue.enqueue('BatchPrediction', id, SETTINGS));
    }
    await Promise.all(batch);
  }
  const enqueuedMs = performance.now() - started;
  console.log(`bench:fleet: queued ${WAITS} in ${(enqueuedMs / 1000).toFixed(1)} s`);

  // Wait for every job to finish, sampling Redis memory.
  for (;;) {
    const counts = await queue.queue.getJobCounts(
      'completed',
      'failed',
      'active',
      'wait',
      'delayed',
      'prioritized',
    );
    peakMemory = Math.max(peakMemory, usedMemory(await redisClient.info('memory')));
    peakSleeping = Math.max(peakSleeping, counts.delayed ?? 0);
    const done = (counts.completed ?? 0) + (counts.failed ?? 0);
    if (done >= WAITS) break;
    process.stdout.write(
      `\rbench:fleet: ${done} done, ${counts.delayed ?? 0} sleeping, ${counts.active ?? 0} polling…   `,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  const elapsedMs = performance.now() - started;
  process.stdout.write('\n');
  const memoryFinished = usedMemory(await redisClient.info('memory'));
  const reports = await Promise.all(workers.map((w) => stopWorker(w.child)));

  // Every outcome against the emulator's truth.
  let wrong = 0;
  let checked = 0;
  for (const state of ['completed', 'failed'] as const) {
    for (let start = 0; ; start += 1000) {
      const jobs = await queue.queue.getJobs([state], start, start + 999, true);
      if (jobs.length === 0) break;
      for (const job of jobs) {
        checked++;
        const id = job.data.checkpoint.id;
        const truth = emulator.get('BatchPrediction', id) as
          { Status?: string; TotalRecordCount?: number; Message?: string } | undefined;
        const ok =
          state === 'completed'
            ? expected.get(id) === 'COMPLETED' &&
              truth?.Status === 'COMPLETED' &&
              job.returnvalue.checkpoint.lastResource?.TotalRecordCount === truth.TotalRecordCount
            : expected.get(id) === 'FAILED' &&
              truth?.Status === 'FAILED' &&
              job.data.error?.code === 'RESOURCE_FAILED' &&
              (job.data.error.lastResource as { Message?: string } | undefined)?.Message === truth.Message;
        if (!ok) wrong++;
      }
    }
  }

  await queue.close();
  await emulator.close();
  await redis.stop();

  const steps = reports.reduce((sum, r) => sum + r.steps, 0);
  const requests = reports.reduce((sum, r) => sum + r.requests, 0);
  const cpuMs = reports.reduce((sum, r) => sum + r.cpuMs, 0);
  const perWaitPeak = (peakMemory - memoryBefore) / WAITS;
  const perWaitFinished = (memoryFinished - memoryBefore) / WAITS;
  const rows: (string | number)[][] = [
    ['waits', WAITS.toLocaleString('en-US')],
    ['worker processes × concurrency', `${WORKERS} × ${CONCURRENCY}`],
    ['wall time (enqueue of all waits included)', `${(elapsedMs / 1000).toFixed(1)} s`],
    ['enqueue', `${(enqueuedMs / 1000).toFixed(1)} s (${Math.round(WAITS / (enqueuedMs / 1000))} waits/s)`],
    ['polls (poll jobs run)', `${steps.toLocaleString('en-US')} (${(steps / WAITS).toFixed(2)} per wait)`],
    ['most waits sleeping in Redis at once (no worker held)', peakSleeping.toLocaleString('en-US')],
    ['requests sent', requests.toLocaleString('en-US')],
    ['polls per second (whole run)', Math.round(steps / (elapsedMs / 1000))],
    ['worker CPU per poll', `${((cpuMs / steps) * 1000).toFixed(0)} µs`],
    ['Redis memory per wait (peak, while waits run)', `${(perWaitPeak / 1024).toFixed(2)} KiB`],
    ['Redis memory per wait (all finished, outcomes kept)', `${(perWaitFinished / 1024).toFixed(2)} KiB`],
    ['outcomes checked against the emulator', `${checked.toLocaleString('en-US')} (${wrong} wrong)`],
  ];
  const md = `## Fleet (\`npm run bench:fleet\`)

${WAITS.toLocaleString('en-US')} waits through \`aml-waiter/bullmq\`: ${WORKERS} worker processes (concurrency ${CONCURRENCY} each),
one local \`redis-server\`, the producer and the emulator in one more process, all on one machine. Each resource
has a scripted lifecycle (PENDING for 0.5–2.5 × ${DELAY_MS / 1000} s, then COMPLETED, or FAILED for 1 in 10); each wait polls
every ${DELAY_MS / 1000} s (\`minDelayMs\` = \`maxDelayMs\`) and sleeps in BullMQ's delayed set in between. Polls per second are
bounded by the machine's CPU, shared by all processes (workers, Redis, emulator, producer), and the queue runs
behind when the waits ask for more. Redis memory per wait = growth of \`used_memory\` over the empty queue,
divided by the number of waits. ${machineLine()}, load average ${os.loadavg()[0]?.toFixed(1) ?? '?'} at the end
(other processes shared the machine).

${table(['measure', 'value'], rows)}
`;
  console.log(md);
  if (WRITE) writeSection('fleet', md);
  if (wrong > 0 || checked !== WAITS) process.exitCode = 1;
}

if (process.argv[2] === '--worker') await runWorker(process.argv.slice(3));
else await main();
