import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  FleetJobError,
  openWaitQueue,
  startWaitWorker,
  waitJobId,
  type FleetTransition,
  type WaitQueue,
  type WaitWorker,
} from '../../src/bullmq/index.js';
import { ResourceFailedError } from '../../src/waiter/ResourceFailedError.js';
import { WaitTimeoutError } from '../../src/waiter/WaitTimeoutError.js';
import { isWaiterError } from '../../src/waiter/WaiterError.js';
import { useFleet } from './helpers/useFleet.js';

const env = useFleet();
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((thing) => thing.close()));
});

async function fleet(workerOptions: object = {}): Promise<{ queue: WaitQueue; worker: WaitWorker }> {
  const queueName = env.queueName();
  const queue = await openWaitQueue({ connection: env.connection, queueName });
  const worker = await startWaitWorker({
    connection: env.connection,
    queueName,
    client: env.client,
    ...workerOptions,
  });
  open.push(worker, queue);
  return { queue, worker };
}

const fast = { minDelayMs: 50, maxDelayMs: 100 };

describe('fleet waits (BullMQ + Redis)', () => {
  it('run a wait to COMPLETED, publish its transitions, and coalesce duplicate waits on one job', async () => {
    const { queue } = await fleet();
    // Each status holds until the test has seen its transition: a loaded machine can't skip one.
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-ok' }, [{ status: 'PENDING' }]);
    const seen: FleetTransition[] = [];
    const stop = await queue.onTransition((t) => seen.push(t), { id: 'bp-ok' });
    const first = await queue.enqueue('BatchPrediction', 'bp-ok', { ...fast, timeoutMs: 10_000 });
    const second = await queue.enqueue('BatchPrediction', 'bp-ok', { ...fast, timeoutMs: 99_000 });
    expect(first).toMatchObject({ jobId: 'BatchPrediction.bp-ok', created: true });
    expect(second.created).toBe(false);
    // The second caller joined the first wait: same deadline.
    expect(second.checkpoint.deadlineAt).toBe(first.checkpoint.deadlineAt);
    const results = Promise.all([
      queue.result('BatchPrediction', 'bp-ok'),
      queue.result('BatchPrediction', 'bp-ok'),
    ]);
    const seenUpTo = async (status: string): Promise<void> => {
      await vi.waitFor(
        () => {
          expect(seen.map((t) => t.to)).toContain(status);
        },
        { timeout: 20_000 },
      );
    };
    await seenUpTo('PENDING');
    env.emulator.script('BatchPrediction', 'bp-ok', [{ status: 'INPROGRESS' }]);
    await seenUpTo('INPROGRESS');
    env.emulator.script('BatchPrediction', 'bp-ok', [
      { status: 'COMPLETED', fields: { TotalRecordCount: 7 } },
    ]);
    const [a, b] = await results;
    expect(a.Status).toBe('COMPLETED');
    expect(a.TotalRecordCount).toBe(7);
    expect(a.CreatedAt).toBeInstanceOf(Date);
    expect(b).toEqual(a);
    // Progress events arrive through Redis streams; give the last one a moment.
    await expect
      .poll(() => seen.map((t) => `${t.from}→${t.to}`))
      .toEqual(['null→PENDING', 'PENDING→INPROGRESS', 'INPROGRESS→COMPLETED']);
    stop();
    // Once COMPLETED, enqueuing again returns the finished wait, and its result at once.
    const again = await queue.enqueue('BatchPrediction', 'bp-ok', fast);
    expect(again.created).toBe(false);
    expect(await queue.result('BatchPrediction', 'bp-ok')).toEqual(a);
  });

  it('reject with the worker’s WaiterError rebuilt: class, message, history, attempts', async () => {
    const { queue } = await fleet();
    // PENDING holds until a poll has seen it: a loaded machine can't skip it.
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-bad' }, [{ status: 'PENDING' }]);
    const outcome = queue
      .waitFor('BatchPrediction', 'bp-bad', { ...fast, timeoutMs: 30_000 })
      .catch((e: unknown) => e);
    await vi.waitFor(
      async () => {
        const seen = await queue.checkpoint('BatchPrediction', 'bp-bad');
        expect(seen?.history.map((h) => h.status)).toEqual(['PENDING']);
      },
      { timeout: 20_000 },
    );
    env.emulator.script('BatchPrediction', 'bp-bad', [{ status: 'FAILED', message: 'Bad input data' }]);
    const error = await outcome;
    expect(error).toBeInstanceOf(ResourceFailedError);
    expect(isWaiterError(error)).toBe(true);
    const failed = error as ResourceFailedError;
    expect(failed.message).toMatch(/^Batch prediction bp-bad FAILED after .*: Bad input data\.$/);
    expect(failed.history.map((h) => h.status)).toEqual(['PENDING', 'FAILED']);
    expect(failed.history[0]!.at).toBeInstanceOf(Date);
    expect(failed.lastResource?.Message).toBe('Bad input data');
    const gets = env.emulator.requests().filter((r) => r.id === 'bp-bad').length;
    expect(failed.attempts).toBe(gets);
  });

  it('reject a wait past its deadline with WaitTimeoutError, after a last poll at the deadline', async () => {
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-slow' }, [{ status: 'INPROGRESS' }]);
    const { queue } = await fleet();
    const enqueued = await queue.enqueue('BatchPrediction', 'bp-slow', { ...fast, timeoutMs: 400 });
    const error = (await queue
      .result('BatchPrediction', 'bp-slow')
      .catch((e: unknown) => e)) as WaitTimeoutError;
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.timeoutMs).toBe(400);
    const deadline = Date.parse(enqueued.checkpoint.deadlineAt);
    const times = env.emulator
      .requests()
      .filter((r) => r.id === 'bp-slow')
      .map((r) => r.time);
    expect(times.at(-1)!).toBeGreaterThanOrEqual(deadline);
  });

  it('reject a bad checkpoint before queuing, and fail a job whose stored checkpoint is corrupted', async () => {
    const { queue } = await fleet();
    await expect(queue.enqueue('BatchPrediction', 'bp-x', { checkpoint: '{"version":2}' })).rejects.toThrow(
      /`checkpoint.version`/,
    );
    await expect(queue.enqueue('BatchPrediction', 'bad id!')).rejects.toThrow(/`id`.*"bad id!"/);
    await expect(queue.enqueue('BatchPrediction', 'bp-x', { minDelayMs: -1 })).rejects.toThrow(
      /`minDelayMs`.*-1/,
    );
    // Corrupt a stored job by hand: the worker refuses it at once, without retrying.
    await queue.queue.add(
      'wait',
      { checkpoint: { version: 1, kind: 'BatchPrediction', id: 'bp-x' }, settings: {} } as never,
      {
        jobId: waitJobId('BatchPrediction', 'bp-x'),
        attempts: 5,
      },
    );
    const error = await queue.result('BatchPrediction', 'bp-x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FleetJobError);
    expect((error as FleetJobError).failedReason).toMatch(
      /^Invalid checkpoint: expected `checkpoint.startedAt`/,
    );
    expect(env.emulator.requests().filter((r) => r.id === 'bp-x')).toEqual([]);
  });

  it('share one request budget across workers (BullMQ rate limiter)', async () => {
    const queueName = env.queueName();
    const queue = await openWaitQueue({ connection: env.connection, queueName });
    open.push(queue);
    for (const _ of [1, 2]) {
      open.push(
        await startWaitWorker({
          connection: env.connection,
          queueName,
          client: env.client,
          concurrency: 50,
          limiter: { max: 4, duration: 500 },
        }),
      );
    }
    const ids = Array.from({ length: 16 }, (_, n) => `bp-budget-${n}`);
    for (const id of ids) env.emulator.put('BatchPrediction', { BatchPredictionId: id, Status: 'COMPLETED' });
    await Promise.all(ids.map((id) => queue.enqueue('BatchPrediction', id, fast)));
    await Promise.all(ids.map((id) => queue.result('BatchPrediction', id)));
    const times = env.emulator
      .requests()
      .filter((r) => r.id?.startsWith('bp-budget-'))
      .map((r) => r.time);
    expect(times).toHaveLength(16);
    // 16 polls at 4 per 500 ms, fleet-wide: 3 more windows after the first one, so the last poll starts at
    // least 1500 ms after the first (unlimited, the 100 slots of the two workers would send them all at
    // once). The emulator logs answer times, and a first request on a cold connection is slower: margin.
    expect(Math.max(...times) - Math.min(...times), JSON.stringify(times)).toBeGreaterThan(1000);
  });

  it('validate options before connecting, naming the option and echoing the value', async () => {
    await expect(startWaitWorker({ connection: env.connection, concurrency: 0 })).rejects.toThrow(
      'Expected `concurrency` to be an integer ≥ 1, got 0.',
    );
    await expect(
      startWaitWorker({ connection: env.connection, limiter: { max: 10, duration: 0.5 } }),
    ).rejects.toThrow('Expected `limiter.duration` to be an integer ≥ 1, got 0.5.');
    // The same reading of `client` as a wait's: a client, or the config of one (a string is neither).
    await expect(
      startWaitWorker({ connection: env.connection, client: 'http://127.0.0.1' as never }),
    ).rejects.toThrow(
      'Expected `client` to be an AmazonMLClient or a client config object, got "http://127.0.0.1".',
    );
    await expect(openWaitQueue({ connection: env.connection, keepFinishedMs: -1 })).rejects.toThrow(
      'Expected `keepFinishedMs` to be an integer ≥ 1, got -1.',
    );
    await expect(openWaitQueue(undefined as never)).rejects.toThrow(
      'Expected `options` to be an object, got undefined.',
    );
  });
});
