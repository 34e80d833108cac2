/**
 * Scale benchmark (issue #7): many concurrent waits on batch predictions against the emulator, side by
 * side for four contenders, each in a fresh child process so CPU, RSS and heap are its own:
 *   1. aml-waiter, per-id polling (`polling: 'get'`, one shared client);
 *   2. aml-waiter with default options (`polling: 'auto'`: list polling from 50 waits; one shared client);
 *   3. the AWS SDK v3 `waitUntilBatchPredictionAvailable` (DescribeBatchPredictions, `Name` EQ a unique name);
 *   4. a naive loop: undici `request` + `aws4.sign` + `JSON.parse` per poll, `setTimeout` between polls.
 * The emulator runs in its own child process; requests are counted by the emulator itself.
 *
 * Run: `npm run bench:scale` (`tsx bench/scale.ts`). Writes the `scale` section of docs/benchmarks.md and
 * docs/benchmarks/scale.svg. Env: SCALE_WAITS (default 10000), SCALE_SDK_WAITS (default: the same; the emulator
 * answers the SDK's DescribeBatchPredictions with Name EQ from an index), SCALE_MIN_DELAY_S (1),
 * SCALE_MAX_DELAY_S (5), SCALE_LIST=denied|empty (the list call denied, or answering empty pages: written
 * to the `scale-list-denied` / `scale-list-empty` sections), SCALE_PHASE_MS (5000: how long each job stays
 * PENDING, then INPROGRESS; e.g. 1000 with SCALE_MAX_DELAY_S=2 for the shape of issue #16's harness, where
 * a job completes on about its third read). Heap: peak heapUsed sampled every 50 ms during
 * the timed run, no forced GC.
 *
 * Telemetry mode (issue #17), `SCALE_TELEMETRY=1 npm run bench:scale`: in rounds, per-id polling with telemetry
 * off (no OpenTelemetry in the process), off in an application that traces, and on (the real SDK: a batch span
 * processor into an in-memory exporter, and a meter provider); default options (list polling) off in that
 * application and on; and, with SCALE_BASELINE_DIST=<dir>, a build from before telemetry existed (off must not
 * cost more than that). Writes the `telemetry` section of docs/benchmarks.md.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as EmulatorModule from '../src/emulator/index.js';
import type * as Library from '../src/index.js';
import { distSnapshot, ROOT } from './ensureDist.js';
import { openTelemetrySdk, type TelemetryPart } from './openTelemetrySdk.js';
import { machineLine, table, writeSection } from './report.js';
import { barChartSvg, type ChartPanel } from './svgBarChart.js';

const WAITS = Number(process.env.SCALE_WAITS ?? 10_000);
const SDK_WAITS = Number(process.env.SCALE_SDK_WAITS ?? WAITS);
/** SCALE_LIST=denied|empty: the emulator answers Describe… with 403 AccessDeniedException, or empty pages. */
const LIST_FAULT = process.env.SCALE_LIST as 'denied' | 'empty' | undefined;
const MIN_DELAY_S = Number(process.env.SCALE_MIN_DELAY_S ?? 1);
const MAX_DELAY_S = Number(process.env.SCALE_MAX_DELAY_S ?? 5);
/**
 * Connections per origin for every contender: 50 (the SDK's default `maxSockets`) unless SCALE_CONNECTIONS
 * says otherwise; `SCALE_CONNECTIONS=default` leaves each contender its own default (aml-waiter's client: 64;
 * the naive loop's undici Agent: no limit — 10,000 sockets at once here; the SDK: 50).
 */
const CONNECTIONS =
  process.env.SCALE_CONNECTIONS === 'default' ? undefined : Number(process.env.SCALE_CONNECTIONS ?? 50);
/** SCALE_PHASE_MS: how long each job stays PENDING, then INPROGRESS (default 5,000 ms, plus up to 40 % more). */
const PHASE_MS = Number(process.env.SCALE_PHASE_MS ?? 5_000);
const PHASE_SPREAD_MS = Math.round(PHASE_MS * 0.4);
/** Every this-many-th job ends FAILED (scripted), the others COMPLETED. */
const FAIL_EVERY = 100;
/** SCALE_HEAP_TRACE=1: heapUsed over the timed run, every 0.5 s, on stderr. */
const HEAP_TRACE = process.env.SCALE_HEAP_TRACE !== undefined;
/** How often heapUsed is sampled during the timed run (its peak is reported). */
const HEAP_SAMPLE_EVERY_MS = 50;
/** Every job ends within 14 s of its creation; a wait still running after this is a failure. */
const TIMEOUT_S = 90;
/** The raw results of the last complete run (for SCALE_RENDER_ONLY). */
const LAST_RUN = join(
  ROOT,
  'node_modules',
  '.cache',
  'aml-waiter-bench',
  'scale',
  `last-run${process.env.SCALE_LIST === undefined ? '' : `-list-${process.env.SCALE_LIST}`}.json`,
);
/** Delay between polls in the idle-heap phase: long enough that every wait sleeps after its first poll. */
const IDLE_DELAY_S = 60;
const SELF = fileURLToPath(import.meta.url);
/** SCALE_DIST=<dir>: measure another build of aml-waiter (e.g. one with a patch applied); default: a copy of dist/. */
const DIST_DIR_OVERRIDE = process.env.SCALE_DIST;

type ContenderName =
  | 'get'
  | 'list'
  | 'sdk'
  | 'naive'
  | 'get-otel'
  | 'get-otel-app'
  | 'list-otel'
  | 'list-otel-app'
  | 'get-baseline';
/** SCALE_TELEMETRY=1: the telemetry mode (see the top of the file). */
const TELEMETRY_MODE = process.env.SCALE_TELEMETRY === '1';
/**
 * SCALE_ROUNDS (telemetry mode, default 5): the contenders run this many times, interleaved, and the
 * section reports each one's median round and the median of the per-round ratios — one process's CPU
 * time moves by ±20 % between runs on this machine, more than the effect measured.
 */
const ROUNDS = Number(process.env.SCALE_ROUNDS ?? 5);
/** SCALE_BASELINE_DIST=<dir>: a build of aml-waiter from before telemetry, for the `get-baseline` row. */
const BASELINE_DIST = process.env.SCALE_BASELINE_DIST;

const LABELS: Record<ContenderName, string> = {
  get: 'aml-waiter, per-id polling (`polling: get`)',
  list: 'aml-waiter, default options (`polling: auto`: list polling from 50 waits)',
  sdk: 'AWS SDK v3 `waitUntilBatchPredictionAvailable`',
  naive: 'naive loop (undici + aws4 + JSON.parse)',
  'get-otel':
    'aml-waiter `get`, telemetry on (OpenTelemetry SDK: batch span processor + in-memory exporter, meter provider; the waits started in a span of the application)',
  'get-otel-app':
    'aml-waiter `get`, telemetry off in an application that traces (the same SDK set-up, not given to the client; the waits started in a span of the application)',
  'list-otel':
    'aml-waiter, default options (`polling: auto`), telemetry on (the same set-up as `get` with telemetry on)',
  'list-otel-app':
    'aml-waiter, default options (`polling: auto`), telemetry off in an application that traces (as above)',
  'get-baseline': 'aml-waiter `get`, the build before telemetry (`SCALE_BASELINE_DIST`)',
};
const SHORT: Record<ContenderName, string> = {
  get: 'aml-waiter get',
  list: 'aml-waiter default',
  sdk: 'AWS SDK',
  naive: 'naive loop',
  'get-otel': 'get + OpenTelemetry',
  'get-otel-app': 'get, OpenTelemetry in the app only',
  'list-otel': 'default + OpenTelemetry',
  'list-otel-app': 'default, OpenTelemetry in the app only',
  'get-baseline': 'get, before telemetry',
};

interface Target {
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

interface ContenderSpec extends Target {
  /** The built aml-waiter to import (a directory like dist/). */
  readonly dist: string;
  readonly contender: ContenderName;
  readonly prefix: string;
  readonly count: number;
}

/** What a contender child reports. */
interface ContenderResult {
  readonly wallMs: number;
  readonly cpuMs: number;
  /** Of `cpuMs`, the main thread's, and the other threads' (GC helpers, libuv's pool): from /proc, 10 ms ticks. */
  readonly mainThreadCpuMs?: number;
  readonly otherThreadsCpuMs?: number;
  readonly maxRssBytes: number;
  readonly baselineHeapBytes: number;
  readonly heapPerWaitBytes: number;
  /** Heap per wait while all waits sleep between polls (the idle phase). */
  readonly idleHeapPerWaitBytes: number;
  /** Waits still pending when the heap was sampled (all of them). */
  readonly pendingAtHeapSample: number;
  /** CPU time of the forced GC (not counted in `cpuMs`). */
  readonly gcCpuMs: number;
  readonly eventLoopP99Ms: number;
  readonly eventLoopMaxMs: number;
  readonly completed: number;
  readonly failed: number;
  readonly failedIds: readonly string[];
  readonly otherErrors: readonly string[];
}

type EmulatorRequest =
  | { readonly op: 'setup'; readonly prefix: string; readonly count: number; readonly idle?: boolean }
  | { readonly op: 'counters' };
type EmulatorReply =
  | ({ readonly op: 'started' } & Target)
  | { readonly op: 'setup-done'; readonly ms: number }
  | {
      readonly op: 'counters';
      readonly requests: number;
      readonly byOperation: Record<string, number>;
      readonly byStatus: Record<string, number>;
      readonly cpuMs: number;
    };

const idOf = (prefix: string, i: number): string => `${prefix}-${String(i).padStart(5, '0')}`;
const expectFailed = (i: number): boolean => i % FAIL_EVERY === FAIL_EVERY - 1;

/* ------------------------------------------------------------------ emulator child */

async function emulatorChild(dist: string): Promise<void> {
  const { startEmulator } = (await import(
    pathToFileURL(join(dist, 'emulator', 'index.js')).href
  )) as typeof EmulatorModule;
  const emulator = await startEmulator({ maxLogEntries: 0, keepAliveTimeoutMs: 30_000 });
  const send = (message: EmulatorReply): void => {
    process.send?.(message);
  };
  process.on('message', (message: EmulatorRequest) => {
    if (message.op === 'setup') {
      const started = performance.now();
      emulator.reset();
      if (LIST_FAULT === 'denied') emulator.addFault({ kind: 'listDenied' });
      if (LIST_FAULT === 'empty') emulator.addFault({ kind: 'emptyPages' });
      for (let i = 0; i < message.count; i++) {
        const id = idOf(message.prefix, i);
        if (message.idle === true) {
          emulator.put('BatchPrediction', {
            BatchPredictionId: id,
            Name: id,
            MLModelId: 'scale-ml',
            BatchPredictionDataSourceId: 'scale-ds',
            InputDataLocationS3: 's3://scale/in.csv',
            OutputUri: 's3://scale/out/',
            Status: 'PENDING',
          });
          continue;
        }
        // Staggered short lifecycles: PENDING 5–7 s, INPROGRESS 5–7 s, then COMPLETED (1 in 100 FAILED).
        const pendingMs = PHASE_MS + ((i * 37) % PHASE_SPREAD_MS);
        const inProgressMs = PHASE_MS + ((i * 91) % PHASE_SPREAD_MS);
        emulator.put(
          'BatchPrediction',
          {
            BatchPredictionId: id,
            Name: id,
            MLModelId: 'scale-ml',
            BatchPredictionDataSourceId: 'scale-ds',
            InputDataLocationS3: 's3://scale/in.csv',
            OutputUri: 's3://scale/out/',
          },
          [
            { status: 'PENDING', forMs: pendingMs },
            { status: 'INPROGRESS', forMs: inProgressMs },
            expectFailed(i) ? { status: 'FAILED', message: 'Scripted failure' } : { status: 'COMPLETED' },
          ],
        );
      }
      send({ op: 'setup-done', ms: performance.now() - started });
    } else {
      const counters = emulator.counters();
      const cpu = process.cpuUsage();
      send({
        op: 'counters',
        requests: counters.requests,
        byOperation: { ...counters.byOperation },
        byStatus: { ...counters.byStatus },
        cpuMs: (cpu.user + cpu.system) / 1000,
      });
    }
  });
  process.on('disconnect', () => {
    void emulator.close().then(() => process.exit(0));
  });
  send({
    op: 'started',
    endpoint: emulator.endpoint,
    region: emulator.region,
    accessKeyId: emulator.credentials.accessKeyId,
    secretAccessKey: emulator.credentials.secretAccessKey,
  });
}

/* ------------------------------------------------------------------ contender child */

/** Polling bounds and cancellation of one batch of waits. */
interface WaitPlan {
  readonly minDelayS: number;
  readonly maxDelayS: number;
  readonly signal?: AbortSignal | undefined;
}

/** Starts one wait per id; each promise resolves with the final status or rejects. */
type StartWaits = (ids: readonly string[], plan: WaitPlan) => Promise<'COMPLETED' | 'FAILED'>[];

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

async function prepareContender(spec: ContenderSpec): Promise<StartWaits> {
  const credentials = { accessKeyId: spec.accessKeyId, secretAccessKey: spec.secretAccessKey };
  const { Agent } = await import('undici');
  const dispatcher =
    CONNECTIONS === undefined ? undefined : new Agent({ connections: CONNECTIONS, keepAliveTimeout: 30_000 });
  if (
    spec.contender === 'get' ||
    spec.contender === 'list' ||
    spec.contender === 'get-otel' ||
    spec.contender === 'get-otel-app' ||
    spec.contender === 'list-otel' ||
    spec.contender === 'list-otel-app' ||
    spec.contender === 'get-baseline'
  ) {
    const tracing = spec.contender === 'get-otel' || spec.contender === 'list-otel';
    // The application's OpenTelemetry set-up (its context manager above all) costs with telemetry off too.
    const otel =
      tracing || spec.contender === 'get-otel-app' || spec.contender === 'list-otel-app'
        ? // SCALE_OTEL_PART=spans|metrics|unsampled (diagnostic): give the contenders with telemetry on only the tracer
          // provider, only the meter provider, or one whose sampler records nothing — which part costs what.
          await openTelemetrySdk(
            tracing ? ((process.env.SCALE_OTEL_PART as TelemetryPart | undefined) ?? 'full') : 'full',
          )
        : undefined;
    const run = otel?.inApplicationSpan ?? (<T>(fn: () => T): T => fn());
    const lib = (await import(pathToFileURL(join(spec.dist, 'index.js')).href)) as typeof Library;
    // `list` is the default contender: no polling option, as a user loads it (auto → list from 50 waits).
    const polling = spec.contender.startsWith('list') ? undefined : 'get';
    const client = new lib.AmazonMLClient({
      endpoint: spec.endpoint,
      region: spec.region,
      credentials,
      env: {},
      ...(dispatcher === undefined ? {} : { dispatcher }),
      ...(tracing ? { telemetry: otel?.telemetry } : {}),
    });
    return (ids, plan) =>
      run(() =>
        ids.map((id) =>
          lib
            .waitForBatchPrediction(id, {
              client,
              ...(polling === undefined ? {} : { polling }),
              minDelayMs: plan.minDelayS * 1000,
              maxDelayMs: plan.maxDelayS * 1000,
              timeoutMs: TIMEOUT_S * 1000,
              signal: plan.signal,
            })
            .then(
              () => 'COMPLETED' as const,
              (error: unknown) => {
                if (lib.isResourceFailedError(error)) return 'FAILED' as const;
                throw error;
              },
            ),
        ),
      );
  }
  if (spec.contender === 'sdk') {
    const sdk = await import('@aws-sdk/client-machine-learning');
    const client = new sdk.MachineLearningClient({
      endpoint: spec.endpoint,
      region: spec.region,
      credentials,
      maxAttempts: 3,
      ...(CONNECTIONS === undefined ? {} : { requestHandler: { httpAgent: { maxSockets: CONNECTIONS } } }),
    });
    return (ids, plan) =>
      ids
        .map(async (id) => {
          const result = await sdk.waitUntilBatchPredictionAvailable(
            {
              client,
              minDelay: plan.minDelayS,
              maxDelay: plan.maxDelayS,
              maxWaitTime: TIMEOUT_S,
              ...(plan.signal === undefined ? {} : { abortSignal: plan.signal }),
            },
            { FilterVariable: 'Name', EQ: id },
          );
          if ((result.state as string) === 'SUCCESS') return 'COMPLETED' as const;
          throw new Error(`SDK waiter ended ${result.state}`);
        })
        .map((p) =>
          p.catch((error: unknown) => {
            // The SDK waiter rejects with a plain Error whose message is the JSON of its result; FAILURE with
            // the job's Status FAILED is the scripted failure.
            const text = error instanceof Error ? error.message : '';
            if (text.startsWith('{"result":{"state":"FAILURE"')) {
              const parsed = JSON.parse(text) as {
                result: { reason?: { Results?: { Status?: string }[] } };
              };
              if (parsed.result.reason?.Results?.[0]?.Status === 'FAILED') return 'FAILED' as const;
            }
            throw error;
          }),
        );
  }
  const { default: aws4 } = await import('aws4');
  const { request } = await import('undici');
  const url = new URL(spec.endpoint);
  const naiveWait = async (id: string, plan: WaitPlan): Promise<'COMPLETED' | 'FAILED'> => {
    const deadline = Date.now() + TIMEOUT_S * 1000;
    for (let attempt = 1; Date.now() < deadline; attempt++) {
      const body = JSON.stringify({ BatchPredictionId: id });
      const signed = aws4.sign(
        {
          host: url.host,
          path: '/',
          method: 'POST',
          service: 'machinelearning',
          region: spec.region,
          headers: {
            'Content-Type': 'application/x-amz-json-1.1',
            'X-Amz-Target': 'AmazonML_20141212.GetBatchPrediction',
          },
          body,
        },
        credentials,
      );
      const response = await request(spec.endpoint, {
        method: 'POST',
        headers: signed.headers as Record<string, string>,
        body,
        ...(dispatcher === undefined ? {} : { dispatcher }),
        ...(plan.signal === undefined ? {} : { signal: plan.signal }),
      });
      const parsed = JSON.parse(await response.body.text()) as { Status?: string };
      if (response.statusCode !== 200) throw new Error(`HTTP ${response.statusCode}`);
      if (parsed.Status === 'COMPLETED') return 'COMPLETED';
      if (parsed.Status === 'FAILED') return 'FAILED';
      // Same schedule as the SDK's waiter: uniform in [min, min · 2^(attempt-1)], capped at max.
      const ceiling = Math.min(plan.maxDelayS, plan.minDelayS * 2 ** (attempt - 1));
      const delayS = plan.minDelayS + Math.random() * (ceiling - plan.minDelayS);
      await sleep(delayS * 1000, plan.signal);
    }
    throw new Error('naive wait timed out');
  };
  return (ids, plan) => ids.map((id) => naiveWait(id, plan));
}

/**
 * SCALE_HEAP_PROF=<prefix>: a sampling heap profile of each contender's timed run
 * (`<prefix>.<contender>.heapprofile`) that keeps what young-generation collections promoted (objects that lived
 * long enough to reach the old generation), freed since or not: where the old generation's growth — and so the
 * peak heap — comes from. Returns the function that writes it.
 */
async function startHeapProfile(contender: ContenderName): Promise<(() => Promise<void>) | undefined> {
  const prefix = process.env.SCALE_HEAP_PROF;
  if (prefix === undefined) return undefined;
  const file = `${prefix}.${contender}.heapprofile`;
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', {
    samplingInterval: 1024,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: false,
  });
  return async () => {
    const { profile } = await session.post('HeapProfiler.stopSampling');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  };
}

/** SCALE_HEAP_SNAPSHOT=<file>: a heap snapshot while every wait of the idle phase sleeps (what a wait keeps). */
async function writeHeapSnapshot(when: 'before' | 'idle'): Promise<void> {
  const file = process.env.SCALE_HEAP_SNAPSHOT;
  if (file === undefined) return;
  const { writeHeapSnapshot: write } = await import('node:v8');
  write(`${file}.${when}.heapsnapshot`);
}

function gcNow(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run the contender with --expose-gc');
  gc();
}

function nextMessage(): Promise<{ type: string }> {
  return new Promise((resolve) => {
    process.once('message', resolve);
  });
}

/**
 * Heap per wait while every wait sleeps between polls (no request in flight): waits on jobs that stay
 * PENDING, with a long delay; the parent says when the emulator has gone quiet after their first polls.
 */
async function idleHeapPerWait(spec: ContenderSpec, start: StartWaits): Promise<number> {
  const ids = Array.from({ length: spec.count }, (_, i) => idOf(`${spec.prefix}-idle`, i));
  gcNow();
  const baseline = process.memoryUsage().heapUsed;
  await writeHeapSnapshot('before');
  const controller = new AbortController();
  // One signal for every wait, as an application would pass: no MaxListenersExceededWarning for it.
  setMaxListeners(0, controller.signal);
  const promises = start(ids, {
    minDelayS: IDLE_DELAY_S,
    maxDelayS: IDLE_DELAY_S,
    signal: controller.signal,
  });
  process.send?.({ type: 'idle-started' });
  await nextMessage();
  gcNow();
  const perWait = (process.memoryUsage().heapUsed - baseline) / spec.count;
  await writeHeapSnapshot('idle');
  controller.abort();
  await Promise.allSettled(promises);
  return perWait;
}

/**
 * CPU time (ms) of this process's main thread, and of all its other threads (V8's garbage-collection helpers,
 * libuv's pool), from /proc (Linux; zeros elsewhere): `process.cpuUsage()` counts both.
 */
function threadCpuMs(): { main: number; others: number } {
  const ticksPerMs = 100 / 1000; // USER_HZ is 100 on Linux
  let main = 0;
  let others = 0;
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
      if (Number(tid) === process.pid) main += ms;
      else others += ms;
    }
  } catch {
    // not Linux: no per-thread figures
  }
  return { main, others };
}

async function contenderChild(spec: ContenderSpec): Promise<void> {
  const start = await prepareContender(spec);
  process.send?.({ type: 'ready' });
  await nextMessage();
  const idleHeapPerWaitBytes = await idleHeapPerWait(spec, start);
  const ids = Array.from({ length: spec.count }, (_, i) => idOf(spec.prefix, i));
  gcNow();
  const baselineHeapBytes = process.memoryUsage().heapUsed;
  process.send?.({ type: 'idle-done' });
  await nextMessage();

  const heapProfile = await startHeapProfile(spec.contender);
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const cpuStart = process.cpuUsage();
  const threadsStart = threadCpuMs();
  const wallStart = performance.now();
  let settled = 0;
  const promises = start(ids, { minDelayS: MIN_DELAY_S, maxDelayS: MAX_DELAY_S }).map((p) =>
    p.finally(() => {
      settled++;
    }),
  );
  // Peak heapUsed, sampled every HEAP_SAMPLE_EVERY_MS during the whole timed run, without any forced GC:
  // what the process really holds while it works, garbage included (as a user's process would).
  let peakHeapBytes = process.memoryUsage().heapUsed;
  let pendingAtHeapSample = spec.count;
  let traceTick = 0;
  const sampler = setInterval(() => {
    const heapUsed = process.memoryUsage().heapUsed;
    // SCALE_HEAP_TRACE=1: the heap over time (every 0.5 s, to stderr), to see when it peaks and what a full
    // collection leaves.
    if (HEAP_TRACE && traceTick++ % 10 === 0) {
      const seconds = ((performance.now() - wallStart) / 1000).toFixed(1);
      const megabytes = ((heapUsed - baselineHeapBytes) / 1e6).toFixed(1);
      process.stderr.write(`heap ${spec.contender} ${seconds} s ${megabytes} MB, ${settled} settled\n`);
    }
    if (heapUsed > peakHeapBytes) {
      peakHeapBytes = heapUsed;
      pendingAtHeapSample = spec.count - settled;
    }
  }, HEAP_SAMPLE_EVERY_MS);
  const outcomes = await Promise.allSettled(promises);
  clearInterval(sampler);
  await heapProfile?.();
  const gcCpuUs = 0;
  const heapPerWaitBytes = (peakHeapBytes - baselineHeapBytes) / spec.count;
  const wallMs = performance.now() - wallStart;
  const cpu = process.cpuUsage(cpuStart);
  const threadsEnd = threadCpuMs();
  histogram.disable();
  let completed = 0;
  let failed = 0;
  const failedIds: string[] = [];
  const otherErrors: string[] = [];
  outcomes.forEach((outcome, i) => {
    if (outcome.status === 'fulfilled' && outcome.value === 'COMPLETED') completed++;
    else if (outcome.status === 'fulfilled') {
      failed++;
      failedIds.push(ids[i]!);
    } else if (otherErrors.length < 5) {
      const reason = outcome.reason as Error;
      otherErrors.push(`${ids[i]!}: ${reason.name}: ${reason.message}`);
    }
  });
  const result: ContenderResult = {
    wallMs,
    cpuMs: (cpu.user + cpu.system - gcCpuUs) / 1000,
    mainThreadCpuMs: threadsEnd.main - threadsStart.main,
    otherThreadsCpuMs: threadsEnd.others - threadsStart.others,
    gcCpuMs: gcCpuUs / 1000,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    baselineHeapBytes,
    heapPerWaitBytes,
    idleHeapPerWaitBytes,
    pendingAtHeapSample,
    eventLoopP99Ms: histogram.percentile(99) / 1e6,
    eventLoopMaxMs: histogram.max / 1e6,
    completed,
    failed,
    failedIds,
    otherErrors:
      outcomes.length - completed - failed > otherErrors.length ? [...otherErrors, '…'] : otherErrors,
  };
  process.send?.({ type: 'result', result });
  process.disconnect();
}

/* ------------------------------------------------------------------ orchestrator */

function onceMessage<T>(child: ChildProcess, accept: (m: T) => boolean): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: T): void => {
      if (!accept(message)) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(message);
    };
    const onExit = (code: number | null): void => {
      child.off('message', onMessage);
      reject(new Error(`child exited with ${String(code)} before answering`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

interface Row {
  readonly name: ContenderName;
  readonly count: number;
  readonly result: ContenderResult;
  readonly requests: number;
  readonly byOperation: Record<string, number>;
  readonly byStatus: Record<string, number>;
  readonly emulatorCpuMs: number;
}

async function runContender(
  emulator: ChildProcess,
  target: Target,
  dist: string,
  name: ContenderName,
  count: number,
): Promise<Row> {
  const prefix = `scale-${name}`;
  const spec: ContenderSpec = { ...target, dist, contender: name, prefix, count };
  const child = fork(SELF, ['--contender', JSON.stringify(spec)], {
    execArgv: [
      ...process.execArgv,
      '--expose-gc',
      // SCALE_CPU_PROF=<dir>: write a V8 CPU profile of each contender there (to see where its time goes).
      ...(process.env.SCALE_CPU_PROF === undefined
        ? []
        : ['--cpu-prof', `--cpu-prof-dir=${process.env.SCALE_CPU_PROF}`]),
      // SCALE_NODE_ARGS: more flags for the contender processes (e.g. `--trace-gc`, to see when the heap peaks).
      ...(process.env.SCALE_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await onceMessage<{ type: string }>(child, (m) => m.type === 'ready');
  // Idle phase: jobs that stay PENDING; measure once the emulator has been quiet for 1.5 s.
  emulator.send({ op: 'setup', prefix: `${prefix}-idle`, count, idle: true } satisfies EmulatorRequest);
  await onceMessage<EmulatorReply>(emulator, (m) => m.op === 'setup-done');
  const idleStarted = onceMessage<{ type: string }>(child, (m) => m.type === 'idle-started');
  child.send({ type: 'idle-go' });
  await idleStarted;
  let last = -1;
  let quietSince = performance.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const { requests } = await counters(emulator);
    if (requests !== last || requests === 0) {
      last = requests;
      quietSince = performance.now();
    } else if (performance.now() - quietSince >= 1_500) break;
  }
  const idleDone = onceMessage<{ type: string }>(child, (m) => m.type === 'idle-done');
  child.send({ type: 'idle-measure' });
  await idleDone;
  emulator.send({ op: 'setup', prefix, count } satisfies EmulatorRequest);
  await onceMessage<EmulatorReply>(emulator, (m) => m.op === 'setup-done');
  const before = await counters(emulator);
  const resultPromise = onceMessage<{ type: string; result: ContenderResult }>(
    child,
    (m) => m.type === 'result',
  );
  child.send({ type: 'go' });
  const { result } = await resultPromise;
  const after = await counters(emulator);
  await new Promise((resolve) => child.once('exit', resolve));
  const row: Row = {
    name,
    count,
    result,
    requests: after.requests - before.requests,
    byOperation: after.byOperation,
    byStatus: after.byStatus,
    emulatorCpuMs: after.cpuMs - before.cpuMs,
  };
  const problem = verify(row);
  if (problem !== undefined) {
    // Reported in the table and as the exit code, not thrown: the other contenders still run.
    process.stderr.write(`${name}: OUTCOMES DIFFER FROM THE SCRIPT: ${problem}\n`);
    process.exitCode = 1;
  }
  process.stderr.write(
    `${name}: ${JSON.stringify({ ...row, result: { ...result, failedIds: result.failedIds.length } })}\n`,
  );
  return row;
}

async function counters(emulator: ChildProcess): Promise<Extract<EmulatorReply, { op: 'counters' }>> {
  const reply = onceMessage<EmulatorReply>(emulator, (m) => m.op === 'counters');
  emulator.send({ op: 'counters' } satisfies EmulatorRequest);
  return (await reply) as Extract<EmulatorReply, { op: 'counters' }>;
}

/** Every outcome must be the scripted one: COMPLETED, or FAILED for exactly the scripted ids. */
/** `undefined` when every outcome is the scripted one, else what differs. */
function verify(row: Row): string | undefined {
  const expected = Array.from({ length: row.count }, (_, i) => i)
    .filter(expectFailed)
    .map((i) => idOf(`scale-${row.name}`, i));
  const got = [...row.result.failedIds].sort();
  const ok =
    row.result.otherErrors.length === 0 &&
    row.result.completed === row.count - expected.length &&
    got.length === expected.length &&
    got.every((id, i) => id === expected[i]);
  return ok
    ? undefined
    : `${row.result.completed} COMPLETED, ${row.result.failed} FAILED (expected ${row.count - expected.length} / ${expected.length}); other outcomes: ${row.result.otherErrors.join('; ') || 'none'}`;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const fix = (n: number, digits = 1): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const ratio = (a: number, b: number): string => `${fix(a / b, a / b >= 10 ? 0 : 1)}×`;

function render(rows: readonly Row[], loadAtStart: readonly number[]): string {
  const by = (name: ContenderName): Row => rows.find((r) => r.name === name)!;
  const get = by('get');
  const list = by('list');
  const sdk = by('sdk');
  const naive = by('naive');
  const cpuPerWait = (r: Row): number => (r.result.cpuMs * 1000) / r.count;
  const cpuPerRequest = (r: Row): number => (r.result.cpuMs * 1000) / r.requests;
  const kb = (bytes: number): string => fix(bytes / 1024, 1);
  const header = [
    'contender',
    'waits',
    'wall s',
    'client CPU s',
    'CPU µs per wait',
    'CPU µs per request',
    'peak RSS MiB',
    'heap KB per wait: sleeping',
    'peak heap KB per wait (sampled)',
    'requests',
    'requests per wait',
    'event-loop delay p99 ms (max)',
    'emulator CPU s',
    'outcomes as scripted',
  ];
  const body = rows.map((r) => [
    LABELS[r.name],
    int(r.count),
    fix(r.result.wallMs / 1000),
    fix(r.result.cpuMs / 1000, 2),
    int(cpuPerWait(r)),
    int(cpuPerRequest(r)),
    int(r.result.maxRssBytes / 2 ** 20),
    kb(r.result.idleHeapPerWaitBytes),
    kb(r.result.heapPerWaitBytes),
    int(r.requests),
    fix(r.requests / r.count, 2),
    `${fix(r.result.eventLoopP99Ms)} (${int(r.result.eventLoopMaxMs)})`,
    fix(r.emulatorCpuMs / 1000, 1),
    verify(r) === undefined ? 'yes' : '**NO** (below)',
  ]);
  const problems = rows
    .map((r) => [r, verify(r)] as const)
    .filter(([, problem]) => problem !== undefined)
    .map(([r, problem]) => `- **${LABELS[r.name]}: outcomes differ from the script** — ${problem!}`);
  const listRatio = list.requests / get.requests;
  const verdict = (ok: boolean): string => `**${ok ? 'met' : 'NOT met'}**`;
  return `## Scale: ${int(WAITS)} concurrent waits (\`npm run bench:scale\`)

${machineLine()}; load average when the run started: ${loadAtStart.map((l) => l.toFixed(2)).join(', ')} (1, 5, 15 min).

${int(WAITS)} batch predictions with scripted, staggered lifecycles (PENDING 5–7 s, then INPROGRESS 5–7 s, then
COMPLETED; every ${FAIL_EVERY}th FAILED) in the emulator, which runs in its own process and counts the requests. Each
contender runs in a fresh \`node --expose-gc\` child process and waits on all of its jobs at once (started in one
synchronous loop, as \`waitForAll\` does); every outcome is checked against the script (all COMPLETED except exactly
the scripted FAILED ones). The same polling bounds for everyone — first delay ${MIN_DELAY_S} s, cap ${MAX_DELAY_S} s (the SDK's
\`minDelay\`/\`maxDelay\` are whole seconds, ≥ 1) — so the comparison is about the cost of each poll, not the schedule;
and ${CONNECTIONS === undefined ? "each contender's default connection limit" : `${CONNECTIONS} connections per origin for everyone (the SDK's default \`maxSockets\`; aml-waiter's own pool would have 64; its client keeps at most 64 requests in flight, \`maxConcurrentRequests\`, and queues the rest unsigned)`}. aml-waiter runs
from \`dist/\` with one shared \`AmazonMLClient\`.

- **CPU** = user + system CPU time of the contender's process from the first wait to the last outcome (imports,
  setup and the forced GC excluded). **Heap per wait, sleeping** = before the timed run, the same number of waits
  on jobs that stay PENDING with a ${IDLE_DELAY_S} s delay, measured once every first poll has been answered (the emulator
  quiet for 1.5 s): (\`heapUsed\` after a forced GC − \`heapUsed\` after GC before the waits) / waits — the state a
  wait keeps between polls. **Peak heap per wait** = (the highest \`heapUsed\` sampled every ${HEAP_SAMPLE_EVERY_MS} ms during the
  timed run, with no forced GC − \`heapUsed\` after import, client creation and a GC) / waits: it includes requests queued
  and in flight, and the garbage a real process carries. **Peak RSS** = \`maxRSS\` of the
  process. **Requests** = what the emulator answered during the timed run. **Event-loop delay** =
  \`monitorEventLoopDelay\` (10 ms resolution) over the timed run, without the forced GC.
- **The SDK contender runs ${int(SDK_WAITS)} waits**: its waiter polls \`DescribeBatchPredictions\`
  (\`FilterVariable: Name\`, \`EQ\`: the job's unique name), which the emulator answers from a name index.
- **The service's list call**: ${LIST_FAULT === 'denied' ? 'denied (every `Describe…` answers 403 `AccessDeniedException`: the SDK waiter cannot work at all)' : LIST_FAULT === 'empty' ? 'answers with empty pages (an index that never shows the jobs; the SDK waiter never sees its job)' : 'faithful'}.
- The machine has 2 cores shared by the emulator, the contender and any other work (see the load average), and
  all ${int(WAITS)} first polls are due at once, through ${CONNECTIONS ?? 'the default number of'} connections. The ${MIN_DELAY_S}–${MAX_DELAY_S} s schedule asks for
  about 5–6 polls per job; per-id contenders that fall behind it send fewer (this run: ${fix(get.requests / get.count)} per wait for
  aml-waiter \`get\`, ${fix(naive.requests / naive.count)} for the naive loop, ${fix(sdk.requests / sdk.count)} for the SDK). Wall time and event-loop delay depend on
  that load; CPU per request and heap per wait much less.

${table(header, body)}

${problems.length === 0 ? '' : `${problems.join('\n')}\n`}
![Scale benchmark chart](benchmarks/scale.svg)

Targets, judged on the default contender — one client, default options except the delays, the way users load
it (issue #16); per-id polling (\`polling: 'get'\`) is shown beside it for reference:

- Peak heap per pending wait ≤ 10 KB (sampled every ${HEAP_SAMPLE_EVERY_MS} ms during the run, no forced GC): ${kb(list.result.heapPerWaitBytes)} KB — ${verdict(list.result.heapPerWaitBytes / 1024 <= 10)}
  (get ${kb(get.result.heapPerWaitBytes)}, SDK ${kb(sdk.result.heapPerWaitBytes)}, naive loop ${kb(naive.result.heapPerWaitBytes)} KB). Sleeping, after a forced GC: ${kb(list.result.idleHeapPerWaitBytes)} KB
  (get ${kb(get.result.idleHeapPerWaitBytes)}, SDK ${kb(sdk.result.idleHeapPerWaitBytes)}, naive loop ${kb(naive.result.idleHeapPerWaitBytes)} KB).
- Client CPU ≤ 1/4 of the SDK's, per wait: the SDK uses ${ratio(cpuPerWait(sdk), cpuPerWait(list))} the CPU of the default — ${verdict(cpuPerWait(sdk) >= 4 * cpuPerWait(list))}
  (${ratio(cpuPerWait(sdk), cpuPerWait(get))} that of per-id polling, which sends ${fix(get.requests / sdk.requests, 1)}× the SDK's requests here).
- CPU ≤ 1.3× a plain undici + aws4 loop's: per wait, the default uses ${ratio(cpuPerWait(list), cpuPerWait(naive))} the naive loop's — ${verdict(cpuPerWait(list) <= 1.3 * cpuPerWait(naive))}; per
  request, per-id polling ${ratio(cpuPerRequest(get), cpuPerRequest(naive))} — ${verdict(cpuPerRequest(get) <= 1.3 * cpuPerRequest(naive))} ${
    LIST_FAULT === undefined
      ? `(a list page carries up to 100 resources, so the
  default's CPU per request is not comparable: ${int(cpuPerRequest(list))} µs per page).`
      : `(the default's requests are nearly all \`Get…\` here: ${ratio(cpuPerRequest(list), cpuPerRequest(naive))}).`
  }
- Event-loop delay p99 ≤ 50 ms: ${fix(list.result.eventLoopP99Ms)} ms — ${verdict(list.result.eventLoopP99Ms <= 50)} (get ${fix(get.result.eventLoopP99Ms)} ms, SDK ${fix(sdk.result.eventLoopP99Ms)} ms).
- All waits settled no later than the SDK's: ${fix(list.result.wallMs / 1000)} s vs ${fix(sdk.result.wallMs / 1000)} s — ${verdict(list.result.wallMs <= sdk.result.wallMs)} (get ${fix(get.result.wallMs / 1000)} s${
    LIST_FAULT === undefined
      ? `: per-id polls
  see a change at their next scheduled poll; list passes wake the waits whose job changed`
      : ''
  }).
${
  LIST_FAULT === undefined
    ? `- With list polling, requests ≤ 1/20 of per-id polling's: ${int(list.requests)} vs ${int(get.requests)} (${fix(listRatio * 100, 0)} %) — ${verdict(listRatio <= 1 / 20)}.`
    : `- With the list ${LIST_FAULT === 'denied' ? 'denied' : 'answering empty pages'}, the default's requests within 2 % of per-id polling's: ${int(list.requests)} vs ${int(get.requests)} (${listRatio >= 1 ? '+' : ''}${fix((listRatio - 1) * 100, 1)} %) — ${verdict(Math.abs(listRatio - 1) <= 0.02)}.`
}
`;
}

/** The `telemetry` section: CPU per poll and heap per wait with telemetry off, on, and before it existed. */
function renderTelemetry(
  rows: readonly Row[],
  loadAtStart: readonly number[],
  loadAtEnd: readonly number[],
): string {
  const names = [...new Set(rows.map((r) => r.name))];
  const rounds = rows.length / names.length;
  const cpuPerRequest = (r: Row): number => (r.result.cpuMs * 1000) / r.requests;
  const cpuPerWait = (r: Row): number => (r.result.cpuMs * 1000) / r.count;
  /**
   * CPU per poll, as a figure to compare within a round: per request with per-id polling (a request is a
   * poll); per wait under list polling, whose contenders run the same waits on the same schedule (the
   * same polls), where a request is a list page that serves many.
   */
  const cpuPerPoll = (r: Row): number => (r.name.startsWith('list') ? cpuPerWait(r) : cpuPerRequest(r));
  const median = (values: readonly number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  /** The rows of one contender, a round each. */
  const runs = (name: ContenderName): Row[] => rows.filter((r) => r.name === name);
  /** The contender's median round by CPU per poll (the upper one of an even count). */
  const typical = (name: ContenderName): Row =>
    [...runs(name)].sort((a, b) => cpuPerPoll(a) - cpuPerPoll(b))[Math.floor(runs(name).length / 2)]!;
  /** CPU per poll of `name` over `base`, round by round, as percentages. */
  const perRound = (name: ContenderName, base: ContenderName): number[] =>
    runs(name).map((r, i) => (cpuPerPoll(r) / cpuPerPoll(runs(base)[i]!) - 1) * 100);
  /** The row each one is compared with in the table. */
  const comparedWith: Partial<Record<ContenderName, ContenderName>> = {
    'get-otel-app': 'get',
    'get-otel': 'get-otel-app',
    'list-otel': 'list-otel-app',
    get: 'get-baseline',
  };
  const signed = (pct: number): string => `${pct >= 0 ? '+' : ''}${fix(pct, 1)} %`;
  const kb = (bytes: number): string => fix(bytes / 1024, 1);
  const header = [
    'contender (its median round)',
    'waits',
    'requests',
    'requests per wait',
    'client CPU s',
    'CPU µs per wait',
    'CPU µs per request',
    'CPU per poll vs the row compared with, median of rounds',
    'heap KB per wait: sleeping',
    'heap KB per wait: at 4 s',
    'event-loop delay p99 ms',
    'outcomes as scripted',
  ];
  const body = names.map((name) => {
    const r = typical(name);
    const base = comparedWith[name];
    return [
      LABELS[name],
      int(r.count),
      int(r.requests),
      fix(r.requests / r.count, 2),
      fix(r.result.cpuMs / 1000, 2),
      int(cpuPerWait(r)),
      int(cpuPerRequest(r)),
      base === undefined || !names.includes(base)
        ? '—'
        : `${signed(median(perRound(name, base)))} vs ${SHORT[base]}`,
      kb(r.result.idleHeapPerWaitBytes),
      kb(r.result.heapPerWaitBytes),
      fix(r.result.eventLoopP99Ms),
      runs(name).every((run) => verify(run) === undefined) ? 'yes' : '**NO**',
    ];
  });
  const list = (values: readonly number[]): string => values.map(signed).join(', ');
  const verdict = (pct: number): string => (pct <= 15 ? 'met' : '**NOT met**');
  const perIdCost = perRound('get-otel', 'get-otel-app');
  const defaultCost = perRound('list-otel', 'list-otel-app');
  const wholeCost = perRound('get-otel', 'get');
  const appCost = perRound('get-otel-app', 'get');
  const hasBaseline = names.includes('get-baseline');
  return `## Telemetry cost (\`SCALE_TELEMETRY=1 npm run bench:scale\`)

${machineLine()}; load average at the start: ${loadAtStart.map((l) => l.toFixed(2)).join(', ')}, at the end: ${loadAtEnd.map((l) => l.toFixed(2)).join(', ')} (1, 5, 15 min).

The scale benchmark's run (${int(WAITS)} concurrent waits, same scripted lifecycles, same ${MIN_DELAY_S}–${MAX_DELAY_S} s
bounds, one shared client, each contender in a fresh child process against the same emulator process), in
${rounds} rounds, each starting with another contender, with default options (list polling, as users load it) and
with per-id polling (\`polling: 'get'\`: a request per poll, so the most client spans per poll): telemetry off in a
process without OpenTelemetry (per-id only); telemetry off in an application that traces — the real SDK as an
application sets it up (an AsyncLocalStorage context manager, a \`BatchSpanProcessor\` into an
\`InMemorySpanExporter\`, a \`MeterProvider\`), the waits started inside a span of the application, the client not
given the set-up; and telemetry on in that application, so every wait is a span (a child of the application's)
with its events, every request a client span (a list page's with a link to each wait it served), and every
request, retry and wait is counted in the metrics${hasBaseline ? '; and the build from before telemetry existed (main before issue #17), where the off row must not cost more' : ''}.
CPU per poll is the contender process's CPU over the timed run divided by its polls: per request with per-id
polling (a request is a poll; each wait's start and end are spread over its polls), per wait with list polling
(the contenders compared run the same waits on the same schedule; their requests per wait are in the table). One process's CPU time moves
by ±20 % from run to run here, so each ratio is taken within a round and the median of the rounds is the figure to
read.

${table(header, body)}

- Telemetry on vs off **in the same application** (what turning aml-waiter's telemetry on costs), CPU per poll, median of ${rounds} rounds — target ≤ +15 %:
  - default options (list polling): ${signed(median(defaultCost))} (${list(defaultCost)}) — ${verdict(median(defaultCost))};
  - per-id polling: ${signed(median(perIdCost))} (${list(perIdCost)}) — ${verdict(median(perIdCost))}.
- Per-id polling, telemetry on vs a process **without OpenTelemetry at all**: ${signed(median(wholeCost))} (${list(wholeCost)}). Of that, the application's own tracing with aml-waiter's telemetry off (on Node 20, once a context is entered, the AsyncLocalStorage context manager's async hooks run on every promise, timer and socket write) costs ${signed(median(appCost))} (${list(appCost)}).
${
  hasBaseline
    ? `- With telemetry off, CPU per poll is ${signed(median(perRound('get', 'get-baseline')))} vs the build before telemetry (${list(perRound('get', 'get-baseline'))}); heap per sleeping wait ${kb(typical('get').result.idleHeapPerWaitBytes)} vs ${kb(typical('get-baseline').result.idleHeapPerWaitBytes)} KB.
`
    : ''
}`;
}

function chart(rows: readonly Row[]): string {
  const panels: ChartPanel[] = [
    { title: 'client CPU per wait (µs)', values: rows.map((r) => (r.result.cpuMs * 1000) / r.count) },
    { title: 'heap per sleeping wait (KB)', values: rows.map((r) => r.result.idleHeapPerWaitBytes / 1024) },
    { title: 'requests per wait', values: rows.map((r) => r.requests / r.count) },
    { title: 'event-loop delay p99 (ms)', values: rows.map((r) => r.result.eventLoopP99Ms) },
  ];
  return barChartSvg({
    title: `Scale benchmark: concurrent waits on batch predictions (lower is better)`,
    labels: rows.map((r) => `${SHORT[r.name]} (${int(r.count)})`),
    panels,
  });
}

async function main(): Promise<void> {
  const contenderIndex = process.argv.indexOf('--contender');
  if (contenderIndex !== -1) {
    await contenderChild(JSON.parse(process.argv[contenderIndex + 1]!) as ContenderSpec);
    return;
  }
  const emulatorIndex = process.argv.indexOf('--emulator');
  if (emulatorIndex !== -1) {
    await emulatorChild(process.argv[emulatorIndex + 1]!);
    return;
  }
  const dist = DIST_DIR_OVERRIDE ?? distSnapshot('scale');
  const loadAtStart = os.loadavg();
  const emulator = fork(SELF, ['--emulator', dist], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const started = await onceMessage<EmulatorReply>(emulator, (m) => m.op === 'started');
  if (started.op !== 'started') throw new Error('unexpected emulator reply');
  const { endpoint, region, accessKeyId, secretAccessKey } = started;
  const target: Target = { endpoint, region, accessKeyId, secretAccessKey };
  const only = process.env.SCALE_ONLY?.split(',') as ContenderName[] | undefined;
  const plan: [ContenderName, number][] = TELEMETRY_MODE
    ? Array.from({ length: ROUNDS }, (_, round): [ContenderName, number][] => {
        const names: ContenderName[] = [
          ...(BASELINE_DIST === undefined ? [] : (['get-baseline'] as const)),
          'get',
          'get-otel-app',
          'get-otel',
          'list-otel-app',
          'list-otel',
        ];
        // Each round starts with another contender, so that none always runs first (or last) against an
        // emulator that holds more jobs with every run.
        return names.map((_name, i) => [names[(i + round) % names.length]!, WAITS]);
      }).flat()
    : [
        ['get', WAITS],
        ['list', WAITS],
        ['sdk', SDK_WAITS],
        ['naive', WAITS],
      ];
  const rows: Row[] = [];
  if (process.env.SCALE_RENDER_ONLY !== undefined) {
    // Re-render the docs from the last complete run (e.g. after a wording change), without measuring.
    emulator.disconnect();
    const saved = JSON.parse(readFileSync(LAST_RUN, 'utf8')) as { rows: Row[]; loadAtStart: number[] };
    publish(saved.rows, saved.loadAtStart);
    return;
  }
  try {
    for (const [name, count] of plan) {
      if (only !== undefined && !only.includes(name)) continue;
      const contenderDist = name === 'get-baseline' && BASELINE_DIST !== undefined ? BASELINE_DIST : dist;
      rows.push(await runContender(emulator, target, contenderDist, name, count));
    }
  } finally {
    emulator.disconnect();
  }
  if (only !== undefined) return;
  if (TELEMETRY_MODE) {
    const md = renderTelemetry(rows, loadAtStart, os.loadavg());
    writeSection('telemetry', md);
    process.stdout.write(md);
    return;
  }
  if (DIST_DIR_OVERRIDE === undefined) {
    mkdirSync(dirname(LAST_RUN), { recursive: true });
    writeFileSync(LAST_RUN, JSON.stringify({ rows, loadAtStart }));
  }
  publish(rows, loadAtStart);
}

/** Writes the docs section and the chart (unless measuring another build) and prints the section. */
function publish(rows: readonly Row[], loadAtStart: readonly number[]): void {
  const md = render(rows, loadAtStart);
  mkdirSync(join(ROOT, 'docs', 'benchmarks'), { recursive: true });
  if (DIST_DIR_OVERRIDE === undefined)
    writeFileSync(join(ROOT, 'docs', 'benchmarks', 'scale.svg'), chart(rows));
  // A run against another build (an experiment) prints its table but leaves the docs alone.
  if (DIST_DIR_OVERRIDE === undefined)
    writeSection(LIST_FAULT === undefined ? 'scale' : `scale-list-${LIST_FAULT}`, md);
  process.stdout.write(md);
}

await main();
