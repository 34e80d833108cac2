import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openWaitQueue, startWaitWorker, type WaitWorker } from '../../src/bullmq/index.js';
import { parseCheckpoint, type WaitCheckpoint } from '../../src/waiter/WaitCheckpoint.js';
import { createBatchPredictionWaiter } from '../../src/waiter/batchPrediction.js';
import { WaitTimeoutError } from '../../src/waiter/WaitTimeoutError.js';
import { useFleet } from './helpers/useFleet.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const env = useFleet();
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

/** Starts examples/fleet/worker.ts as a child process and resolves once it says it is ready. */
function spawnWorker(queueName: string, extraEnv: Record<string, string> = {}): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/fleet/worker.ts'], {
      cwd: ROOT,
      env: {
        ...process.env,
        REDIS_PORT: String(env.redis.port),
        FLEET_QUEUE: queueName,
        FLEET_WORKER: 'child',
        AWS_ENDPOINT_URL: env.emulator.endpoint,
        AWS_REGION: env.emulator.region,
        AWS_ACCESS_KEY_ID: env.emulator.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: env.emulator.credentials.secretAccessKey,
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<void>((done) =>
      child.once('exit', () => {
        done();
      }),
    );
    cleanup.push(async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready')) resolve(child);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => {
      reject(new Error(`worker exited (${code}) before ready: ${output}`));
    });
  });
}

/** How long and how often `vi.waitFor` checks a condition of the fleet. */
const UNTIL = { timeout: 10_000, interval: 20 };

/** Resolves once the queue's checkpoint of `id` counts at least two polls. */
async function twoPolls(queue: Awaited<ReturnType<typeof openWaitQueue>>, id: string): Promise<void> {
  await vi.waitFor(async () => {
    expect((await queue.checkpoint('BatchPrediction', id))?.polls).toBeGreaterThanOrEqual(2);
  }, UNTIL);
}

async function openQueue(queueName: string) {
  const queue = await openWaitQueue({ connection: env.connection, queueName });
  cleanup.push(() => queue.close());
  return queue;
}

async function inProcessWorker(queueName: string, options: object = {}): Promise<WaitWorker> {
  const worker = await startWaitWorker({
    connection: env.connection,
    queueName,
    client: env.client,
    ...options,
  });
  cleanup.push(() => worker.close());
  return worker;
}

describe('fleet waits survive workers', { timeout: 120_000 }, () => {
  it('a worker killed in the middle of a poll: another worker finishes the wait, history and deadline intact', async () => {
    const queueName = env.queueName();
    const queue = await openQueue(queueName);
    const child = await spawnWorker(queueName, {
      // Every worker of a queue must share these: the stalled check runs fleet-wide at most once per interval.
      FLEET_LOCK_MS: '1000',
      FLEET_STALLED_MS: '250',
    });
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-kill' }, [{ status: 'PENDING' }]);
    const enqueued = await queue.enqueue('BatchPrediction', 'bp-kill', {
      minDelayMs: 100,
      maxDelayMs: 100,
      timeoutMs: 30_000,
    });
    // Let the child poll a few times, then make its next request hang and kill it mid-request.
    await twoPolls(queue, 'bp-kill');
    const ruleId = env.emulator.addFault({
      kind: 'delay',
      ms: 2000,
      operation: 'GetBatchPrediction',
      times: 1,
    });
    // The hung poll has reached the emulator.
    await vi.waitFor(() => {
      expect(env.emulator.faults().find((f) => f.ruleId === ruleId)?.matched).toBe(1);
    }, UNTIL);
    const before = (await queue.checkpoint('BatchPrediction', 'bp-kill'))!;
    child.kill('SIGKILL');
    expect(before.history.map((h) => h.status)).toEqual(['PENDING']);

    const survivor = await inProcessWorker(queueName, { stalledIntervalMs: 250, lockDurationMs: 1000 });
    // Once the survivor has taken the wait over, the job moves on.
    // The takeover.
    await vi.waitFor(() => {
      expect(survivor.stats().steps).toBeGreaterThanOrEqual(1);
    }, UNTIL);
    env.emulator.script('BatchPrediction', 'bp-kill', [
      { status: 'INPROGRESS', forMs: 500 },
      { status: 'COMPLETED' },
    ]);
    const bp = await queue.result('BatchPrediction', 'bp-kill');
    expect(bp.Status).toBe('COMPLETED');
    const job = await queue.queue.getJob('BatchPrediction.bp-kill');
    const final = job!.returnvalue.checkpoint;
    // Same wait: same start and deadline; the PENDING seen by the dead worker is still the first entry.
    expect(final.startedAt).toBe(enqueued.checkpoint.startedAt);
    expect(final.deadlineAt).toBe(enqueued.checkpoint.deadlineAt);
    expect(final.history[0]).toEqual(before.history[0]);
    expect(final.history.map((h) => h.status)).toEqual(['PENDING', 'INPROGRESS', 'COMPLETED']);
    expect(final.attempts).toBeGreaterThan(before.attempts);
    expect(survivor.stats().steps).toBeGreaterThan(0);
    expect(survivor.stats().completed).toBe(1);
  });

  it('the deadline holds across a restart of every worker', async () => {
    const queueName = env.queueName();
    const queue = await openQueue(queueName);
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-restart' }, [{ status: 'INPROGRESS' }]);
    const first = await inProcessWorker(queueName);
    const enqueued = await queue.enqueue('BatchPrediction', 'bp-restart', {
      minDelayMs: 100,
      maxDelayMs: 100,
      timeoutMs: 1200,
    });
    await twoPolls(queue, 'bp-restart');
    await first.close(); // a deploy: no worker for a while
    await new Promise((resolve) => setTimeout(resolve, 400));
    const second = await inProcessWorker(queueName);
    const error = (await queue
      .result('BatchPrediction', 'bp-restart')
      .catch((e: unknown) => e)) as WaitTimeoutError;
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error.timeoutMs).toBe(1200);
    expect(error.history.map((h) => h.status)).toEqual(['INPROGRESS']);
    const deadline = Date.parse(enqueued.checkpoint.deadlineAt);
    const times = env.emulator
      .requests()
      .filter((r) => r.id === 'bp-restart')
      .map((r) => r.time);
    // The last poll is at the original deadline (not 1200 ms after the restart)…
    expect(times.at(-1)!).toBeGreaterThanOrEqual(deadline);
    expect(times.at(-1)!).toBeLessThan(deadline + 600);
    // …and every request is counted across both workers.
    expect(error.attempts).toBe(times.length);
    expect(second.stats().failed).toBe(1);
  });

  it('a single-process wait hands over to the fleet through a JSON checkpoint', async () => {
    const queueName = env.queueName();
    const queue = await openQueue(queueName);
    await inProcessWorker(queueName);
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-handover' }, [
      { status: 'PENDING', forMs: 300 },
      { status: 'INPROGRESS', forMs: 300 },
      { status: 'COMPLETED' },
    ]);
    const waiter = createBatchPredictionWaiter('bp-handover', {
      client: env.client,
      minDelayMs: 50,
      maxDelayMs: 50,
      timeoutMs: 20_000,
    });
    const text = await new Promise<string>((resolve) => {
      waiter.on('wait', (event) => {
        resolve(JSON.stringify(event.checkpoint));
        waiter.cancel();
      });
    });
    await waiter.result.catch(() => undefined);
    const saved = JSON.parse(text) as WaitCheckpoint<'BatchPrediction'>;
    // The JSON round trip loses nothing.
    expect(JSON.parse(JSON.stringify(saved))).toEqual(saved);
    expect(parseCheckpoint(text)).toEqual(parseCheckpoint(saved));

    const enqueued = await queue.enqueue('BatchPrediction', 'bp-handover', {
      checkpoint: text,
      minDelayMs: 50,
      maxDelayMs: 50,
    });
    expect(enqueued.checkpoint).toEqual(saved);
    const bp = await queue.result('BatchPrediction', 'bp-handover');
    expect(bp.Status).toBe('COMPLETED');
    const final = (await queue.queue.getJob('BatchPrediction.bp-handover'))!.returnvalue.checkpoint;
    expect(final.startedAt).toBe(saved.startedAt);
    expect(final.deadlineAt).toBe(saved.deadlineAt);
    expect(final.history[0]).toEqual(saved.history[0]);
    expect(final.attempts).toBe(env.emulator.requests().filter((r) => r.id === 'bp-handover').length);
  });

  it('a checkpoint corrupted in Redis fails its job at once with the field named, and sends nothing', async () => {
    const queueName = env.queueName();
    const queue = await openQueue(queueName);
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-corrupt' }, [{ status: 'INPROGRESS' }]);
    const enqueued = await queue.enqueue('BatchPrediction', 'bp-corrupt', { minDelayMs: 50, maxDelayMs: 50 });
    const job = (await queue.queue.getJob(enqueued.jobId))!;
    await job.updateData({
      ...job.data,
      checkpoint: { ...enqueued.checkpoint, history: [{ status: 'PENDING', at: 'yesterday' }] },
    });
    await inProcessWorker(queueName);
    const error = await queue.result('BatchPrediction', 'bp-corrupt').catch((e: unknown) => e);
    expect(error).toMatchObject({
      name: 'FleetJobError',
      failedReason:
        'Invalid checkpoint: expected `checkpoint.history[0].at` to be an ISO 8601 date string, got "yesterday".',
    });
    expect(env.emulator.requests().filter((r) => r.id === 'bp-corrupt')).toEqual([]);
  });
});
