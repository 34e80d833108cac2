import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/model/Logger.js';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import type { AmazonMLClientLike } from '../../src/waiter/WaitOptions.js';
import { SharedPolls } from '../../src/waiter/SharedPolls.js';
import { signalNotingClient } from '../helpers/signalNotingClient.js';

/** A client whose Get answers only when the test says so. */
function heldClient() {
  const pending: ((resource: unknown) => void)[] = [];
  const client = {
    get: (_kind: string, _id: string) =>
      new Promise((resolve) => {
        pending.push(resolve);
      }),
  } as unknown as AmazonMLClientLike;
  return { client, answer: (resource: unknown) => pending.shift()?.(resource), pending };
}

const bp = (Status: string, updatedSeconds: number) => ({
  BatchPredictionId: 'bp-1',
  Status,
  LastUpdatedAt: new Date(updatedSeconds * 1000),
});

describe('SharedPolls: a Get answered while a list pass recorded a newer state', () => {
  for (const [case_, listed, answered, expected] of [
    [
      'the list saw a newer state: it is kept and handed out',
      bp('COMPLETED', 20),
      bp('INPROGRESS', 10),
      'COMPLETED',
    ],
    ['the Get is newer: its answer wins', bp('INPROGRESS', 10), bp('COMPLETED', 20), 'COMPLETED'],
    ['same LastUpdatedAt: the Get wins', bp('PENDING', 10), bp('INPROGRESS', 10), 'INPROGRESS'],
    [
      'an answer without LastUpdatedAt: the Get wins',
      bp('PENDING', 10),
      { BatchPredictionId: 'bp-1', Status: 'COMPLETED' },
      'COMPLETED',
    ],
  ] as const) {
    it(case_, async () => {
      const clock = new VirtualClock();
      const { client, answer, pending } = heldClient();
      const shared = SharedPolls.of(client);
      const timing = { clock, minDelayMs: 2_000, maxDelayMs: 1e8, logger: silentLogger };
      const first = shared.reader('BatchPrediction', 'bp-1', 'get', timing);
      const second = shared.reader('BatchPrediction', 'bp-1', 'get', timing);
      const signal = new AbortController().signal;
      const read = first.read(0, signal);
      const joiner = second.read(0, signal);
      expect(pending).toHaveLength(1);
      shared.recordListed('BatchPrediction', 'bp-1', listed, clock.now());
      answer(answered);
      expect((await read).resource.Status).toBe(expected);
      expect((await joiner).resource.Status).toBe(expected);
      // What the next reader is given without a request is the same state.
      const next = await first.read(60_000, signal);
      expect(next).toMatchObject({ requested: false, resource: { Status: expected } });
      first.close();
      second.close();
      expect(shared.size).toBe(0);
    });
  }
});

describe('SharedPolls: a list pass that shows a changed status wakes the waits on the id', () => {
  it('wakes each wait once per change, never for an unchanged or an older state, and not after close', () => {
    const clock = new VirtualClock();
    const { client } = heldClient();
    const shared = SharedPolls.of(client);
    const timing = { clock, minDelayMs: 2_000, maxDelayMs: 1e8, logger: silentLogger };
    const first = shared.reader('BatchPrediction', 'bp-1', 'get', timing);
    const second = shared.reader('BatchPrediction', 'bp-1', 'get', timing);
    const other = shared.reader('BatchPrediction', 'bp-2', 'get', timing);
    const woken: string[] = [];
    first.onChange?.(() => woken.push('first'));
    second.onChange?.(() => woken.push('second'));
    other.onChange?.(() => woken.push('other'));
    const record = (resource: unknown) => {
      shared.recordListed('BatchPrediction', 'bp-1', resource, clock.now());
    };
    record(bp('PENDING', 10));
    expect(woken).toEqual(['first', 'second']);
    record(bp('PENDING', 10));
    record(bp('PENDING', 11));
    expect(woken).toEqual(['first', 'second']);
    record(bp('INPROGRESS', 20));
    expect(woken).toEqual(['first', 'second', 'first', 'second']);
    // A lagging page (older than what is known) records nothing and wakes nobody.
    record(bp('PENDING', 15));
    expect(woken).toHaveLength(4);
    second.close();
    record(bp('COMPLETED', 30));
    expect(woken).toEqual(['first', 'second', 'first', 'second', 'first']);
    first.close();
    other.close();
    expect(shared.size).toBe(0);
  });
});

describe('SharedPolls: reads that the first list pass passed over send their Get… in slices', () => {
  it('64 per event-loop turn, in order, and none for a wait that ended while it waited its turn', async () => {
    const clock = new VirtualClock();
    const gets: string[] = [];
    let endPass: (() => void) | undefined;
    const client = {
      get: (_kind: string, id: string) => {
        gets.push(id);
        return new Promise(() => undefined);
      },
      // The first pass answers an empty page when the test says so (an index that shows none of the jobs).
      describe: () =>
        new Promise((resolve) => {
          endPass = () => {
            resolve({ Results: [] });
          };
        }),
    } as unknown as AmazonMLClientLike;
    const shared = SharedPolls.of(client);
    const timing = { clock, minDelayMs: 2_000, maxDelayMs: 10_000, logger: silentLogger };
    const ids = Array.from({ length: 200 }, (_, i) => `bp-${String(i).padStart(3, '0')}`);
    const readers = ids.map((id) => shared.reader('BatchPrediction', id, 'list', timing));
    const aborted = new AbortController();
    const outcomes = readers.map((reader, i) =>
      reader.read(1_000, i === 150 ? aborted.signal : new AbortController().signal).then(
        () => 'answered',
        (error: unknown) => (error as Error).message,
      ),
    );
    // Every read waits for the first pass: nothing is sent but the pass.
    expect(shared.isListPolling('BatchPrediction')).toBe(true);
    await new Promise(setImmediate);
    expect(gets).toEqual([]);
    endPass?.();
    // This turn, the pass's end reaches the reads, which line up for their turn.
    await new Promise(setImmediate);
    expect(gets).toEqual([]);
    // While they wait in line, the wait on bp-150 is aborted and the one on bp-199 ends (its reader closes).
    aborted.abort(new Error('stopped'));
    readers[199]?.close();
    // Each later turn sends one slice, skipping those two.
    const sentAfterEachTurn: number[] = [];
    for (let turn = 0; turn < 4; turn++) {
      await new Promise(setImmediate);
      sentAfterEachTurn.push(gets.length);
    }
    expect(sentAfterEachTurn).toEqual([64, 128, 191, 198]);
    expect(gets).toEqual(ids.filter((id) => id !== 'bp-150' && id !== 'bp-199'));
    expect(await outcomes[150]).toBe('stopped');
    expect(await outcomes[199]).toBe('The wait on BatchPrediction bp-199 has ended.');
    for (const reader of readers) reader.close();
    expect(shared.size).toBe(0);
  });
});

describe('SharedPolls: a Get gets an AbortController only when a read that can leave starts it', () => {
  const timing = { clock: new VirtualClock(), minDelayMs: 2_000, maxDelayMs: 1e8, logger: silentLogger };

  it('a read without a signal sends its Get without one; a joiner whose wait ends leaves it running', async () => {
    const { client, calls } = signalNotingClient();
    const shared = SharedPolls.of(client);
    const lone = shared.reader('BatchPrediction', 'bp-1', 'get', timing);
    const leaving = shared.reader('BatchPrediction', 'bp-1', 'get', timing);
    const first = lone.read(0, undefined);
    void leaving.read(0, new AbortController().signal);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.signal).toBeUndefined();
    leaving.close();
    calls[0]!.answer(bp('COMPLETED', 10));
    expect(await first).toEqual({ resource: bp('COMPLETED', 10), requested: true });
    lone.close();
    expect(shared.size).toBe(0);
  });

  it('a read with a signal sends its Get with one, which the last reader to close aborts; nothing listens to the caller’s signal', async () => {
    const { client, calls } = signalNotingClient();
    const shared = SharedPolls.of(client);
    const a = shared.reader('BatchPrediction', 'bp-1', 'get', timing);
    const b = shared.reader('BatchPrediction', 'bp-1', 'get', timing);
    const c = shared.reader('BatchPrediction', 'bp-1', 'get', timing);
    const first = new AbortController();
    const second = new AbortController();
    const readA = a.read(0, first.signal);
    const readB = b.read(0, second.signal);
    expect(calls).toHaveLength(1);
    const requestSignal = calls[0]!.signal;
    expect(requestSignal).toBeInstanceOf(AbortSignal);
    // Thousands of waits may share a signal: the reader adds no listener to it (the wait listens, and closes).
    expect(getEventListeners(first.signal, 'abort')).toHaveLength(0);
    expect(getEventListeners(second.signal, 'abort')).toHaveLength(0);
    a.close();
    expect(requestSignal?.aborted).toBe(false);
    // `c` is registered on the id but sleeping, not waiting for this request: it doesn't keep it running.
    b.close();
    expect(requestSignal?.aborted).toBe(true);
    await expect(readA).rejects.toThrow(expect.objectContaining({ name: 'AbortError' }) as Error);
    await expect(readB).rejects.toThrow(expect.objectContaining({ name: 'AbortError' }) as Error);
    c.close();
    expect(shared.size).toBe(0);
  });

  it('a read that comes right after the last joiner cancelled a Get sends one of its own, not joins it', async () => {
    const { client, calls } = signalNotingClient();
    const shared = SharedPolls.of(client);
    // `sleeping` keeps the id registered (a wait between polls); `leaving` has a Get out, and its wait ends.
    const sleeping = shared.reader('BatchPrediction', 'bp-1', 'get', timing);
    const leaving = shared.reader('BatchPrediction', 'bp-1', 'get', timing);
    const cancelled = leaving.read(0, new AbortController().signal);
    leaving.close();
    expect(calls[0]!.signal?.aborted).toBe(true);
    // A new wait on the id reads in the same turn, before the cancelled request's rejection has settled.
    const next = shared.reader('BatchPrediction', 'bp-1', 'get', timing);
    const read = next.read(0, new AbortController().signal);
    expect(calls).toHaveLength(2);
    calls[1]!.answer(bp('PENDING', 20));
    expect(await read).toEqual({ resource: bp('PENDING', 20), requested: true });
    await expect(cancelled).rejects.toThrow(expect.objectContaining({ name: 'AbortError' }) as Error);
    for (const reader of [sleeping, next]) reader.close();
    expect(shared.size).toBe(0);
  });

  it('a wait that ends while its Get starts: the request is cancelled and its rejection goes nowhere', async () => {
    const { client, calls } = signalNotingClient();
    const ending: { reader?: { close(): void } } = {};
    const ends = {
      get: (kind: 'BatchPrediction', id: string, options?: { signal?: AbortSignal }) => {
        // The wait ends (its reader closes) while the client starts the call.
        ending.reader?.close();
        return client.get(kind, id, options);
      },
    } as unknown as AmazonMLClientLike;
    const shared = SharedPolls.of(ends);
    const opened = shared.reader('BatchPrediction', 'bp-1', 'get', timing);
    ending.reader = opened;
    const signal = new AbortController().signal;
    await expect(opened.read(0, signal)).rejects.toThrow(
      expect.objectContaining({ name: 'AbortError' }) as Error,
    );
    expect(calls).toHaveLength(1);
    expect(calls[0]!.signal?.aborted).toBe(true);
    // An unhandled rejection would fail the run (Vitest reports it); give it the turns it needs to surface.
    await new Promise((resolve) => setTimeout(resolve, 10));
    // A read whose signal is already aborted sends nothing.
    const again = shared.reader('BatchPrediction', 'bp-1', 'get', timing);
    const over = new AbortController();
    over.abort(new Error('wait over'));
    await expect(again.read(0, over.signal)).rejects.toThrow('wait over');
    expect(calls).toHaveLength(1);
    again.close();
    expect(shared.size).toBe(0);
  });
});
