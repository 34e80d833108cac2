import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import type { Emulator } from '../../src/emulator/Emulator.js';
import { createSeededRandom } from '../../src/emulator/createSeededRandom.js';
import { startEmulator } from '../../src/emulator/startEmulator.js';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import { ResourceFailedError } from '../../src/waiter/ResourceFailedError.js';
import { waitFor } from '../../src/waiter/waitFor.js';
import { createWaiter } from '../../src/waiter/Waiter.js';
import { writeFigures } from './helpers/figures.js';
import type { ClockBox } from './helpers/runScenario.js';
import { clockProxy } from './helpers/runScenario.js';

/**
 * Chaos with a shared client: two waits on the same id through one `AmazonMLClient` share their
 * requests (SharedPolls). Aborting one of them, while a shared request is in
 * flight, or between two polls, must leave the other's wait intact: it still ends with the emulator's truth. `CHAOS_SHARED_RUNS`
 * sets the number of runs (default 150).
 */
const RUNS = Number(process.env.CHAOS_SHARED_RUNS ?? 150);
const SEED =
  process.env.CHAOS_SEED === undefined ? (Date.now() + 1) % 2 ** 31 : Number(process.env.CHAOS_SEED);

describe('chaos: two waits on one id through one shared client', () => {
  const box: ClockBox = { clock: new VirtualClock({ autoAdvance: true }) };
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, clock: clockProxy(box) });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it(`${RUNS} runs: aborting one wait never disturbs the other`, async () => {
    const figures = { seed: SEED, runs: 0, abortedFirst: 0, survivorCorrect: 0, requests: 0 };
    console.log(`shared chaos: ${RUNS} runs, seed ${SEED} (replay: CHAOS_SEED=${SEED})`);
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          pendingMs: fc.integer({ min: 0, max: 20_000 }),
          inProgressMs: fc.integer({ min: 0, max: 60_000 }),
          end: fc.constantFrom('COMPLETED' as const, 'FAILED' as const),
          throttles: fc.integer({ min: 0, max: 2 }),
          resets: fc.integer({ min: 0, max: 2 }),
          skip: fc.integer({ min: 0, max: 4 }),
          abort: fc.oneof(
            // Between polls: when the first wait announces its k-th sleep.
            fc.integer({ min: 1, max: 8 }).map((onSleep) => ({ onSleep })),
            // While a request is in flight: once the emulator has received n requests.
            fc.integer({ min: 1, max: 8 }).map((onRequest) => ({ onRequest })),
          ),
          secondStartsAfterMs: fc.integer({ min: 0, max: 5_000 }),
          seed: fc.integer({ min: 1, max: 2 ** 30 }),
        }),
        async (p) => {
          n++;
          emulator.reset();
          const clock = new VirtualClock({ autoAdvance: true });
          box.clock = clock;
          const id = `shared-${n}`;
          emulator.put('BatchPrediction', { BatchPredictionId: id }, [
            { status: 'PENDING', forMs: p.pendingMs },
            { status: 'INPROGRESS', forMs: p.inProgressMs },
            p.end === 'FAILED' ? { status: 'FAILED', message: 'no' } : { status: 'COMPLETED' },
          ]);
          if (p.throttles > 0) emulator.addFault({ kind: 'throttle', id, times: p.throttles, skip: p.skip });
          if (p.resets > 0) emulator.addFault({ kind: 'reset', id, times: p.resets, skip: p.skip + 1 });
          const client = new AmazonMLClient({
            endpoint: emulator.endpoint,
            region: emulator.region,
            credentials: { ...emulator.credentials },
          });
          const controller = new AbortController();
          const reason = new Error('abort the first wait');
          const common = {
            client,
            clock,
            minDelayMs: 1000,
            maxDelayMs: 8000,
            timeoutMs: 3_600_000,
            retry: { retries: 6, minTimeoutMs: 100, maxTimeoutMs: 2000 },
          };
          let counter: ReturnType<typeof setInterval> | undefined;
          if ('onRequest' in p.abort) {
            const after = p.abort.onRequest;
            counter = setInterval(() => {
              if (emulator.counters().requests >= after) controller.abort(reason);
            }, 0);
          }
          const waiter = createWaiter('BatchPrediction', id, {
            ...common,
            signal: controller.signal,
            random: createSeededRandom(p.seed),
          });
          let sleeps = 0;
          waiter.on('wait', () => {
            sleeps++;
            if ('onSleep' in p.abort && sleeps === p.abort.onSleep) controller.abort(reason);
          });
          const first = waiter.result.then(
            (r) => ({ ok: true as const, status: r.Status }),
            (e: unknown) => ({ ok: false as const, error: e }),
          );
          const second = new Promise<void>((resolve) =>
            clock.setTimeout(resolve, p.secondStartsAfterMs),
          ).then(() =>
            waitFor('BatchPrediction', id, { ...common, random: createSeededRandom(p.seed + 1) }).then(
              (r) => ({ ok: true as const, status: r.Status }),
              (e: unknown) => ({ ok: false as const, error: e }),
            ),
          );
          const [a, b] = await Promise.all([first, second]);
          clearInterval(counter);
          figures.runs++;
          figures.requests += emulator.counters().requests;
          // The first either finished before its abort or rejected with the reason, unchanged.
          if (!a.ok && a.error === reason) figures.abortedFirst++;
          else if (a.ok) expect(a.status).toBe('COMPLETED');
          else expect(a.error).toBeInstanceOf(ResourceFailedError);
          // The second is undisturbed: the emulator's truth.
          if (p.end === 'COMPLETED') {
            expect(b, JSON.stringify(b)).toEqual({ ok: true, status: 'COMPLETED' });
          } else {
            expect(b.ok).toBe(false);
            expect((b as { error: unknown }).error).toBeInstanceOf(ResourceFailedError);
          }
          figures.survivorCorrect++;
          expect(clock.pendingTimers).toBe(0);
          await client.close();
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    writeFigures('sharedChaos', figures);
    console.log(`shared chaos figures: ${JSON.stringify(figures)}`);
    expect(figures.abortedFirst).toBeGreaterThan(0);
  }, 600_000);
});
