import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import { createBatchPredictionWaiter, waitForBatchPrediction } from '../../src/waiter/batchPrediction.js';
import { resumeWait, resumeWaiter, resumeWatch } from '../../src/waiter/resume.js';
import { parseCheckpoint, type WaitCheckpoint } from '../../src/waiter/WaitCheckpoint.js';
import type { WaitEvent } from '../../src/waiter/WaitEvent.js';
import { WaitTimeoutError } from '../../src/waiter/WaitTimeoutError.js';
import { useEmulator } from '../helpers/emulatorFixture.js';

const env = useEmulator();
const opts = () => ({ client: env.client, clock: env.clock, random: () => 0 });

/** Runs a wait until its `n`-th `wait` event, cancels it, and returns that event's checkpoint as JSON text. */
async function checkpointAfterWaits(id: string, n: number, extra: object = {}): Promise<string> {
  const waiter = createBatchPredictionWaiter(id, { ...opts(), ...extra });
  let seen = 0;
  const text = await new Promise<string>((resolve) => {
    waiter.on('wait', (event) => {
      if (++seen === n) {
        resolve(JSON.stringify(event.checkpoint));
        waiter.cancel();
      }
    });
  });
  await waiter.result.catch(() => undefined);
  return text;
}

describe('checkpoints', () => {
  it('round-trip through JSON and resume the same wait: history, attempts and schedule continue', async () => {
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-cp' }, [
      { status: 'PENDING', forMs: 4000 },
      { status: 'INPROGRESS', forMs: 60_000 },
      { status: 'COMPLETED' },
    ]);
    const text = await checkpointAfterWaits('bp-cp', 3);
    const checkpoint = JSON.parse(text) as WaitCheckpoint<'BatchPrediction'>;
    // Polls at 0, 2000, 5000; the third wait event schedules the 4th poll 4500 ms later.
    expect(checkpoint).toMatchObject({
      version: 1,
      kind: 'BatchPrediction',
      id: 'bp-cp',
      attempts: 3,
      polls: 3,
      lastDelayMs: 4500,
      timeoutMs: 604_800_000,
      history: [{ status: 'PENDING' }, { status: 'INPROGRESS' }],
      lastResource: { BatchPredictionId: 'bp-cp', Status: 'INPROGRESS' },
    });
    expect(Date.parse(checkpoint.nextPollAt!) - Date.parse(checkpoint.startedAt)).toBe(9500);

    // A new waiter built from the JSON text alone (another process would do the same): the clock is the
    // emulator's, as the deadline and the schedule are mapped through wall-clock time.
    const events: WaitEvent[] = [];
    const resumed = resumeWaiter(text, opts());
    resumed.on('transition', (e) => events.push(e));
    resumed.on('poll', (e) => events.push(e));
    const done = await resumed.result;
    expect(done.Status).toBe('COMPLETED');
    // The first poll of the resumed wait is the 4th of the schedule; its delays continue ×1.5 from 4500.
    expect(events[0]).toMatchObject({ type: 'poll', attempt: 4 });
    expect(env.clock.scheduled.slice(-5)).toEqual([4500, 6750, 10_125, 15_188, 22_781]);
    const final = resumed.checkpoint();
    expect(final.history.map((h) => h.status)).toEqual(['PENDING', 'INPROGRESS', 'COMPLETED']);
    expect(final.startedAt).toBe(checkpoint.startedAt);
  });

  it("a poll event's checkpoint is one snapshot: its history holds the status it saw, dated once", async () => {
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-snap' }, [
      { status: 'PENDING', forMs: 3000 },
      { status: 'COMPLETED' },
    ]);
    // Polls at 0 (PENDING), 2000 (PENDING), 5000 (COMPLETED).
    const waiter = createBatchPredictionWaiter('bp-snap', opts());
    const firstPoll = new Promise<WaitCheckpoint>((resolve) => {
      waiter.once('poll', (event) => {
        resolve(event.checkpoint);
        waiter.cancel();
      });
    });
    const checkpoint = await firstPoll;
    await waiter.result.catch(() => undefined);
    const firstSeenAt = checkpoint.history[0]?.at;
    expect(checkpoint).toMatchObject({
      attempts: 1,
      polls: 1,
      nextPollAt: null,
      lastResource: { Status: 'PENDING' },
      history: [{ status: 'PENDING', at: new Date(Date.parse(checkpoint.startedAt)).toISOString() }],
    });

    env.clock.advance(1000);
    const transitions: string[] = [];
    const done = await new Promise<WaitCheckpoint>((resolve, reject) => {
      let last: WaitEvent | undefined;
      resumeWatch(checkpoint, opts()).subscribe({
        next: (event) => {
          last = event;
          if (event.type === 'transition') transitions.push(`${event.from} → ${event.to}`);
        },
        error: reject,
        complete: () => {
          resolve(last!.checkpoint);
        },
      });
    });
    // No `null → PENDING` again, and the first status keeps the time it was first seen.
    expect(transitions).toEqual(['PENDING → COMPLETED']);
    expect(done.history.map((h) => h.status)).toEqual(['PENDING', 'COMPLETED']);
    expect(done.history[0]?.at).toBe(firstSeenAt);
  });

  it('the deadline holds across a resume', async () => {
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-dl' }, [{ status: 'PENDING' }]);
    const text = await checkpointAfterWaits('bp-dl', 2, { timeoutMs: 20_000 });
    const checkpoint = parseCheckpoint(text);
    const error = await resumeWait(text, opts()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    const timeout = error as WaitTimeoutError;
    expect(timeout.timeoutMs).toBe(20_000);
    // It gave up at the original deadline, measured from the original start.
    expect(env.clock.wallNow()).toBe(checkpoint.deadlineAtMs);
    expect(timeout.elapsedMs).toBe(20_000);
  });

  it('a waiter offers a checkpoint before any event', () => {
    const clock = new VirtualClock({ startWallMs: Date.UTC(2026, 0, 1) });
    const waiter = createBatchPredictionWaiter('bp-new', { client: env.client, clock, timeoutMs: 1000 });
    expect(waiter.checkpoint()).toEqual({
      version: 1,
      kind: 'BatchPrediction',
      id: 'bp-new',
      startedAt: '2026-01-01T00:00:00.000Z',
      deadlineAt: '2026-01-01T00:00:01.000Z',
      timeoutMs: 1000,
      attempts: 0,
      polls: 0,
      lastDelayMs: 0,
      nextPollAt: null,
      history: [],
      lastResource: null,
    });
    waiter.cancel();
  });

  it('events keep the checkpoint out of JSON.stringify', async () => {
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-json' }, [{ status: 'COMPLETED' }]);
    const waiter = createBatchPredictionWaiter('bp-json', opts());
    await waiter.result;
    for await (const event of waiter) {
      expect(JSON.parse(JSON.stringify(event))).not.toHaveProperty('checkpoint');
      expect(event.checkpoint.id).toBe('bp-json');
    }
  });

  it.each([
    [
      'not JSON',
      '{nope',
      "Invalid checkpoint: expected `checkpoint` to be a checkpoint or its JSON text, got '{nope', which is not JSON.",
    ],
    ['another version', { version: 2 }, 'Invalid checkpoint: expected `checkpoint.version` to be 1, got 2.'],
    [
      'a foreign kind',
      { version: 1, kind: 'Cluster', id: 'x' },
      'Invalid checkpoint: expected `checkpoint.kind` to be a resource kind, got "Cluster".',
    ],
    [
      'a corrupted date',
      {
        version: 1,
        kind: 'BatchPrediction',
        id: 'bp-1',
        startedAt: 'yesterday',
      },
      'Invalid checkpoint: expected `checkpoint.startedAt` to be an ISO 8601 date string, got "yesterday".',
    ],
  ])('rejects %s with a TypeError naming the field, before any request', async (_, value, message) => {
    await expect(resumeWait(value as unknown as string, opts())).rejects.toThrow(message);
    expect(env.emulator.requests()).toHaveLength(0);
  });

  it('rejects a checkpoint of another resource', async () => {
    const text = JSON.stringify(
      createBatchPredictionWaiter('bp-a', { ...opts(), signal: AbortSignal.abort() }).checkpoint(),
    );
    await expect(waitForBatchPrediction('bp-b', { ...opts(), checkpoint: text })).rejects.toThrow(
      'Expected `checkpoint` to be of the BatchPrediction bp-b, got one of the BatchPrediction bp-a.',
    );
  });
});
