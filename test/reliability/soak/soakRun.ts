/**
 * The soak run (issue #8): `SOAK_WAITS` sequential waits in virtual time against the emulator through
 * one shared client, rotating the three faces (promise, Observable, Waiter) with a retried fault every
 * tenth wait, measuring the heap after a forced GC. Run with `node --expose-gc --import tsx`; prints
 * one JSON line of figures on stdout.
 */
import { AmazonMLClient } from '../../../src/client/AmazonMLClient.js';
import { startEmulator } from '../../../src/emulator/startEmulator.js';
import { VirtualClock } from '../../../src/model/VirtualClock.js';
import { createWaiter } from '../../../src/waiter/Waiter.js';
import { waitFor } from '../../../src/waiter/waitFor.js';
import type { WaitOptions } from '../../../src/waiter/WaitOptions.js';
import { watch } from '../../../src/waiter/watch.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');
const WAITS = Number(process.env.SOAK_WAITS ?? 5000);
/** The emulator is reset (and, after the warm-up, the heap sampled) every this many waits. */
const EVERY = 500;
if (!Number.isSafeInteger(WAITS) || WAITS < 4 * EVERY)
  throw new RangeError(`SOAK_WAITS must be an integer >= ${4 * EVERY}`);
/** Waits before the first sample: JIT and inline caches settle over the first few thousand waits. */
const WARMUP = Math.min(3000, Math.floor(WAITS / 2 / EVERY) * EVERY);

const clock = new VirtualClock({ autoAdvance: true });
const emulator = await startEmulator({ port: 0, clock, maxLogEntries: 100 });
const client = new AmazonMLClient({
  endpoint: emulator.endpoint,
  region: emulator.region,
  credentials: { ...emulator.credentials },
});
const options: WaitOptions = {
  client,
  clock,
  minDelayMs: 1000,
  maxDelayMs: 5000,
  random: () => 0.5,
  retry: { retries: 3, minTimeoutMs: 100, maxTimeoutMs: 1000 },
  polling: 'get',
};

function heapAfterGc(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
}

async function oneWait(i: number): Promise<void> {
  const id = `soak-${i}`;
  emulator.put('BatchPrediction', { BatchPredictionId: id }, [
    { status: 'PENDING', forMs: 1500 },
    { status: 'COMPLETED' },
  ]);
  if (i % 10 === 0) emulator.addFault({ kind: 'reset', id, times: 1 });
  let status: unknown;
  switch (i % 3) {
    case 0:
      status = (await waitFor('BatchPrediction', id, options)).Status;
      break;
    case 1:
      status = await new Promise((resolve, reject) => {
        let last: unknown;
        watch('BatchPrediction', id, options).subscribe({
          next: (e) => {
            if (e.type === 'poll') last = e.resource.Status;
          },
          error: reject,
          complete: () => {
            resolve(last);
          },
        });
      });
      break;
    default: {
      const waiter = createWaiter('BatchPrediction', id, options);
      status = (await waiter.result).Status;
      waiter.removeAllListeners();
    }
  }
  if (status !== 'COMPLETED') throw new Error(`wait ${i} ended ${String(status)}`);
}

const started = performance.now();
const samples: { waits: number; heapUsed: number }[] = [];
let requests = 0;
for (let i = 0; i < WAITS; i++) {
  await oneWait(i);
  // Keep the emulator's own state small: it shares this heap.
  if ((i + 1) % EVERY === 0) {
    requests += emulator.counters().requests;
    emulator.reset();
    // VirtualClock records every delay it was given (`scheduled`, for exact schedule assertions): a
    // test-only record that grows by one number per timer, so it is emptied here to measure the waiter.
    clock.scheduled.length = 0;
    if (i + 1 >= WARMUP) samples.push({ waits: i + 1, heapUsed: heapAfterGc() });
  }
}
requests += emulator.counters().requests;
const seconds = (performance.now() - started) / 1000;
await client.close();
await emulator.close();

// Least-squares slope of heap over waits, after the warm-up.
const n = samples.length;
const mx = samples.reduce((s, p) => s + p.waits, 0) / n;
const my = samples.reduce((s, p) => s + p.heapUsed, 0) / n;
const slope =
  samples.reduce((s, p) => s + (p.waits - mx) * (p.heapUsed - my), 0) /
  samples.reduce((s, p) => s + (p.waits - mx) ** 2, 0);
const first = samples[0]?.heapUsed ?? 0;
const last = samples.at(-1)?.heapUsed ?? 0;
process.stdout.write(
  `${JSON.stringify({
    waits: WAITS,
    warmupWaits: WARMUP,
    requests,
    seconds: Math.round(seconds * 10) / 10,
    waitsPerSecond: Math.round(WAITS / seconds),
    heapAfterWarmupMB: Math.round(first / 1e4) / 100,
    heapAtEndMB: Math.round(last / 1e4) / 100,
    heapGrowthKB: Math.round((last - first) / 1024),
    heapSlopeBytesPer1000Waits: Math.round(slope * 1000),
    samples: samples.map((p) => [p.waits, Math.round(p.heapUsed / 1024)]),
  })}\n`,
);
