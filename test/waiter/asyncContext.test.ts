import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import type { BatchPrediction } from '../../src/model/BatchPrediction.js';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import type { ResourceReader } from '../../src/waiter/ResourceReader.js';
import { readerSession, settle } from './helpers/readerSession.js';

/*
 * The wait loop runs on callbacks (a clock timer, a reader telling of a change), not on `await`: each poll
 * must still run in the async context of the caller who started the wait — that is how its requests find
 * their parent span, and how an application's AsyncLocalStorage store reaches a logger it passed — even
 * when the callback comes from a clock whose timers keep no context, or from a list pass another wait
 * started.
 */
const store = new AsyncLocalStorage<string>();

const bp = (Status: string) => ({ BatchPredictionId: 'bp-1', Status }) as unknown as BatchPrediction;

/** A reader that notes the store at each read, and answers PENDING, PENDING, then COMPLETED. */
function notingReader() {
  const seen: (string | undefined)[] = [];
  let listener: ((listed: unknown) => void) | undefined;
  const reader: ResourceReader<'BatchPrediction'> = {
    read: () => {
      seen.push(store.getStore());
      return Promise.resolve({ resource: bp(seen.length < 3 ? 'PENDING' : 'COMPLETED'), requested: true });
    },
    onChange: (l) => {
      listener = l;
    },
    close: () => undefined,
    maxAttempts: () => undefined,
  };
  return { reader, seen, tell: (listed: unknown) => listener?.(listed) };
}

describe("the wait loop keeps its caller's async context", () => {
  it('polls woken by a virtual clock (fired from outside any context) run in the wait’s context', async () => {
    const clock = new VirtualClock();
    const { reader, seen } = notingReader();
    const done = store.run('caller', () => readerSession(clock, reader).run(undefined));
    await settle();
    // The clock is advanced from the test, outside the store.
    for (let i = 0; i < 2; i++) {
      expect(store.getStore()).toBeUndefined();
      clock.advance(1_000);
      await settle();
    }
    await expect(done).resolves.toMatchObject({ Status: 'COMPLETED' });
    expect(seen).toEqual(['caller', 'caller', 'caller']);
  });

  it('a poll woken by a change told from another context (a list pass) runs in the wait’s context', async () => {
    const clock = new VirtualClock();
    const { reader, seen, tell } = notingReader();
    const done = store.run('caller', () => readerSession(clock, reader).run(undefined));
    await settle();
    // Told in the context of some other wait's list pass, while this wait sleeps.
    store.run('another wait', () => tell(bp('INPROGRESS')));
    await settle();
    expect(seen).toEqual(['caller', 'caller']);
    clock.advance(1_000);
    await settle();
    await expect(done).resolves.toMatchObject({ Status: 'COMPLETED' });
    expect(seen).toEqual(['caller', 'caller', 'caller']);
  });
});
