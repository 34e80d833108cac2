import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe, tracingChannel, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import { createBatchPredictionWaiter, waitForBatchPrediction } from '../../src/waiter/batchPrediction.js';
import { WAIT_CHANNELS, type WaitChannelMessage } from '../../src/waiter/waitChannels.js';
import type { WaitEvent } from '../../src/waiter/WaitEvent.js';
import { useEmulator } from '../helpers/emulatorFixture.js';

const env = useEmulator();

function lifecycle(id: string, ...steps: Parameters<typeof env.emulator.script>[2]) {
  env.emulator.put(
    'BatchPrediction',
    { BatchPredictionId: id, MLModelId: 'ml-x', BatchPredictionDataSourceId: 'ds-x' },
    steps,
  );
}

/** Subscribes to every aml-waiter channel; returns what arrived, in order, and the function that unsubscribes. */
function listen() {
  const seen: [string, unknown][] = [];
  const waitChannel = tracingChannel<unknown, WaitChannelMessage>(WAIT_CHANNELS.wait);
  const record = (name: string) => (message: unknown) => {
    // A copy of the tracing message as it is at this point (it is one object, completed at the end).
    seen.push([name, name.startsWith('wait:') ? { ...(message as object) } : message]);
  };
  const handlers = {
    start: record('wait:start'),
    end: record('wait:end'),
    asyncStart: record('wait:asyncStart'),
    asyncEnd: record('wait:asyncEnd'),
    error: record('wait:error'),
  };
  waitChannel.subscribe(handlers);
  const events = {
    [WAIT_CHANNELS.poll]: record('poll'),
    [WAIT_CHANNELS.transition]: record('transition'),
    [WAIT_CHANNELS.retry]: record('retry'),
  };
  for (const [name, handler] of Object.entries(events)) subscribe(name, handler);
  return {
    seen,
    stop: () => {
      waitChannel.unsubscribe(handlers);
      for (const [name, handler] of Object.entries(events)) unsubscribe(name, handler);
    },
  };
}

describe('node:diagnostics_channel', () => {
  // `start` and `end` enclose the synchronous start of the wait (the first request is sent inside it); the
  // outcome comes with `asyncStart`/`asyncEnd`, as for any asynchronous call traced with a TracingChannel.
  it('a tracing channel around the wait, and the poll, transition and retry events on their channels', async () => {
    // Requests at 0 (throttled), 1000 (PENDING) and 3000 (COMPLETED), in virtual time.
    lifecycle('bp-dc', { status: 'PENDING', forMs: 2500 }, { status: 'COMPLETED' });
    env.emulator.addFault({ kind: 'throttle', operation: 'GetBatchPrediction', times: 1 });
    const { seen, stop } = listen();
    const waiter = createBatchPredictionWaiter('bp-dc', {
      client: env.client,
      clock: env.clock,
      random: () => 0,
    });
    const emitted: WaitEvent[] = [];
    for await (const event of waiter) emitted.push(event);
    stop();
    const resource = await waiter.result;
    const start = { kind: 'BatchPrediction', id: 'bp-dc', timeoutMs: 604_800_000 };
    const done = {
      ...start,
      outcome: 'completed',
      status: 'COMPLETED',
      attempts: 3,
      polls: 2,
      result: resource,
    };
    const published = emitted.filter((event) => event.type !== 'wait');
    expect(seen).toEqual([
      ['wait:start', start],
      ['wait:end', start],
      ['retry', published[0]],
      ['poll', published[1]],
      ['transition', published[2]],
      ['poll', published[3]],
      ['transition', published[4]],
      ['wait:asyncStart', done],
      ['wait:asyncEnd', done],
    ]);
    // The event channels carry the very event objects the wait emitted (nothing built for them).
    expect(seen[2]?.[1]).toBe(published[0]);
    expect(published.map((event) => event.type)).toEqual([
      'retry',
      'poll',
      'transition',
      'poll',
      'transition',
    ]);
  });

  it('a failed wait publishes error with the WaiterError, then asyncStart/asyncEnd', async () => {
    lifecycle('bp-dc-failed', { status: 'FAILED', message: 'Bad schema' });
    const { seen, stop } = listen();
    const error = await waitForBatchPrediction('bp-dc-failed', {
      client: env.client,
      clock: env.clock,
    }).catch((e: unknown) => e);
    stop();
    expect(seen.map(([name]) => name)).toEqual([
      'wait:start',
      'wait:end',
      'poll',
      'transition',
      'wait:error',
      'wait:asyncStart',
      'wait:asyncEnd',
    ]);
    expect(seen[4]?.[1]).toMatchObject({ outcome: 'failed', status: 'FAILED', error, attempts: 1, polls: 1 });
  });

  it("subscribers' stores bound to the start channel apply to the wait's events", async () => {
    lifecycle('bp-dc-store', { status: 'COMPLETED' });
    const store = new AsyncLocalStorage<string>();
    const waitChannel = tracingChannel<unknown, WaitChannelMessage>(WAIT_CHANNELS.wait);
    waitChannel.start.bindStore(store, (message) => `span-of-${message.id}`);
    const stores: (string | undefined)[] = [];
    const onPoll = () => stores.push(store.getStore());
    subscribe(WAIT_CHANNELS.poll, onPoll);
    try {
      await waitForBatchPrediction('bp-dc-store', { client: env.client, clock: env.clock });
    } finally {
      unsubscribe(WAIT_CHANNELS.poll, onPoll);
      waitChannel.start.unbindStore(store);
    }
    expect(stores).toEqual(['span-of-bp-dc-store']);
  });

  it('after unsubscribing, nothing is published', async () => {
    lifecycle('bp-dc-quiet', { status: 'COMPLETED' });
    const { seen, stop } = listen();
    stop();
    await waitForBatchPrediction('bp-dc-quiet', { client: env.client, clock: env.clock });
    expect(seen).toEqual([]);
  });
});
