import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
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

describe('SharedPolls: a Get is cancelled by the signal of the read that sent it', () => {
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

  it('reads with the same signal share one Get, which readers closing leave running and the signal’s abort cancels', async () => {
    const { client, calls } = signalNotingClient();
    const shared = SharedPolls.of(client);
    const a = shared.reader('BatchPrediction', 'bp-1', 'get', timing);
    const b = shared.reader('BatchPrediction', 'bp-1', 'get', timing);
    const caller = new AbortController();
    const readA = a.read(0, caller.signal);
    const readB = b.read(0, caller.signal);
    expect(calls).toHaveLength(1);
    const requestSignal = calls[0]!.signal;
    // A client-like of its own gets a signal per request that follows the caller's (one fan-out listener).
    expect(requestSignal).toBeInstanceOf(AbortSignal);
    expect(requestSignal).not.toBe(caller.signal);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    // A wait that ends (its reader closes) stops listening; the request is left to answer.
    a.close();
    expect(requestSignal?.aborted).toBe(false);
    const reason = new Error('batch cancelled');
    caller.abort(reason);
    expect(requestSignal?.aborted).toBe(true);
    await expect(readA).rejects.toBe(reason);
    await expect(readB).rejects.toBe(reason);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    b.close();
    expect(shared.size).toBe(0);
  });

  it('a read with another signal, or none, joins too — and sends a Get of its own when the first signal aborts', async () => {
    const { client, calls } = signalNotingClient();
    const shared = SharedPolls.of(client);
    const [a, b, c, d] = [1, 2, 3, 4].map(() => shared.reader('BatchPrediction', 'bp-1', 'get', timing));
    const first = new AbortController();
    const other = new AbortController();
    const readA = a!.read(0, first.signal);
    const readB = b!.read(0, other.signal);
    const readC = c!.read(0, undefined);
    expect(calls).toHaveLength(1);
    first.abort(new Error('the first wait was cancelled'));
    // A read in the same turn, before the cancelled request's rejection has settled: it sends its own.
    const readD = d!.read(0, undefined);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.signal).toBeUndefined();
    await expect(readA).rejects.toThrow('the first wait was cancelled');
    // `b` and `c` join the new request (it has no signal: nothing can cancel it under them).
    calls[1]!.answer(bp('PENDING', 20));
    for (const read of [readB, readC, readD])
      expect(await read).toEqual({ resource: bp('PENDING', 20), requested: true });
    expect(calls).toHaveLength(2);
    for (const reader of [a, b, c, d]) reader!.close();
    expect(shared.size).toBe(0);
  });

  it('a joiner whose own signal has aborted too sends nothing; one still reading sends for itself', async () => {
    const { client, calls } = signalNotingClient();
    const shared = SharedPolls.of(client);
    const [a, b, c] = [1, 2, 3].map(() => shared.reader('BatchPrediction', 'bp-1', 'get', timing));
    const first = new AbortController();
    const second = new AbortController();
    const third = new AbortController();
    const readA = a!.read(0, first.signal);
    const readB = b!.read(0, second.signal);
    const readC = c!.read(0, third.signal);
    second.abort(new Error('b over'));
    first.abort(new Error('a over'));
    await expect(readA).rejects.toThrow('a over');
    // `b`'s wait is over: the request's failure is passed on, nothing is sent for it.
    await expect(readB).rejects.toThrow('a over');
    // Only `c` still reads: its Get, with a signal that follows its own.
    await vi.waitFor(() => {
      expect(calls).toHaveLength(2);
    });
    third.abort(new Error('c over'));
    await expect(readC).rejects.toThrow('c over');
    expect(calls[1]!.signal?.aborted).toBe(true);
    for (const reader of [a, b, c]) reader!.close();
    expect(shared.size).toBe(0);
  });

  it('a signal that aborts while the client starts the call: the read rejects with its reason, nothing goes unhandled', async () => {
    const { client, calls } = signalNotingClient();
    const caller = new AbortController();
    const aborts = {
      get: (kind: 'BatchPrediction', id: string, options?: { signal?: AbortSignal }) => {
        // The wait is cancelled while the client starts the call.
        caller.abort(new Error('cancelled while sending'));
        return client.get(kind, id, options);
      },
    } as unknown as AmazonMLClientLike;
    const shared = SharedPolls.of(aborts);
    const opened = shared.reader('BatchPrediction', 'bp-1', 'get', timing);
    await expect(opened.read(0, caller.signal)).rejects.toThrow('cancelled while sending');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.signal?.aborted).toBe(true);
    // An unhandled rejection would fail the run (Vitest reports it); give it the turns it needs to surface.
    await new Promise((resolve) => setTimeout(resolve, 10));
    // A read whose signal is already aborted sends nothing.
    await expect(opened.read(0, caller.signal)).rejects.toThrow('cancelled while sending');
    expect(calls).toHaveLength(1);
    opened.close();
    expect(shared.size).toBe(0);
  });
});
