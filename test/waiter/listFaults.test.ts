import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import { createSeededRandom } from '../../src/emulator/createSeededRandom.js';
import type { Emulator } from '../../src/emulator/Emulator.js';
import type { FaultRule } from '../../src/emulator/FaultRule.js';
import { startEmulator } from '../../src/emulator/startEmulator.js';
import type { Logger } from '../../src/model/Logger.js';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import { waitForBatchPrediction } from '../../src/waiter/batchPrediction.js';
import { LIST_POLLING_THRESHOLD } from '../../src/waiter/SharedPolls.js';
import type { PollingMode } from '../../src/waiter/WaitOptions.js';

/**
 * The list-call probe in virtual time: 120 waits through one client (PENDING → INPROGRESS at 0.3 s →
 * COMPLETED at 1.5–4 s, delays 0.2–1 s), with the service's list call faithful, denied, empty or lagging.
 * Virtual time moves only when no request is in flight, so a request takes no virtual time and every run
 * is the same: the counts and lags below are exact for the schedule, not samples.
 */
const WAITS = 120;
const START_WALL_MS = Date.UTC(2026, 0, 1);

let emulator: Emulator;
const clockBox: { clock: VirtualClock } = { clock: new VirtualClock({ startWallMs: START_WALL_MS }) };

beforeAll(async () => {
  emulator = await startEmulator({
    port: 0,
    clock: {
      now: () => clockBox.clock.now(),
      wallNow: () => clockBox.clock.wallNow(),
      setTimeout: (callback: () => void, ms: number) => clockBox.clock.setTimeout(callback, ms),
      clearTimeout: (handle: unknown) => {
        clockBox.clock.clearTimeout(handle);
      },
    },
  });
});
afterAll(async () => {
  await emulator.close();
});

interface ProbeResult {
  readonly requests: number;
  readonly gets: number;
  readonly describes: number;
  readonly failedDescribes: number;
  /** Mean and largest time from COMPLETED to the wait's resolution, in virtual ms. */
  readonly meanLagMs: number;
  /** That time for each wait, in the order the jobs complete. */
  readonly lagsMs: readonly number[];
  readonly maxLagMs: number;
  /** The messages of the warnings logged. */
  readonly warnings: string[];
}

/** Counts the calls in flight; {@link InFlight.quiet} resolves once there are none and nothing else runs. */
class InFlight {
  #count = 0;
  #drained: (() => void) | undefined;

  track<T>(call: Promise<T>): Promise<T> {
    this.#count++;
    return call.finally(() => {
      if (--this.#count === 0) this.#drained?.();
    });
  }

  async quiet(): Promise<void> {
    for (let idleTurns = 0; idleTurns < 2;) {
      await new Promise((resolve) => setImmediate(resolve));
      if (this.#count > 0) {
        idleTurns = 0;
        await new Promise<void>((resolve) => (this.#drained = resolve));
      } else idleTurns++;
    }
  }
}

async function probe(polling: PollingMode, faults: readonly FaultRule[] = []): Promise<ProbeResult> {
  emulator.reset();
  const clock = new VirtualClock({ startWallMs: START_WALL_MS });
  clockBox.clock = clock;
  const completedAt = Array.from({ length: WAITS }, (_, i) => 1500 + Math.round((i * 2500) / (WAITS - 1)));
  completedAt.forEach((at, i) => {
    emulator.put('BatchPrediction', { BatchPredictionId: `bp-${i}` }, [
      { status: 'PENDING', forMs: 300 },
      { status: 'INPROGRESS', forMs: at - 300 },
      { status: 'COMPLETED' },
    ]);
  });
  for (const fault of faults) emulator.addFault(fault);

  const real = new AmazonMLClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: emulator.credentials,
  });
  // The waits' client: the real one, counting the calls in flight so that virtual time can wait for them.
  const inFlight = new InFlight();
  const client = {
    get: (...args: Parameters<AmazonMLClient['get']>) => inFlight.track(real.get(...args)),
    describe: (...args: Parameters<AmazonMLClient['describe']>) => inFlight.track(real.describe(...args)),
  } as unknown as AmazonMLClient;
  const warnings: string[] = [];
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (_bindings, message) => warnings.push(String(message)),
    error: () => undefined,
  };
  const lags: number[] = [];
  let settled = 0;
  const waits = completedAt.map((at, i) =>
    waitForBatchPrediction(`bp-${i}`, {
      client,
      clock,
      polling,
      minDelayMs: 200,
      maxDelayMs: 1000,
      // Each wait its own jitter, so that every mode gives each wait the same schedule.
      random: createSeededRandom(i + 1),
      logger,
    }).then(
      (resource) => {
        settled++;
        lags[i] = clock.now() - at;
        return resource;
      },
      (error: unknown) => {
        settled++;
        throw error;
      },
    ),
  );
  try {
    while (settled < WAITS) {
      await inFlight.quiet();
      if (settled === WAITS) break;
      if (!clock.runNext()) throw new Error(`stuck with ${WAITS - settled} waits pending and no timer`);
    }
    const results = await Promise.all(waits);
    expect(results.every((r) => r.Status === 'COMPLETED')).toBe(true);
  } finally {
    await real.close();
  }
  const log = emulator.requests();
  const describes = log.filter((r) => r.operation === 'DescribeBatchPredictions');
  return {
    requests: log.length,
    gets: log.filter((r) => r.operation === 'GetBatchPrediction').length,
    describes: describes.length,
    failedDescribes: describes.filter((r) => r.statusCode !== 200).length,
    meanLagMs: lags.reduce((a, b) => a + b, 0) / lags.length,
    maxLagMs: Math.max(...lags),
    lagsMs: lags,
    warnings,
  };
}

/** A probe's figures without the lag of each wait, for the log. */
function summary({ lagsMs: _lags, ...figures }: ProbeResult): Omit<ProbeResult, 'lagsMs'> {
  return figures;
}

describe('list polling vouches only for what it saw (120 waits, virtual time)', { timeout: 60_000 }, () => {
  let get: ProbeResult;
  beforeAll(async () => {
    get = await probe('get');
  }, 60_000);

  it('faithful list: a fraction of the requests of `get`, and each change seen within a list interval', async () => {
    const list = await probe('auto');
    console.log('faithful', summary(get), summary(list));
    expect(list.describes).toBeGreaterThan(0);
    expect(list.requests).toBeLessThan(get.requests / 3);
    // A pass that shows a job COMPLETED wakes its wait: detection within one list interval (half of
    // minDelayMs) while list polling runs — until fewer than half the threshold of waits are left, and the
    // last ones poll with Get… on their own schedules again.
    const whileListing = WAITS - LIST_POLLING_THRESHOLD / 2 + 1;
    expect(Math.max(...list.lagsMs.slice(0, whileListing))).toBeLessThanOrEqual(100);
    expect(Math.max(...list.lagsMs.slice(whileListing))).toBeGreaterThan(100);
    expect(list.meanLagMs).toBeLessThan(get.meanLagMs / 2);
    expect(list.warnings).toEqual([]);
  });

  it('denied list (403 AccessDeniedException): requests within 2 % of `get`, one warning', async () => {
    const denied = await probe('auto', [{ kind: 'listDenied' }]);
    console.log('denied', summary(get), summary(denied));
    expect(denied.failedDescribes).toBe(denied.describes);
    expect(denied.describes).toBe(1);
    expect(denied.requests).toBeLessThanOrEqual(get.requests * 1.02);
    expect(denied.meanLagMs).toBeLessThanOrEqual(get.meanLagMs * 1.2);
    expect(denied.warnings).toEqual([
      'DescribeBatchPredictions failed for good; polling with Get… and trying the list again later',
    ]);
  });

  it('a list that never shows the ids (empty pages): detection lag within 1.2× of `get`', async () => {
    const empty = await probe('auto', [{ kind: 'emptyPages' }]);
    console.log('empty', summary(get), summary(empty));
    expect(empty.meanLagMs).toBeLessThanOrEqual(get.meanLagMs * 1.2);
    expect(empty.maxLagMs).toBeLessThanOrEqual(get.maxLagMs * 1.2);
  });

  it('a lagging list (1 s behind) delays detection by its lag at most, plus a delay and a list interval', async () => {
    const lagging = await probe('auto', [{ kind: 'laggingPages', lagMs: 1000 }]);
    console.log('lagging', summary(get), summary(lagging));
    expect(lagging.failedDescribes).toBe(0);
    expect(lagging.maxLagMs).toBeLessThanOrEqual(1000 + 1000 + 100);
  });
});
