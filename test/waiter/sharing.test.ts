import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import { startEmulator } from '../../src/emulator/startEmulator.js';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import { waitFor } from '../../src/waiter/waitFor.js';
import { createBatchPredictionWaiter, waitForBatchPrediction } from '../../src/waiter/batchPrediction.js';
import { LIST_POLLING_THRESHOLD, SharedPolls } from '../../src/waiter/SharedPolls.js';
import type { TransitionEvent } from '../../src/waiter/WaitEvent.js';
import { countAbortControllers } from '../helpers/countAbortControllers.js';
import { useEmulator } from '../helpers/emulatorFixture.js';

const env = useEmulator();
const opts = () => ({ client: env.client, clock: env.clock, random: () => 0 });

function count(operation: string, id?: string): number {
  return env.emulator.requests().filter((r) => r.operation === operation && (id === undefined || r.id === id))
    .length;
}

describe('coalescing waits on the same id', () => {
  it('concurrent waits through one client send one request per tick, each with its own events', async () => {
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-shared' }, [
      { status: 'PENDING', forMs: 10_000 },
      { status: 'INPROGRESS', forMs: 20_000 },
      { status: 'COMPLETED' },
    ]);
    const waiters = Array.from({ length: 5 }, () => createBatchPredictionWaiter('bp-shared', opts()));
    const transitions = waiters.map(() => [] as string[]);
    waiters.forEach((waiter, index) => waiter.on('transition', (e) => transitions[index]!.push(e.to)));
    const results = await Promise.all(waiters.map((waiter) => waiter.result));
    expect(results.every((r) => r.Status === 'COMPLETED')).toBe(true);
    for (const seen of transitions) expect(seen).toEqual(['PENDING', 'INPROGRESS', 'COMPLETED']);
    // Polls at 0, 2000, 5000, 9500, 16 250, 26 375, 41 563: seven ticks, seven requests for five waits.
    expect(count('GetBatchPrediction', 'bp-shared')).toBe(7);
  });

  it('a late wait gets the current status at once, from the last request, without sending one', async () => {
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-late' }, [{ status: 'INPROGRESS' }]);
    env.clock.setAutoAdvance(false);
    const first = createBatchPredictionWaiter('bp-late', opts());
    await vi.waitFor(() => {
      expect(env.clock.pendingTimers).toBe(1);
    });
    env.clock.advance(1000); // half-way through the first 2 s sleep
    const late = createBatchPredictionWaiter('bp-late', opts());
    const firstEvent = await new Promise<TransitionEvent>((resolve) => late.once('transition', resolve));
    expect(firstEvent).toMatchObject({ from: null, to: 'INPROGRESS', attempt: 0 });
    expect(count('GetBatchPrediction', 'bp-late')).toBe(1);
    first.cancel();
    late.cancel();
    await Promise.allSettled([first.result, late.result]);
  });

  it('waits on one shared signal make no AbortController: their requests carry the signal, whose abort cancels them', async () => {
    env.clock.setAutoAdvance(false);
    const ids = ['bp-sig-1', 'bp-sig-2', 'bp-sig-3'];
    for (const id of ids)
      env.emulator.put('BatchPrediction', { BatchPredictionId: id }, [{ status: 'PENDING' }]);
    // The first Gets hang in the emulator: in flight when the signal aborts.
    env.emulator.addFault({ kind: 'delay', operation: 'GetBatchPrediction', ms: 60_000, times: 3 });
    const shared = new AbortController();
    const controllers = countAbortControllers();
    try {
      const waits = ids.map((id) => waitForBatchPrediction(id, { ...opts(), signal: shared.signal }));
      await new Promise((resolve) => setTimeout(resolve, 100)); // the three Gets are in flight
      // The waits, their readers and this package's client share the one listener on the signal.
      expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
      shared.abort(new Error('stop'));
      for (const wait of waits) await expect(wait).rejects.toThrow('stop');
      expect(controllers.created).toBe(0);
      expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
      expect(SharedPolls.of(env.client).size).toBe(0);
      // Cancelled in flight: the emulator never answered them.
      expect(count('GetBatchPrediction')).toBe(0);
    } finally {
      controllers.restore();
    }
  });

  it('cancelling one wait never disturbs the others, even mid-request', async () => {
    env.clock.setAutoAdvance(false);
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-mid' }, [{ status: 'PENDING' }]);
    env.emulator.addFault({ kind: 'delay', operation: 'GetBatchPrediction', ms: 300, times: 1 });
    const a = createBatchPredictionWaiter('bp-mid', opts());
    const b = createBatchPredictionWaiter('bp-mid', opts());
    const bPolls: string[] = [];
    b.on('poll', (e) => bPolls.push(String(e.resource.Status)));
    await new Promise((resolve) => setTimeout(resolve, 100)); // the shared request is in flight
    // `a` sent it (with its signal): cancelling `a` cancels it, and `b` sends a Get of its own.
    a.cancel();
    await expect(a.result).rejects.toMatchObject({ name: 'AbortError' });
    await vi.waitFor(() => {
      expect(bPolls).toEqual(['PENDING']);
    });
    b.cancel();
    await b.result.catch(() => undefined);
    // One answered: `b`'s (the emulator logs a request when it answers; the cancelled one never was).
    expect(count('GetBatchPrediction', 'bp-mid')).toBe(1);
    expect(SharedPolls.of(env.client).size).toBe(0);
  });
});

describe('list polling', () => {
  // Real time here: a list pass is real I/O, and an auto-advancing virtual clock would race ahead of it.
  it(`switches to Describe… at ${LIST_POLLING_THRESHOLD} waits; every wait sees each of its transitions, in order`, async () => {
    const n = LIST_POLLING_THRESHOLD + 10;
    const ids = Array.from({ length: n }, (_, i) => `bp-list-${i}`);
    const { emulator } = env;
    const realEmulator = await startEmulator({ port: 0 });
    const client = new AmazonMLClient({
      endpoint: realEmulator.endpoint,
      region: realEmulator.region,
      credentials: realEmulator.credentials,
    });
    try {
      ids.forEach((id, i) => {
        realEmulator.put('BatchPrediction', { BatchPredictionId: id }, [
          { status: 'PENDING', forMs: 1500 + i * 5 }, // long enough for the first pass on a loaded machine
          { status: 'INPROGRESS', forMs: 800 },
          i % 10 === 0 ? { status: 'FAILED', message: 'bad rows' } : { status: 'COMPLETED' },
        ]);
      });
      const seen = new Map<string, string[]>();
      const outcomes = await Promise.allSettled(
        ids.map((id) => {
          const waiter = createBatchPredictionWaiter(id, { client, minDelayMs: 100, maxDelayMs: 200 });
          seen.set(id, []);
          waiter.on('transition', (e) => seen.get(id)!.push(e.to));
          return waiter.result;
        }),
      );
      ids.forEach((id, i) => {
        const last = i % 10 === 0 ? 'FAILED' : 'COMPLETED';
        expect(seen.get(id), id).toEqual(['PENDING', 'INPROGRESS', last]);
        expect(outcomes[i]!.status).toBe(i % 10 === 0 ? 'rejected' : 'fulfilled');
      });
      const requests = realEmulator.requests();
      const gets = requests.filter((r) => r.operation === 'GetBatchPrediction').length;
      const lists = requests.filter((r) => r.operation === 'DescribeBatchPredictions').length;
      expect(lists).toBeGreaterThan(0);
      // Per-id polling sends a Get per wait every 100–200 ms for ~2.3 s (≈ 15 per wait); list polling sends
      // the first Gets and one more per id the list has not yet shown in its current state (a list vouches
      // only for what it saw), one Get per FAILED job (for its LogUri) and one page per pass: under a quarter.
      expect(gets + lists).toBeLessThan((n * 15) / 4);
      expect(SharedPolls.of(client).isListPolling('BatchPrediction')).toBe(false);
      expect(emulator.requests()).toHaveLength(0);
    } finally {
      await client.close();
      await realEmulator.close();
    }
  });

  it("polling: 'get' never lists; polling: 'list' lists even for one wait", async () => {
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-one' }, [
      { status: 'PENDING', forMs: 6000 },
      { status: 'COMPLETED' },
    ]);
    await waitForBatchPrediction('bp-one', { ...opts(), polling: 'get' });
    expect(count('DescribeBatchPredictions')).toBe(0);
    env.emulator.reset();
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-two' }, [
      { status: 'PENDING', forMs: 6000 },
      { status: 'COMPLETED' },
    ]);
    const done = await waitFor('BatchPrediction', 'bp-two', { ...opts(), polling: 'list' });
    expect(done.Status).toBe('COMPLETED');
    expect(count('DescribeBatchPredictions')).toBeGreaterThan(0);
  });
});

describe('list polling safety net', () => {
  it('a change the list passes miss is still seen: list-vouched states are re-read with Get… after 10 × maxDelayMs', async () => {
    const clock = new VirtualClock({ autoAdvance: true });
    const getsAt: number[] = [];
    // A client whose Describe passes keep reporting PENDING (as if paging had skipped the change), while
    // Get tells the truth: COMPLETED from 5 s on.
    const client = {
      get: (_kind: string, id: string) => {
        getsAt.push(clock.now());
        return Promise.resolve({
          BatchPredictionId: id,
          Status: clock.now() >= 5000 ? 'COMPLETED' : 'PENDING',
        });
      },
      describe: () =>
        Promise.resolve({
          Results: [{ BatchPredictionId: 'bp-stale', Status: 'PENDING', LastUpdatedAt: new Date(0) }],
        }),
    } as unknown as AmazonMLClient;
    const done = await waitForBatchPrediction('bp-stale', {
      client,
      clock,
      polling: 'list',
      minDelayMs: 1000,
      maxDelayMs: 2000,
      random: () => 0,
    });
    expect(done.Status).toBe('COMPLETED');
    // The list vouched for PENDING until 10 × 2000 ms after registration; then one Get saw the truth.
    expect(getsAt).toHaveLength(1);
    expect(getsAt[0]).toBeGreaterThan(20_000);
    expect(getsAt[0]).toBeLessThanOrEqual(22_000);
  });
});
