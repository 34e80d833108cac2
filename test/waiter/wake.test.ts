import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import type { BatchPrediction } from '../../src/model/BatchPrediction.js';
import type { ResourceRead, ResourceReader } from '../../src/waiter/ResourceReader.js';
import { readerSession, settle } from './helpers/readerSession.js';

const bp = (Status: string, updatedSeconds: number) =>
  ({
    BatchPredictionId: 'bp-1',
    Status,
    LastUpdatedAt: new Date(updatedSeconds * 1000),
  }) as unknown as BatchPrediction;

/**
 * A reader whose reads the test answers, and which can tell the wait of a change (as a list pass does).
 * The wait's client is a stub: the session reads only through this reader.
 */
function heldReader() {
  const reads: ((read: ResourceRead<'BatchPrediction'>) => void)[] = [];
  let listener: ((listed: unknown) => void) | undefined;
  const reader: ResourceReader<'BatchPrediction'> = {
    read: () => new Promise((resolve) => reads.push(resolve)),
    onChange: (l) => {
      listener = l;
    },
    close: () => undefined,
    maxAttempts: () => undefined,
  };
  return {
    reader,
    answer: (resource: BatchPrediction) => reads.shift()?.({ resource, requested: false }),
    pendingReads: () => reads.length,
    tell: (listed: unknown) => listener?.(listed),
  };
}

/** A wait (1 s between polls) through a held reader, its first read out. */
async function start() {
  const clock = new VirtualClock();
  const held = heldReader();
  const done = readerSession(clock, held.reader).run(undefined);
  await settle();
  return { clock, held, done };
}

describe('a change the reader tells of wakes the wait', () => {
  it('a change told while the wait sleeps ends the sleep at once', async () => {
    const { clock, held, done } = await start();
    held.answer(bp('PENDING', 1));
    await settle();
    expect(clock.pendingTimers).toBe(1);
    clock.advance(200);
    held.tell(bp('COMPLETED', 2));
    await settle();
    // Woken 800 ms early: the next read is already out.
    expect(clock.pendingTimers).toBe(0);
    expect(held.pendingReads()).toBe(1);
    held.answer(bp('COMPLETED', 2));
    await expect(done).resolves.toMatchObject({ Status: 'COMPLETED' });
    expect(clock.now()).toBe(200);
  });

  it('a change told during a read that returns it does not cut the next sleep short', async () => {
    const { clock, held, done } = await start();
    // The first pass shows the job while the wait's first read waits for it.
    held.tell(bp('PENDING', 1));
    held.answer(bp('PENDING', 1));
    await settle();
    expect(clock.pendingTimers).toBe(1);
    clock.advance(999);
    await settle();
    expect(held.pendingReads()).toBe(0);
    clock.advance(1);
    await settle();
    expect(held.pendingReads()).toBe(1);
    held.answer(bp('COMPLETED', 2));
    await expect(done).resolves.toMatchObject({ Status: 'COMPLETED' });
  });

  it('a newer change told during a read ends the next sleep at once', async () => {
    const { clock, held, done } = await start();
    // The read returns PENDING, but the reader has meanwhile seen INPROGRESS.
    held.tell(bp('INPROGRESS', 2));
    held.answer(bp('PENDING', 1));
    await settle();
    expect(clock.pendingTimers).toBe(0);
    expect(held.pendingReads()).toBe(1);
    held.answer(bp('COMPLETED', 3));
    await expect(done).resolves.toMatchObject({ Status: 'COMPLETED' });
    expect(clock.now()).toBe(0);
  });
});
