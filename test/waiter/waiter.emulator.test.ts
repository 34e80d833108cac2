import { describe, expect, it, vi } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import {
  createBatchPredictionWaiter,
  waitForBatchPrediction,
  watchBatchPrediction,
} from '../../src/waiter/batchPrediction.js';
import { waitForDataSource } from '../../src/waiter/dataSource.js';
import { waitForEvaluation } from '../../src/waiter/evaluation.js';
import { waitForMLModel } from '../../src/waiter/mlModel.js';
import { ResourceDeletedError } from '../../src/waiter/ResourceDeletedError.js';
import { ResourceFailedError } from '../../src/waiter/ResourceFailedError.js';
import type { WaitEvent } from '../../src/waiter/WaitEvent.js';
import { WaitRequestError } from '../../src/waiter/WaitRequestError.js';
import { WaitTimeoutError } from '../../src/waiter/WaitTimeoutError.js';
import { useEmulator } from '../helpers/emulatorFixture.js';

const env = useEmulator();

function gets(id?: string) {
  return env.emulator
    .requests()
    .filter((r) => r.operation.startsWith('Get') && (id === undefined || r.id === id));
}

function lifecycle(id: string, ...steps: Parameters<typeof env.emulator.script>[2]) {
  env.emulator.put(
    'BatchPrediction',
    { BatchPredictionId: id, MLModelId: 'ml-x', BatchPredictionDataSourceId: 'ds-x' },
    steps,
  );
}

const opts = () => ({ client: env.client, clock: env.clock, random: () => 0 });

describe('outcomes against the emulator (virtual time)', () => {
  it('COMPLETED resolves with the parsed resource after the exact schedule', async () => {
    lifecycle(
      'bp-ok',
      { status: 'PENDING', forMs: 5000 },
      { status: 'INPROGRESS', forMs: 20_000 },
      { status: 'COMPLETED' },
    );
    const events: WaitEvent[] = [];
    const done = await new Promise((resolve, reject) => {
      let last: unknown;
      watchBatchPrediction('bp-ok', opts()).subscribe({
        next: (e) => {
          events.push(e);
          if (e.type === 'poll') last = e.resource;
        },
        error: reject,
        complete: () => {
          resolve(last);
        },
      });
    });
    expect(done).toMatchObject({ BatchPredictionId: 'bp-ok', Status: 'COMPLETED' });
    expect((done as { FinishedAt: unknown }).FinishedAt).toBeInstanceOf(Date);
    expect(typeof (done as { ComputeTime: unknown }).ComputeTime).toBe('number');
    // Polls at 0, 2000, 5000, 9500, 16 250, 26 375: the status flips at 5000 and 25 000.
    expect(env.clock.scheduled).toEqual([2000, 3000, 4500, 6750, 10_125]);
    expect(events.filter((e) => e.type === 'transition').map((e) => [e.from, e.to, e.elapsedMs])).toEqual([
      [null, 'PENDING', 0],
      ['PENDING', 'INPROGRESS', 5000],
      ['INPROGRESS', 'COMPLETED', 26_375],
    ]);
    expect(gets('bp-ok')).toHaveLength(6);
  });

  it('FAILED rejects ResourceFailedError carrying the service Message', async () => {
    lifecycle(
      'bp-fail',
      { status: 'INPROGRESS', forMs: 3000 },
      { status: 'FAILED', message: 'Input S3 object not found' },
    );
    const error = await waitForBatchPrediction('bp-fail', opts()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceFailedError);
    const failed = error as ResourceFailedError<'BatchPrediction'>;
    // Polls at 0 and 2000 see INPROGRESS; the one at 5000 sees FAILED.
    expect(failed.message).toBe(
      'Batch prediction bp-fail FAILED after 5.0 s of waiting: Input S3 object not found.',
    );
    expect(failed.lastResource?.Message).toBe('Input S3 object not found');
    expect(failed.history.map((h) => h.status)).toEqual(['INPROGRESS', 'FAILED']);
    expect(gets('bp-fail')).toHaveLength(3);
  });

  it('DELETED (deleted mid-way through the API) rejects ResourceDeletedError and stops polling', async () => {
    lifecycle('bp-del', { status: 'INPROGRESS', forMs: 3_600_000 }, { status: 'COMPLETED' });
    const waiter = createBatchPredictionWaiter('bp-del', opts());
    waiter.once('poll', () => {
      void env.client.deleteBatchPrediction('bp-del');
    });
    const error = await waiter.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceDeletedError);
    expect((error as ResourceDeletedError).history.map((h) => h.status)).toEqual(['INPROGRESS', 'DELETED']);
    expect(gets('bp-del')).toHaveLength(2);
  });

  it('the deadline: a last poll at timeoutMs, then WaitTimeoutError with the last resource', async () => {
    lifecycle('bp-slow', { status: 'INPROGRESS', forMs: 3_600_000 }, { status: 'COMPLETED' });
    const error = await waitForBatchPrediction('bp-slow', { ...opts(), timeoutMs: 60_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    const timeout = error as WaitTimeoutError<'BatchPrediction'>;
    expect(env.clock.now()).toBe(60_000);
    expect(timeout.elapsedMs).toBe(60_000);
    expect(timeout.lastResource?.Status).toBe('INPROGRESS');
    // 2000+3000+4500+6750+10125+15188 = 41 563; 18 437 left < 22 781 + 2000, so the last delay lands on 60 000.
    expect(env.clock.scheduled).toEqual([2000, 3000, 4500, 6750, 10_125, 15_188, 18_437]);
    expect(gets('bp-slow')).toHaveLength(8);
  });

  it('the other kinds wait the same way (data source, ML model, evaluation)', async () => {
    const script = [{ status: 'PENDING', forMs: 1000 }, { status: 'COMPLETED' }] as const;
    env.emulator.put('DataSource', { DataSourceId: 'ds-1', DataLocationS3: 's3://b/d.csv' }, script);
    env.emulator.put(
      'MLModel',
      { MLModelId: 'ml-1', TrainingDataSourceId: 'ds-1', MLModelType: 'BINARY' },
      script,
    );
    env.emulator.put(
      'Evaluation',
      { EvaluationId: 'ev-1', MLModelId: 'ml-1', EvaluationDataSourceId: 'ds-1' },
      script,
    );
    const [ds, ml, ev] = await Promise.all([
      waitForDataSource('ds-1', opts()),
      waitForMLModel('ml-1', opts()),
      waitForEvaluation('ev-1', opts()),
    ]);
    expect([ds.DataSourceId, ds.Status, ml.MLModelId, ml.Status, ev.EvaluationId, ev.Status]).toEqual([
      'ds-1',
      'COMPLETED',
      'ml-1',
      'COMPLETED',
      'ev-1',
      'COMPLETED',
    ]);
    expect(new Set(env.emulator.requests().map((r) => r.operation))).toEqual(
      new Set(['GetDataSource', 'GetMLModel', 'GetEvaluation']),
    );
  });
});

describe('request errors against the emulator', () => {
  it('403 AccessDeniedException (not onboarded) fails fast with one request', async () => {
    env.emulator.setNotOnboarded(true);
    const error = await waitForBatchPrediction('bp-any', opts()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WaitRequestError);
    expect((error as WaitRequestError).cause).toMatchObject({
      name: 'AccessDeniedException',
      statusCode: 403,
    });
    expect(env.emulator.requests()).toHaveLength(1);
  });

  it('bad credentials (unknown key) fail fast with UnrecognizedClientException as the cause', async () => {
    const client = new AmazonMLClient({
      ...env.config,
      credentials: { accessKeyId: 'AKIDUNKNOWN000000000', secretAccessKey: 'not-the-secret' },
    });
    try {
      const error = await waitForBatchPrediction('bp-any', { ...opts(), client }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WaitRequestError);
      expect((error as WaitRequestError).cause).toMatchObject({ name: 'UnrecognizedClientException' });
      expect(env.emulator.requests()).toHaveLength(1);
    } finally {
      await client.close();
    }
  });

  it('a wrong secret fails fast with InvalidSignatureException and the secret appears nowhere', async () => {
    const secret = 'wrong-secret-value-do-not-leak-123456';
    const client = new AmazonMLClient({
      ...env.config,
      credentials: { accessKeyId: env.config.credentials.accessKeyId, secretAccessKey: secret },
    });
    try {
      const error = await waitForBatchPrediction('bp-any', { ...opts(), client }).catch((e: unknown) => e);
      expect((error as WaitRequestError).cause).toMatchObject({ name: 'InvalidSignatureException' });
      const { inspect } = await import('node:util');
      expect(inspect(error, { depth: 10 }) + JSON.stringify(error) + String(error)).not.toContain(secret);
    } finally {
      await client.close();
    }
  });

  it('the logger sees every step of a failing wait but never a secret', async () => {
    const secret = 'logger-must-never-see-this-secret-0001';
    const token = 'logger-must-never-see-this-session-token';
    const lines: string[] = [];
    const record = (bindings: Record<string, unknown>, message?: string) => {
      lines.push(`${message ?? ''} ${JSON.stringify(bindings)}`);
    };
    const logger = { debug: record, info: record, warn: record, error: record };
    lifecycle('bp-log', { status: 'PENDING', forMs: 4000 }, { status: 'COMPLETED' });
    env.emulator.addFault({ kind: 'throttle', operation: 'GetBatchPrediction', times: 1 });
    await waitForBatchPrediction('bp-log', { ...opts(), logger });
    const badClient = new AmazonMLClient({
      ...env.config,
      logger,
      credentials: {
        accessKeyId: env.config.credentials.accessKeyId,
        secretAccessKey: secret,
        sessionToken: token,
      },
    });
    try {
      await waitForBatchPrediction('bp-log', { ...opts(), client: badClient, logger }).catch(() => undefined);
    } finally {
      await badClient.close();
    }
    const text = lines.join('\n');
    expect(text).toContain('status changed');
    expect(text).toContain('poll failed; retrying');
    expect(text).toContain('polling failed');
    for (const forbidden of [secret, token, env.config.credentials.secretAccessKey, 'Signature=']) {
      expect(text).not.toContain(forbidden);
    }
  });

  it('ResourceNotFoundException is tolerated during notFoundGraceMs (eventual consistency after Create)', async () => {
    // Polls at 0 and 2000 find nothing; 5000 sees PENDING; 9500 sees COMPLETED.
    lifecycle(
      'bp-late',
      { notFoundForMs: 4000 },
      { status: 'PENDING', forMs: 5000 },
      { status: 'COMPLETED' },
    );
    const events: string[] = [];
    const waiter = createBatchPredictionWaiter('bp-late', opts());
    waiter.on('retry', (e) => events.push(`retry:${(e.error as Error).name}`));
    waiter.on('transition', (e) => events.push(`transition:${e.to}`));
    await waiter.result;
    expect(events).toEqual([
      'retry:ResourceNotFoundException',
      'retry:ResourceNotFoundException',
      'transition:PENDING',
      'transition:COMPLETED',
    ]);
  });

  it('ResourceNotFoundException after notFoundGraceMs fails the wait', async () => {
    const error = await waitForBatchPrediction('bp-missing', { ...opts(), notFoundGraceMs: 3000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WaitRequestError);
    expect((error as WaitRequestError).cause).toMatchObject({
      name: 'ResourceNotFoundException',
      statusCode: 404,
    });
    // Polls at 0 and 2000 are inside the grace window; the next is moved to its end, 3000, and fails.
    expect(gets('bp-missing')).toHaveLength(3);
    expect((error as WaitRequestError).elapsedMs).toBe(3000);
  });

  it('honours Retry-After on throttling and reports retry events', async () => {
    lifecycle('bp-thr', { status: 'COMPLETED' });
    env.emulator.addFault({
      kind: 'throttle',
      operation: 'GetBatchPrediction',
      times: 2,
      retryAfterSeconds: 5,
    });
    const retries: number[] = [];
    const waiter = createBatchPredictionWaiter('bp-thr', opts());
    waiter.on('retry', (e) => retries.push(e.delayMs));
    await waiter.result;
    expect(retries).toEqual([5000, 5000]);
    expect(env.clock.scheduled).toEqual([5000, 5000]);
    expect(gets('bp-thr').map((r) => r.statusCode)).toEqual([400, 400, 200]);
  });

  it('retries 5xx (JSON and HTML bodies) and connection resets, then succeeds', async () => {
    lifecycle('bp-flaky', { status: 'COMPLETED' });
    // Rules apply in order, first match wins; each is spent after one use.
    env.emulator.addFault({ kind: 'serverError', operation: 'GetBatchPrediction', times: 1, format: 'json' });
    env.emulator.addFault({
      kind: 'serverError',
      operation: 'GetBatchPrediction',
      times: 1,
      status: 503,
      format: 'html',
    });
    env.emulator.addFault({ kind: 'reset', operation: 'GetBatchPrediction', times: 1 });
    const errors: string[] = [];
    const waiter = createBatchPredictionWaiter('bp-flaky', opts());
    waiter.on('retry', (e) => errors.push((e.error as Error).name));
    const done = await waiter.result;
    expect(done.Status).toBe('COMPLETED');
    expect(errors).toEqual(['InternalServerException', 'Http503Error', 'NetworkError']);
  });

  it('fails with WaitRequestError once the retries of one poll run out', async () => {
    lifecycle('bp-down', { status: 'COMPLETED' });
    env.emulator.addFault({ kind: 'serverError', operation: 'GetBatchPrediction' });
    const error = await waitForBatchPrediction('bp-down', { ...opts(), retry: { retries: 2 } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WaitRequestError);
    expect(error).toMatchObject({ retriesExhausted: true, attempts: 3 });
    expect(gets('bp-down')).toHaveLength(3);
  });
});

describe('abort and deadline against the emulator', () => {
  it('a pre-aborted signal sends no request at all', async () => {
    lifecycle('bp-pre', { status: 'COMPLETED' });
    const reason = new Error('already stopped');
    await expect(
      waitForBatchPrediction('bp-pre', { ...opts(), signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect(env.emulator.requests()).toHaveLength(0);
  });

  it('abort during a sleep: rejects with the reason, no further request', async () => {
    lifecycle('bp-sleep', { status: 'PENDING' });
    env.clock.setAutoAdvance(false);
    const controller = new AbortController();
    const promise = waitForBatchPrediction('bp-sleep', { ...opts(), signal: controller.signal });
    await vi.waitFor(() => {
      expect(env.clock.pendingTimers).toBe(1);
    });
    controller.abort('user said stop');
    await expect(promise).rejects.toBe('user said stop');
    expect(env.clock.pendingTimers).toBe(0);
    env.clock.advance(3_600_000);
    expect(gets('bp-sleep')).toHaveLength(1);
  });

  it('abort during a slow request cancels it in flight', async () => {
    lifecycle('bp-slowreq', { status: 'PENDING' });
    env.emulator.addFault({ kind: 'delay', operation: 'GetBatchPrediction', ms: 5000 });
    const controller = new AbortController();
    const signals: AbortSignal[] = [];
    const client = {
      get: ((kind, id, options) => {
        if (options?.signal) signals.push(options.signal);
        return env.client.get(kind, id, options);
      }) as AmazonMLClient['get'],
    };
    const started = performance.now();
    const promise = waitForBatchPrediction('bp-slowreq', { ...opts(), client, signal: controller.signal });
    await vi.waitFor(() => {
      expect(signals).toHaveLength(1);
    });
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the request reach the server
    const reason = new DOMException('stop now', 'AbortError');
    controller.abort(reason);
    await expect(promise).rejects.toBe(reason);
    // The request's own signal was aborted (the client cancels the undici request with it), long before the 5 s reply.
    expect(signals[0]!.aborted).toBe(true);
    expect(performance.now() - started).toBeLessThan(4000);
    expect(env.clock.pendingTimers).toBe(0);
  });

  it('abort after the deadline has rejected changes nothing', async () => {
    lifecycle('bp-t1', { status: 'PENDING' });
    const controller = new AbortController();
    const error = await waitForBatchPrediction('bp-t1', {
      ...opts(),
      timeoutMs: 5000,
      signal: controller.signal,
    }).catch((e: unknown) => e);
    controller.abort('late');
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(gets('bp-t1').length).toBe(3);
  });

  it('abort before the deadline wins over the timeout', async () => {
    lifecycle('bp-t2', { status: 'PENDING' });
    const controller = new AbortController();
    const waiter = createBatchPredictionWaiter('bp-t2', {
      ...opts(),
      timeoutMs: 60_000,
      signal: controller.signal,
    });
    waiter.on('poll', (e) => {
      if (e.attempt === 2) controller.abort('first');
    });
    await expect(waiter.result).rejects.toBe('first');
    expect(gets('bp-t2')).toHaveLength(2);
  });
});
