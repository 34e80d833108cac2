import { describe, expect, it } from 'vitest';
import {
  pollStep,
  reviveWaiterError,
  serializeWaiterError,
  waitJobId,
  type SerializedWaiterError,
} from '../../src/bullmq/index.js';
import { newWaitCheckpoint, parseCheckpoint, type WaitCheckpoint } from '../../src/waiter/WaitCheckpoint.js';
import { ResourceDeletedError } from '../../src/waiter/ResourceDeletedError.js';
import { ResourceFailedError } from '../../src/waiter/ResourceFailedError.js';
import { WaitRequestError } from '../../src/waiter/WaitRequestError.js';
import { WaitTimeoutError } from '../../src/waiter/WaitTimeoutError.js';
import type { WaiterError } from '../../src/waiter/WaiterError.js';
import { useEmulator } from '../helpers/emulatorFixture.js';

const env = useEmulator();

function fresh(id: string, timeoutMs: number, now = Date.now()): WaitCheckpoint<'BatchPrediction'> {
  return newWaitCheckpoint('BatchPrediction', id, timeoutMs, now);
}

describe('pollStep', () => {
  it('polls once and returns the next checkpoint and poll time, without sleeping', async () => {
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-step' }, [{ status: 'PENDING' }]);
    const before = Date.now();
    const step = await pollStep(fresh('bp-step', 60_000), {
      client: env.client,
      minDelayMs: 5000,
      maxDelayMs: 5000,
    });
    expect(step.type).toBe('wait');
    if (step.type !== 'wait') return;
    expect(step.checkpoint).toMatchObject({ attempts: 1, polls: 1, lastDelayMs: 5000 });
    expect(step.checkpoint.history.map((h) => h.status)).toEqual(['PENDING']);
    expect(step.transitions.map((t) => t.to)).toEqual(['PENDING']);
    expect(Date.parse(step.checkpoint.nextPollAt!)).toBe(step.nextPollAt);
    expect(step.nextPollAt).toBeGreaterThanOrEqual(before + 5000);
    // The next step continues from it: same history, one more poll.
    env.emulator.script('BatchPrediction', 'bp-step', [{ status: 'COMPLETED' }]);
    const next = await pollStep(step.checkpoint, { client: env.client, minDelayMs: 5000, maxDelayMs: 5000 });
    expect(next.type).toBe('completed');
    if (next.type !== 'completed') return;
    expect(next.resource.Status).toBe('COMPLETED');
    expect(next.checkpoint.history.map((h) => h.status)).toEqual(['PENDING', 'COMPLETED']);
    expect(next.checkpoint.history[0]).toEqual(step.checkpoint.history[0]);
    expect(next.checkpoint.attempts).toBe(2);
  });

  it('writes a checkpoint that parses when the last delay is clamped to the deadline', async () => {
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-clamp' }, [{ status: 'INPROGRESS' }]);
    // 10.5 ms of odd remaining time: the delay before the last poll is cut to what is left of it.
    const start = fresh('bp-clamp', 7_777);
    const step = await pollStep(start, { client: env.client, minDelayMs: 5000, maxDelayMs: 5000 });
    expect(step.type).toBe('wait');
    if (step.type !== 'wait') return;
    expect(Number.isInteger(step.checkpoint.lastDelayMs)).toBe(true);
    expect(() => parseCheckpoint(JSON.stringify(step.checkpoint))).not.toThrow();
  });

  it('ends with the WaiterError when the resource FAILED', async () => {
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-step-failed' }, [
      { status: 'FAILED', message: 'No data' },
    ]);
    const step = await pollStep(fresh('bp-step-failed', 60_000), { client: env.client });
    expect(step.type).toBe('failed');
    if (step.type !== 'failed') return;
    expect(step.error).toBeInstanceOf(ResourceFailedError);
    expect(step.error.attempts).toBe(1);
  });

  it('rejects a corrupted checkpoint with a TypeError naming the field, before any request', async () => {
    const bad = { ...fresh('bp-never', 1000), polls: -1 };
    await expect(pollStep(bad, { client: env.client })).rejects.toThrow(
      'Invalid checkpoint: expected `checkpoint.polls` to be an integer ≥ 0, got -1.',
    );
    expect(env.emulator.requests()).toEqual([]);
  });
});

describe('waitJobId', () => {
  it('derives one job id per resource, and refuses what is not a kind or an id', () => {
    expect(waitJobId('BatchPrediction', 'bp-1')).toBe('BatchPrediction.bp-1');
    expect(waitJobId('MLModel', '123')).toBe('MLModel.123');
    expect(() => waitJobId('Nope' as never, 'bp-1')).toThrow(
      'Expected `kind` to be a resource kind, got "Nope".',
    );
    expect(() => waitJobId('BatchPrediction', 'a:b')).toThrow(/`id`.*"a:b"/);
  });
});

describe('serializeWaiterError / reviveWaiterError', () => {
  const context = {
    kind: 'BatchPrediction' as const,
    id: 'bp-e',
    lastResource: {
      BatchPredictionId: 'bp-e',
      Status: 'FAILED',
      Message: 'Bad rows',
      CreatedAt: new Date('2026-01-02T03:04:05.000Z'),
    } as never,
    history: [{ status: 'FAILED', at: new Date('2026-01-02T03:05:00.000Z') }],
    attempts: 3,
    elapsedMs: 65_000,
  };
  const cases: [string, WaiterError][] = [
    ['ResourceFailedError', new ResourceFailedError(context)],
    ['ResourceDeletedError', new ResourceDeletedError(context)],
    ['WaitTimeoutError', new WaitTimeoutError({ ...context, timeoutMs: 60_000 })],
    [
      'WaitRequestError',
      new WaitRequestError({
        ...context,
        cause: Object.assign(new Error('denied'), { name: 'AccessDeniedException', statusCode: 403 }),
        retriesExhausted: false,
      }),
    ],
  ];
  it.each(cases)('%s survives JSON with its class, message and fields', (_name, error) => {
    const revived = reviveWaiterError(
      JSON.parse(JSON.stringify(serializeWaiterError(error))) as SerializedWaiterError,
    );
    expect(revived.constructor).toBe(error.constructor);
    expect(revived.message).toBe(error.message);
    expect(revived.code).toBe(error.code);
    expect(revived.history).toEqual(error.history);
    expect(revived.lastResource).toEqual(error.lastResource);
    expect(revived.attempts).toBe(3);
    expect(revived.elapsedMs).toBe(65_000);
    expect(revived.toJSON()).toEqual(error.toJSON());
  });
});
