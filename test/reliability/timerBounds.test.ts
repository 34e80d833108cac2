import { MAX_TIMER_MS } from '../../src/model/Clock.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/Emulator.js';
import { startEmulator } from '../../src/emulator/startEmulator.js';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import { waitFor } from '../../src/waiter/waitFor.js';
import type { ClockBox } from './helpers/runScenario.js';
import { clockProxy } from './helpers/runScenario.js';

/**
 * Every delay the waiter asks its clock for must fit `setTimeout` (at most 2³¹−1 ms). With the system
 * clock, Node turns a longer delay into 1 ms (TimeoutOverflowWarning): the wait would poll at once, and
 * since the time left is still as long, again every millisecond: a hot loop against the API. Options
 * are validated to that bound, so no combination of valid options (nor a server's `Retry-After`) may
 * produce a longer delay. Run in virtual time, where `VirtualClock.scheduled` records every delay asked.
 */

describe('delays always fit setTimeout', () => {
  const box: ClockBox = { clock: new VirtualClock({ autoAdvance: true }) };
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ clock: clockProxy(box) });
  });
  afterAll(async () => {
    await emulator.close();
  });

  function client() {
    return { endpoint: emulator.endpoint, region: emulator.region, credentials: { ...emulator.credentials } };
  }

  it('the last sleep before the deadline, with maxDelayMs and minDelayMs at their largest valid value', async () => {
    emulator.reset();
    box.clock = new VirtualClock({ autoAdvance: true });
    emulator.put('BatchPrediction', { BatchPredictionId: 'bp-long' }, [{ status: 'INPROGRESS' }]);
    const error = await waitFor('BatchPrediction', 'bp-long', {
      client: client(),
      clock: box.clock,
      minDelayMs: MAX_TIMER_MS,
      maxDelayMs: MAX_TIMER_MS,
      timeoutMs: 2 * MAX_TIMER_MS + 1000,
    }).catch((e: unknown) => e);
    expect((error as Error).name).toBe('WaitTimeoutError');
    // Found: [2147483647, 2147484647]: the final sleep is the whole time left, 2147484647 ms.
    expect(box.clock.scheduled.filter((d) => d > MAX_TIMER_MS)).toEqual([]);
  });

  it("a throttle's Retry-After longer than setTimeout's range, with a long deadline", async () => {
    emulator.reset();
    box.clock = new VirtualClock({ autoAdvance: true });
    emulator.put('BatchPrediction', { BatchPredictionId: 'bp-throttled' }, [
      { status: 'INPROGRESS', forMs: 1000 },
      { status: 'COMPLETED' },
    ]);
    emulator.addFault({ kind: 'throttle', times: 1, retryAfterSeconds: 3_000_000 });
    await expect(
      waitFor('BatchPrediction', 'bp-throttled', {
        client: client(),
        clock: box.clock,
        timeoutMs: 10 * MAX_TIMER_MS,
      }),
    ).resolves.toMatchObject({ Status: 'COMPLETED' });
    // Found: [3000000000]: the retry sleep is the server's Retry-After, unclamped.
    expect(box.clock.scheduled.filter((d) => d > MAX_TIMER_MS)).toEqual([]);
  });
});
