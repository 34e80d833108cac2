import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import { exponentialJitterBackoff } from '../../src/waiter/backoff.js';
import {
  createBatchPredictionWaiter,
  waitForBatchPrediction,
  watchBatchPrediction,
} from '../../src/waiter/batchPrediction.js';
import { isResourceDeletedError, ResourceDeletedError } from '../../src/waiter/ResourceDeletedError.js';
import { isResourceFailedError, ResourceFailedError } from '../../src/waiter/ResourceFailedError.js';
import type { WaitEvent } from '../../src/waiter/WaitEvent.js';
import type { AmazonMLClientLike } from '../../src/waiter/WaitOptions.js';
import { isWaiterError } from '../../src/waiter/WaiterError.js';
import { isWaitRequestError, WaitRequestError } from '../../src/waiter/WaitRequestError.js';
import { isWaitTimeoutError, WaitTimeoutError } from '../../src/waiter/WaitTimeoutError.js';
import { SleepQueue } from '../../src/waiter/SleepQueue.js';
import { countAbortControllers } from '../helpers/countAbortControllers.js';
import {
  accessDenied,
  hang,
  notFound,
  scriptedClient,
  serverError,
  throttle,
} from '../helpers/scriptedClient.js';

const ID = 'bp-1';

function setup(steps: Parameters<typeof scriptedClient>[0], extra?: Record<string, unknown>) {
  const clock = new VirtualClock({ autoAdvance: true, startWallMs: Date.UTC(2026, 10, 27) });
  const client = scriptedClient(steps, extra);
  return { clock, client, base: { clock, client, random: () => 0 } };
}

async function collect(events$: ReturnType<typeof watchBatchPrediction>) {
  const events: WaitEvent[] = [];
  let error: unknown;
  await new Promise<void>((resolve) => {
    events$.subscribe({
      next: (event) => events.push(event),
      error: (e: unknown) => {
        error = e;
        resolve();
      },
      complete: resolve,
    });
  });
  return { events, error };
}

describe('delay schedule', () => {
  it('grows ×1.5 from minDelayMs to maxDelayMs with pinned randomness (random = 0 → no shortening)', async () => {
    const { clock, client, base } = setup([...Array<string>(10).fill('INPROGRESS'), 'COMPLETED']);
    const done = await waitForBatchPrediction(ID, { ...base, minDelayMs: 1000, maxDelayMs: 30_000 });
    expect(done.Status).toBe('COMPLETED');
    expect(client.calls).toHaveLength(11);
    expect(clock.scheduled).toEqual([1000, 1500, 2250, 3375, 5063, 7594, 11_391, 17_086, 25_629, 30_000]);
  });

  it('keeps jitter on at the cap: random = 0.5 shortens each delay by 10%', async () => {
    const { clock, base } = setup([...Array<string>(9).fill('PENDING'), 'COMPLETED']);
    await waitForBatchPrediction(ID, { ...base, random: () => 0.5, minDelayMs: 1000, maxDelayMs: 8000 });
    // The first delay (1000 · 0.9) is clamped back up to minDelayMs; 8000 · 0.9 = 7200 at the cap.
    expect(clock.scheduled).toEqual([1000, 1350, 2025, 3038, 4556, 6834, 7200, 7200, 7200]);
  });

  it('exponentialJitterBackoff stays within [min, max] for any attempt and random value', () => {
    for (let attempt = 1; attempt < 80; attempt++) {
      for (const r of [0, 0.25, 0.5, 0.999]) {
        const delay = exponentialJitterBackoff(attempt, {
          minDelayMs: 2000,
          maxDelayMs: 120_000,
          random: () => r,
        });
        expect(delay).toBeGreaterThanOrEqual(2000);
        expect(delay).toBeLessThanOrEqual(120_000);
      }
    }
  });

  it('uses the documented defaults: 2 s first delay, 120 s cap', async () => {
    const { clock, client } = setup([...Array<string>(13).fill('INPROGRESS'), 'COMPLETED']);
    await waitForBatchPrediction(ID, { clock, client, random: () => 0 });
    expect(clock.scheduled).toEqual([
      2000, 3000, 4500, 6750, 10_125, 15_188, 22_781, 34_172, 51_258, 76_887, 115_330, 120_000, 120_000,
    ]);
  });
});

describe('events', () => {
  it('emits poll, transition (from null first, only on change) and wait, in order, frozen', async () => {
    const { base } = setup(['PENDING', 'PENDING', 'INPROGRESS', 'COMPLETED']);
    const { events, error } = await collect(watchBatchPrediction(ID, { ...base, minDelayMs: 1000 }));
    expect(error).toBeUndefined();
    expect(events.map((e) => (e.type === 'transition' ? `transition:${e.from}->${e.to}` : e.type))).toEqual([
      'poll',
      'transition:null->PENDING',
      'wait',
      'poll',
      'wait',
      'poll',
      'transition:PENDING->INPROGRESS',
      'wait',
      'poll',
      'transition:INPROGRESS->COMPLETED',
    ]);
    expect(events.every((e) => Object.isFrozen(e))).toBe(true);
    expect(events.map((e) => e.attempt)).toEqual([1, 1, 1, 2, 2, 3, 3, 3, 4, 4]);
    expect(events.map((e) => e.elapsedMs)).toEqual([0, 0, 0, 1000, 1000, 2500, 2500, 2500, 4750, 4750]);
    const wait = events.find((e) => e.type === 'wait');
    expect(wait).toMatchObject({ type: 'wait', kind: 'BatchPrediction', id: ID, delayMs: 1000 });
    expect(wait?.type === 'wait' && wait.nextPollAt.toISOString()).toBe('2026-11-27T00:00:01.000Z');
  });

  it('a throwing listener never breaks the poller or the other listeners', async () => {
    const { base } = setup(['PENDING', 'INPROGRESS', 'COMPLETED']);
    const logger = { debug: vi.fn(), info: vi.fn(), warn: vi.fn(), error: vi.fn() };
    const waiter = createBatchPredictionWaiter(ID, { ...base, logger });
    const seen: string[] = [];
    waiter.on('transition', () => {
      throw new Error('listener bug');
    });
    waiter.on('transition', ({ to }) => seen.push(to));
    const done = await waiter.result;
    expect(done.Status).toBe('COMPLETED');
    expect(seen).toEqual(['PENDING', 'INPROGRESS', 'COMPLETED']);
    expect(logger.error).toHaveBeenCalledTimes(3);
  });

  it('without a logger, a throwing listener is reported as a process warning', async () => {
    const { base } = setup(['COMPLETED']);
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on('warning', onWarning);
    try {
      const waiter = createBatchPredictionWaiter(ID, base);
      waiter.on('poll', () => {
        throw new Error('listener bug');
      });
      await waiter.result;
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings).toEqual(['AmlWaiterListenerWarning: an event listener threw: Error: listener bug']);
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('off() removes a listener registered with on()', async () => {
    const { base } = setup(['PENDING', 'COMPLETED']);
    const waiter = createBatchPredictionWaiter(ID, base);
    const listener = vi.fn();
    waiter.on('poll', listener);
    waiter.off('poll', listener);
    await waiter.result;
    expect(listener).not.toHaveBeenCalled();
    expect(waiter.listenerCount('poll')).toBe(0);
  });

  it('the async iterator yields every event since creation, then ends; a second iterator sees the same', async () => {
    const { base } = setup(['PENDING', 'COMPLETED']);
    const waiter = createBatchPredictionWaiter(ID, base);
    await waiter.result;
    const first: string[] = [];
    for await (const event of waiter) first.push(event.type);
    const second: string[] = [];
    for await (const event of waiter) second.push(event.type);
    expect(first).toEqual(['poll', 'transition', 'wait', 'poll', 'transition']);
    expect(second).toEqual(first);
  });

  it('the async iterator throws the wait error after the last event', async () => {
    const { base } = setup(['FAILED'], { Message: 'bad schema' });
    const waiter = createBatchPredictionWaiter(ID, base);
    const types: string[] = [];
    await expect(
      (async () => {
        for await (const event of waiter) types.push(event.type);
      })(),
    ).rejects.toBeInstanceOf(ResourceFailedError);
    expect(types).toEqual(['poll', 'transition']);
  });
});

describe('memory', () => {
  it('an unchanged resource (same Status and LastUpdatedAt) keeps the object the wait already holds', async () => {
    const at = Date.UTC(2026, 10, 27, 10);
    let n = 0;
    // Every read answers a new object; the second differs from the first only by identity.
    const read = (status: string, updatedMs: number) => () =>
      Promise.resolve({
        BatchPredictionId: ID,
        Status: status,
        LastUpdatedAt: new Date(updatedMs),
        read: ++n,
      });
    const { base } = setup([
      read('PENDING', at),
      read('PENDING', at),
      read('INPROGRESS', at + 5000),
      read('COMPLETED', at + 9000),
    ]);
    const polls: unknown[] = [];
    const waiter = createBatchPredictionWaiter(ID, base);
    waiter.on('poll', (e) => polls.push(e.resource));
    const done = await waiter.result;
    expect(polls).toHaveLength(4);
    expect(polls[1]).toBe(polls[0]);
    expect(polls.map((r) => (r as { read: number }).read)).toEqual([1, 1, 3, 4]);
    expect(done).toBe(polls[3]);
  });
});

describe('outcomes', () => {
  it('FAILED rejects ResourceFailedError with the service Message and LogUri and the full context', async () => {
    const { client, base } = setup(['PENDING', 'FAILED'], {
      Message: 'Input data location does not exist',
      LogUri: 'https://logs.example/bp-1',
    });
    const error: unknown = await waitForBatchPrediction(ID, { ...base, minDelayMs: 1000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ResourceFailedError);
    const failed = error as ResourceFailedError;
    expect(failed.message).toBe(
      'Batch prediction bp-1 FAILED after 1.0 s of waiting: Input data location does not exist (log: https://logs.example/bp-1).',
    );
    expect(failed).toMatchObject({
      code: 'RESOURCE_FAILED',
      kind: 'BatchPrediction',
      id: ID,
      attempts: 2,
      elapsedMs: 1000,
    });
    expect(failed.history.map((h) => h.status)).toEqual(['PENDING', 'FAILED']);
    expect(failed.lastResource?.Status).toBe('FAILED');
    expect(isWaiterError(failed) && isResourceFailedError(failed)).toBe(true);
    expect(isResourceDeletedError(failed)).toBe(false);
    expect(client.calls).toHaveLength(2);
  });

  it('DELETED rejects ResourceDeletedError at once and sends nothing more', async () => {
    const { client, base } = setup(['INPROGRESS', 'DELETED', 'COMPLETED']);
    const error: unknown = await waitForBatchPrediction(ID, base).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceDeletedError);
    expect((error as ResourceDeletedError).message).toBe(
      'The batch prediction bp-1 was DELETED while INPROGRESS after 2.0 s of waiting, so it can never complete.',
    );
    expect(client.calls).toHaveLength(2);
  });

  it('a cross-realm WaiterError look-alike passes the guards by brand and code', () => {
    const foreign = { isAmlWaiterError: true, code: 'WAIT_TIMEOUT', name: 'WaitTimeoutError' };
    expect(isWaiterError(foreign)).toBe(true);
    expect(isWaitTimeoutError(foreign)).toBe(true);
    expect(isWaitRequestError(foreign)).toBe(false);
    expect(isWaiterError(new Error('x'))).toBe(false);
  });
});

describe('deadline', () => {
  it('makes a last poll exactly at the deadline, never rejects before it', async () => {
    const { clock, client, base } = setup(['INPROGRESS']);
    const error: unknown = await waitForBatchPrediction(ID, {
      ...base,
      minDelayMs: 1000,
      maxDelayMs: 4000,
      timeoutMs: 10_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    // Polls at 0, 1000, 2500, 4750, 8125; then 1875 ms are left (< maxDelayMs + minDelayMs), so the
    // final poll lands exactly on the deadline (10 000).
    expect(clock.scheduled).toEqual([1000, 1500, 2250, 3375, 1875]);
    expect(clock.now()).toBe(10_000);
    expect(client.calls).toHaveLength(6);
    const timeout = error as WaitTimeoutError;
    expect(timeout).toMatchObject({
      code: 'WAIT_TIMEOUT',
      timeoutMs: 10_000,
      attempts: 6,
      elapsedMs: 10_000,
    });
    expect(timeout.lastStatus).toBe('INPROGRESS');
    expect(timeout.message).toBe(
      'Gave up waiting for batch prediction bp-1 after 10.0 s (timeoutMs 10000) while still INPROGRESS, after 6 requests.',
    );
  });

  it('stretches the last delay instead of leaving a sliver shorter than minDelayMs', async () => {
    const { clock, base } = setup(['INPROGRESS']);
    await waitForBatchPrediction(ID, { ...base, minDelayMs: 1000, maxDelayMs: 1000, timeoutMs: 2500 }).catch(
      () => undefined,
    );
    expect(clock.scheduled).toEqual([1000, 1500]);
  });

  it('clamps retry delays to the deadline and times out with the failure as cause', async () => {
    const { clock, client, base } = setup(['INPROGRESS', throttle(60_000)]);
    const error: unknown = await waitForBatchPrediction(ID, {
      ...base,
      minDelayMs: 1000,
      timeoutMs: 5000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as WaitTimeoutError).cause).toMatchObject({ name: 'ThrottlingException' });
    expect(clock.scheduled).toEqual([1000, 4000]);
    expect(client.calls).toHaveLength(3);
  });
});

describe('retries of one poll', () => {
  it('retries transient failures with p-retry, honouring Retry-After, and reports retry events', async () => {
    const { clock, client, base } = setup([throttle(7000), serverError(), 'COMPLETED']);
    const { events, error } = await collect(watchBatchPrediction(ID, base));
    expect(error).toBeUndefined();
    const retries = events.filter((e) => e.type === 'retry');
    // Retry 1 (throttling): max(equal jitter of the 1 s floor at random 0 = 500, Retry-After 7000) = 7000.
    // Retry 2 (500): equal jitter of 500 · 2 = 1000 at random 0 = 500.
    expect(retries.map((e) => e.delayMs)).toEqual([7000, 500]);
    expect(retries.map((e) => e.attempt)).toEqual([1, 2]);
    expect(clock.scheduled).toEqual([7000, 500]);
    expect(client.calls).toHaveLength(3);
    expect(events.at(-1)).toMatchObject({ type: 'transition', to: 'COMPLETED', attempt: 3 });
  });

  it('fails with WaitRequestError (retriesExhausted) when the retries of one poll run out', async () => {
    const { client, base } = setup([serverError()]);
    const error: unknown = await waitForBatchPrediction(ID, { ...base, retry: { retries: 2 } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WaitRequestError);
    expect(error).toMatchObject({ code: 'REQUEST_FAILED', retriesExhausted: true, attempts: 3 });
    expect((error as WaitRequestError).cause).toMatchObject({
      name: 'InternalServerException',
      statusCode: 500,
    });
    expect(client.calls).toHaveLength(3);
  });

  it('403 AccessDeniedException fails fast: one request, WaitRequestError with the cause', async () => {
    const { client, base } = setup([accessDenied(), 'COMPLETED']);
    const error: unknown = await waitForBatchPrediction(ID, base).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitRequestError);
    expect(error).toMatchObject({ retriesExhausted: false, attempts: 1 });
    expect((error as Error).message).toBe(
      'Polling batch prediction bp-1 failed (AccessDeniedException: AmazonML is no longer available to new customers.).',
    );
    expect(client.calls).toHaveLength(1);
  });

  it('tolerates ResourceNotFoundException during notFoundGraceMs, then polls on', async () => {
    const { client, base } = setup([notFound(), notFound(), 'PENDING', 'COMPLETED']);
    const { events, error } = await collect(
      watchBatchPrediction(ID, { ...base, minDelayMs: 1000, notFoundGraceMs: 5000 }),
    );
    expect(error).toBeUndefined();
    expect(events.filter((e) => e.type === 'retry').map((e) => e.delayMs)).toEqual([1000, 1500]);
    expect(client.calls).toHaveLength(4);
  });

  it('fails with WaitRequestError once ResourceNotFoundException outlasts notFoundGraceMs', async () => {
    const { client, base } = setup([notFound()]);
    const error: unknown = await waitForBatchPrediction(ID, {
      ...base,
      minDelayMs: 1000,
      notFoundGraceMs: 2500,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitRequestError);
    expect((error as WaitRequestError).cause).toMatchObject({ name: 'ResourceNotFoundException' });
    // Polls at 0, 1000, 2500: the third is past the grace window.
    expect(client.calls).toHaveLength(3);
  });
});

describe('abort and cancel', () => {
  it('a pre-aborted signal sends no request and rejects with its reason unchanged', async () => {
    const { client, base } = setup(['COMPLETED']);
    const reason = { custom: 'reason' };
    const controller = new AbortController();
    controller.abort(reason);
    await expect(waitForBatchPrediction(ID, { ...base, signal: controller.signal })).rejects.toBe(reason);
    expect(client.calls).toHaveLength(0);
  });

  it('abort during a sleep clears the timer and sends nothing more', async () => {
    const clock = new VirtualClock();
    const client = scriptedClient(['PENDING']);
    const controller = new AbortController();
    const promise = waitForBatchPrediction(ID, { clock, client, signal: controller.signal });
    await vi.waitFor(() => {
      expect(clock.pendingTimers).toBe(1);
    });
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(promise).rejects.toBe(reason);
    expect(clock.pendingTimers).toBe(0);
    clock.advance(1_000_000);
    expect(client.calls).toHaveLength(1);
  });

  it('abort during an in-flight request cancels that request', async () => {
    const clock = new VirtualClock();
    const client = scriptedClient([hang]);
    const controller = new AbortController();
    const promise = waitForBatchPrediction(ID, { clock, client, signal: controller.signal });
    await vi.waitFor(() => {
      expect(client.calls).toHaveLength(1);
    });
    controller.abort('bye');
    await expect(promise).rejects.toBe('bye');
    expect(client.calls[0]!.signal?.aborted).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('abort during a retry sleep stops retrying', async () => {
    const clock = new VirtualClock();
    const client = scriptedClient([serverError()]);
    const controller = new AbortController();
    const promise = waitForBatchPrediction(ID, { clock, client, signal: controller.signal });
    await vi.waitFor(() => {
      expect(clock.pendingTimers).toBe(1);
    });
    controller.abort('stop');
    await expect(promise).rejects.toBe('stop');
    expect(clock.pendingTimers).toBe(0);
    expect(client.calls).toHaveLength(1);
  });

  it('waiter.cancel() rejects result with an AbortError and stops polling', async () => {
    const clock = new VirtualClock();
    const client = scriptedClient(['PENDING']);
    const waiter = createBatchPredictionWaiter(ID, { clock, client });
    await vi.waitFor(() => {
      expect(clock.pendingTimers).toBe(1);
    });
    waiter.cancel();
    await expect(waiter.result).rejects.toMatchObject({ name: 'AbortError' });
    expect(clock.pendingTimers).toBe(0);
    expect(waiter.settled).toBe(true);
  });

  it('unsubscribing from the Observable stops polling and leaves no timer', async () => {
    const clock = new VirtualClock();
    const client = scriptedClient(['PENDING']);
    const subscription = watchBatchPrediction(ID, { clock, client }).subscribe();
    await vi.waitFor(() => {
      expect(clock.pendingTimers).toBe(1);
    });
    subscription.unsubscribe();
    expect(clock.pendingTimers).toBe(0);
    clock.advance(10_000_000);
    expect(client.calls).toHaveLength(1);
  });

  it('a signal shared by many waits gets one listener in all, whatever each wait is doing', async () => {
    // Node's EventTarget checks each added listener against all others (and walks them to remove one): a
    // listener per wait on a signal 10,000 waits share costs O(waits²) at their start and at their end.
    const clock = new VirtualClock({ startWallMs: Date.UTC(2026, 10, 27) });
    const client = scriptedClient(['PENDING']);
    const shared = new AbortController();
    const waits = ['bp-1', 'bp-2', 'bp-3'].map((id) =>
      waitForBatchPrediction(id, { clock, client, random: () => 0, signal: shared.signal }),
    );
    // Every wait has polled once and sleeps (one clock timer stands for all their sleeps).
    await vi.waitFor(() => {
      expect(SleepQueue.of(clock).size).toBe(3);
    });
    expect(clock.pendingTimers).toBe(1);
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
    shared.abort(new Error('stop'));
    for (const wait of waits) await expect(wait).rejects.toThrow('stop');
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    expect(SleepQueue.of(clock).size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('a wait on a shared signal makes no AbortController of its own: one per request that may be cancelled', async () => {
    const shared = new AbortController();
    const controllers = countAbortControllers();
    try {
      const clock = new VirtualClock({ startWallMs: Date.UTC(2026, 10, 27) });
      const client = scriptedClient(['PENDING']);
      const waits = ['bp-1', 'bp-2', 'bp-3'].map((id) =>
        waitForBatchPrediction(id, { clock, client, random: () => 0, signal: shared.signal }),
      );
      await vi.waitFor(() => {
        expect(SleepQueue.of(clock).size).toBe(3);
      });
      // Three Gets answered, three waits asleep: three controllers — a client-like gets a signal per
      // request, following the caller's — and none per wait.
      expect(client.calls).toHaveLength(3);
      expect(controllers.created).toBe(3);
      shared.abort(new Error('stop'));
      for (const wait of waits) await expect(wait).rejects.toThrow('stop');
    } finally {
      controllers.restore();
    }
  });

  it('a signal shared by waits whose requests are in flight: one listener, and its abort cancels every request', async () => {
    const requests: AbortSignal[] = [];
    // A client-like whose Gets never answer; each notes the signal it was given.
    const client = {
      get: (_kind: string, _id: string, options?: { signal?: AbortSignal }) =>
        new Promise((_resolve, reject) => {
          const signal = options?.signal;
          if (signal === undefined) return;
          requests.push(signal);
          signal.addEventListener('abort', () => {
            reject(signal.reason as Error);
          });
        }),
    } as unknown as AmazonMLClientLike;
    const shared = new AbortController();
    const waits = ['bp-1', 'bp-2', 'bp-3'].map((id) =>
      waitForBatchPrediction(id, {
        clock: new VirtualClock(),
        client,
        polling: 'get',
        signal: shared.signal,
      }),
    );
    await vi.waitFor(() => {
      expect(requests).toHaveLength(3);
    });
    // Each request has a signal of its own (cancellable), and none of the waits' layers listens to the shared one.
    expect(new Set(requests).size).toBe(3);
    expect(requests).not.toContain(shared.signal);
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
    shared.abort(new Error('stop'));
    for (const wait of waits) await expect(wait).rejects.toThrow('stop');
    expect(requests.map((signal) => signal.aborted)).toEqual([true, true, true]);
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
  });

  it('the abort listener is removed after success', async () => {
    const { base } = setup(['COMPLETED']);
    const controller = new AbortController();
    const add = vi.spyOn(controller.signal, 'addEventListener');
    const remove = vi.spyOn(controller.signal, 'removeEventListener');
    await waitForBatchPrediction(ID, { ...base, signal: controller.signal });
    // The wait's own listener and the request's: each one added is removed again.
    expect(add).toHaveBeenCalled();
    const listeners = (calls: unknown[][]) => calls.map(([, listener]) => listener);
    expect(new Set(listeners(remove.mock.calls))).toEqual(new Set(listeners(add.mock.calls)));
    expect(remove).toHaveBeenCalledTimes(add.mock.calls.length);
  });
});
