/*
 * About 360 lines: one class whose methods share the queue, its queue events and the outcome waiters —
 * enqueue (with its replace-or-join rounds), result (the await loop), checkpoint, onTransition, close.
 * Its options are in WaitQueueOptions.ts and its telemetry in traceProducerWait.ts.
 */
import { randomUUID } from 'node:crypto';
import type { Job, Queue, QueueEvents } from 'bullmq';
import { resolveTelemetryOption, type TelemetrySettings } from '../client/TelemetryOption.js';
import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';
import { untilAborted } from '../client/untilAborted.js';
import { checkWaitOptions } from '../waiter/resolveWaitOptions.js';
import { newWaitCheckpoint, parseCheckpoint, type WaitCheckpoint } from '../waiter/WaitCheckpoint.js';
import { WAIT_DEFAULTS } from '../waiter/WaitOptions.js';
import { assertConnectionOptions } from './assertConnectionOptions.js';
import { FleetJobError } from './FleetJobError.js';
import { positiveInteger } from './positiveInteger.js';
import { loadBullmq, type BullMQModule } from './loadBullmq.js';
import { reviveWaiterError } from './serializeWaiterError.js';
import { traceContextOf, traceProducerWait } from './traceProducerWait.js';
import {
  DEFAULT_WAIT_QUEUE,
  WAIT_JOB_NAME,
  type FleetTransition,
  type FleetWaitSettings,
  type WaitJobData,
  type WaitJobResult,
} from './WaitJob.js';
import { waitJobId } from './waitJobId.js';
import type {
  EnqueuedWait,
  EnqueueWaitOptions,
  ResultOptions,
  WaitQueueOptions,
} from './WaitQueueOptions.js';

const FINAL_FAILURES: ReadonlySet<string> = new Set(['RESOURCE_FAILED', 'RESOURCE_DELETED']);

type WaitJob = Job<WaitJobData, WaitJobResult>;

/**
 * The producer's and observer's side of fleet waits: enqueue waits, await their outcomes and follow
 * their transitions, from any process. Create it with {@link openWaitQueue}; workers run the waits
 * (see `startWaitWorker`).
 */
export class WaitQueue {
  /** The underlying BullMQ queue. */
  readonly queue: Queue<WaitJobData, WaitJobResult>;
  readonly #bullmq: BullMQModule;
  readonly #options: WaitQueueOptions;
  readonly #keepSeconds: number;
  readonly #recheckMs: number;
  #events: Promise<QueueEvents> | undefined;
  readonly #waiting = new Map<string, Set<() => void>>();
  readonly #transitionListeners = new Set<(transition: FleetTransition) => void>();
  #closing: Promise<void> | undefined;
  readonly #telemetry: TelemetrySettings | undefined;

  /** @internal Use {@link openWaitQueue}. */
  constructor(bullmq: BullMQModule, options: WaitQueueOptions) {
    this.#bullmq = bullmq;
    this.#options = options;
    this.#telemetry = resolveTelemetryOption(options.telemetry);
    this.#keepSeconds = Math.ceil(
      positiveInteger('keepFinishedMs', options.keepFinishedMs, 86_400_000) / 1000,
    );
    this.#recheckMs = positiveInteger('recheckMs', options.recheckMs, 10_000);
    this.queue = new bullmq.Queue<WaitJobData, WaitJobResult>(options.queueName ?? DEFAULT_WAIT_QUEUE, {
      connection: options.connection,
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
    });
  }

  /**
   * Queues a wait on one resource, or joins the one already queued: one job per resource across the
   * fleet, so concurrent callers anywhere share one wait and one outcome. A wait that finished with a
   * final outcome (COMPLETED, FAILED, DELETED) is returned as it is; one that ended by deadline or
   * request error is replaced by a new wait.
   *
   * @throws {TypeError | RangeError} (as a rejection) for a bad id or option, naming it; nothing is queued.
   */
  async enqueue<K extends ResourceKind>(
    kind: K,
    id: string,
    options: EnqueueWaitOptions = {},
  ): Promise<EnqueuedWait<K>> {
    return (await this.#enqueue(kind, id, options)).wait;
  }

  /** {@link enqueue}, also returning the trace context stored in the job (another producer's, when joined). */
  async #enqueue<K extends ResourceKind>(
    kind: K,
    id: string,
    options: EnqueueWaitOptions,
  ): Promise<{ wait: EnqueuedWait<K>; storedTrace: Readonly<Record<string, string>> | undefined }> {
    const { timeoutMs, checkpoint: given, minDelayMs, maxDelayMs, notFoundGraceMs, retry } = options;
    // Validate as a wait would (names the bad option); the workers' clients poll it.
    checkWaitOptions(kind, id, options);
    const settings: FleetWaitSettings = JSON.parse(
      JSON.stringify({ minDelayMs, maxDelayMs, notFoundGraceMs, retry }),
    ) as FleetWaitSettings;
    const jobId = waitJobId(kind, id);
    const checkpoint: WaitCheckpoint<K> =
      given === undefined
        ? newWaitCheckpoint(kind, id, timeoutMs ?? WAIT_DEFAULTS.timeoutMs)
        : (JSON.parse(typeof given === 'string' ? given : JSON.stringify(given)) as WaitCheckpoint<K>);
    const enqueueId = randomUUID();
    const trace = await traceContextOf(this.#telemetry);
    const data: WaitJobData<K> & { enqueueId: string } = {
      checkpoint,
      settings,
      enqueueId,
      ...(trace === undefined ? {} : { trace: { parent: trace } }),
    };
    for (let round = 0; ; round++) {
      const nextPollAt = checkpoint.nextPollAt === null ? 0 : Date.parse(checkpoint.nextPollAt);
      await this.queue.add(WAIT_JOB_NAME, data, {
        jobId,
        delay: Math.max(0, nextPollAt - Date.now()),
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
        removeOnComplete: { age: this.#keepSeconds },
        removeOnFail: { age: this.#keepSeconds },
      });
      const job = (await this.queue.getJob(jobId)) as WaitJob | undefined;
      if (job === undefined) {
        if (round < 3) continue; // removed between add and read: add again
        throw new FleetJobError(jobId, undefined, `The fleet wait job ${jobId} vanished while being queued.`);
      }
      const stored = job.data as WaitJobData<K> & { enqueueId?: string };
      if (round < 3 && stored.enqueueId !== enqueueId && (await this.#replaceable(job))) {
        await job.remove().catch(() => undefined);
        continue;
      }
      return {
        wait: {
          jobId,
          kind,
          id,
          created: stored.enqueueId === enqueueId,
          checkpoint: stored.checkpoint,
        },
        storedTrace: stored.trace?.parent,
      };
    }
  }

  /** A finished job whose outcome a new wait could change (deadline, request error, job error). */
  async #replaceable(job: WaitJob): Promise<boolean> {
    const state = await job.getState();
    if (state !== 'failed') return false;
    const code = job.data.error?.code;
    return code === undefined || !FINAL_FAILURES.has(code);
  }

  /** The current checkpoint of the wait on `kind`/`id`, or `undefined` if no job is stored. */
  async checkpoint<K extends ResourceKind>(kind: K, id: string): Promise<WaitCheckpoint<K> | undefined> {
    const job = (await this.queue.getJob(waitJobId(kind, id))) as WaitJob | undefined;
    return job?.data.checkpoint as WaitCheckpoint<K> | undefined;
  }

  /**
   * Resolves with the COMPLETED resource of a queued wait, or rejects with the same `WaiterError`
   * subclass the worker ended it with (`ResourceFailedError`, `WaitTimeoutError`, …, rebuilt from the
   * job with its `history`, `attempts`, `lastResource` and message), from any process. Rejects with a
   * {@link FleetJobError} if no such job exists or its job failed for another reason.
   */
  result<K extends ResourceKind>(
    kind: K,
    id: string,
    options: ResultOptions = {},
  ): Promise<ResourceByKind[K]> {
    return traceProducerWait(
      this.#telemetry,
      { kind, id, queueName: this.queue.name },
      options.signal,
      async (link) => {
        if (this.#telemetry !== undefined) {
          // The job's own trace (its producer's wait span): what this wait's span links to.
          const job = (await this.queue.getJob(waitJobId(kind, id))) as WaitJob | undefined;
          link(job?.data.trace?.parent);
        }
        return this.#result(kind, id, options);
      },
    );
  }

  async #result<K extends ResourceKind>(
    kind: K,
    id: string,
    options: ResultOptions,
  ): Promise<ResourceByKind[K]> {
    const jobId = waitJobId(kind, id);
    const { signal } = options;
    if (signal?.aborted) throw signal.reason;
    await this.#queueEvents();
    // A queue event for this job wakes the loop early; one that arrives while the job is read is kept.
    const wakeup: { pending: boolean; wake: (() => void) | undefined } = { pending: false, wake: undefined };
    const onEvent = (): void => {
      wakeup.pending = true;
      wakeup.wake?.();
    };
    const sleep = (): Promise<void> =>
      new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          wakeup.wake = undefined;
          resolve();
        };
        const timer = setTimeout(done, this.#recheckMs); // the safety net for a missed Redis event
        timer.unref();
        wakeup.wake = done;
      });
    const callbacks = this.#waiting.get(jobId) ?? new Set<() => void>();
    this.#waiting.set(jobId, callbacks);
    callbacks.add(onEvent);
    try {
      for (;;) {
        const outcome = await untilAborted(this.#outcome<K>(jobId), signal).catch((error: unknown) => {
          if (signal?.aborted === true && error === signal.reason) throw error; // the abort reason, unchanged
          throw error instanceof Error ? error : new Error(String(error));
        });
        if (outcome?.ok === true) return outcome.resource;
        if (outcome !== undefined) throw outcome.error;
        if (!wakeup.pending) await untilAborted(sleep(), signal);
        wakeup.pending = false;
      }
    } finally {
      wakeup.wake?.();
      callbacks.delete(onEvent);
      if (callbacks.size === 0) this.#waiting.delete(jobId);
    }
  }

  /** The outcome of a finished job; `undefined` while it runs. */
  async #outcome<K extends ResourceKind>(
    jobId: string,
  ): Promise<{ ok: true; resource: ResourceByKind[K] } | { ok: false; error: Error } | undefined> {
    // The state first: a finished job no longer changes, so the job read after it holds the outcome.
    const state = await this.queue.getJobState(jobId);
    if (state !== 'completed' && state !== 'failed' && state !== 'unknown') return undefined;
    const job = (await this.queue.getJob(jobId)) as WaitJob | undefined;
    if (job === undefined || state === 'unknown') {
      return {
        ok: false,
        error: new FleetJobError(jobId, undefined, `No fleet wait job ${jobId}: enqueue the wait first.`),
      };
    }
    if (state === 'completed') {
      const { lastResource } = parseCheckpoint(job.returnvalue.checkpoint);
      return { ok: true, resource: lastResource as unknown as ResourceByKind[K] };
    }
    const serialized = job.data.error;
    return {
      ok: false,
      error:
        serialized === undefined
          ? new FleetJobError(jobId, job.failedReason)
          : reviveWaiterError<K>(serialized),
    };
  }

  /** {@link enqueue} then {@link result}: the fleet's `waitFor`. */
  async waitFor<K extends ResourceKind>(
    kind: K,
    id: string,
    options: EnqueueWaitOptions & ResultOptions = {},
  ): Promise<ResourceByKind[K]> {
    const { signal, ...rest } = options;
    if (signal?.aborted) throw signal.reason;
    return traceProducerWait(
      this.#telemetry,
      { kind, id, queueName: this.queue.name },
      signal,
      async (link) => {
        const { wait, storedTrace } = await this.#enqueue(kind, id, rest);
        // Joined a wait another producer queued: its workers' polls are in that producer's trace.
        if (!wait.created) link(storedTrace);
        return this.#result(kind, id, signal === undefined ? {} : { signal });
      },
    );
  }

  /**
   * Calls `listener` with every status transition a worker publishes (job progress, through Redis
   * streams), for all waits or only those of `filter.kind` / `filter.id`. Resolves, once listening, with
   * the function that stops it. A listener that throws is ignored.
   */
  async onTransition(
    listener: (transition: FleetTransition) => void,
    filter: { readonly kind?: ResourceKind | undefined; readonly id?: string | undefined } = {},
  ): Promise<() => void> {
    if (typeof listener !== 'function') {
      throw new TypeError(`Expected \`listener\` to be a function, got ${typeof listener}.`);
    }
    const wrapped = (transition: FleetTransition): void => {
      if (filter.kind !== undefined && transition.kind !== filter.kind) return;
      if (filter.id !== undefined && transition.id !== filter.id) return;
      try {
        listener(transition);
      } catch {
        // A listener's error is its own business.
      }
    };
    this.#transitionListeners.add(wrapped);
    await this.#queueEvents();
    return () => {
      this.#transitionListeners.delete(wrapped);
    };
  }

  #queueEvents(): Promise<QueueEvents> {
    this.#events ??= (async () => {
      const events = new this.#bullmq.QueueEvents(this.#options.queueName ?? DEFAULT_WAIT_QUEUE, {
        connection: this.#options.connection,
        ...(this.#options.prefix === undefined ? {} : { prefix: this.#options.prefix }),
      });
      const wake = ({ jobId }: { jobId: string }): void => {
        for (const callback of this.#waiting.get(jobId) ?? []) callback();
      };
      events.on('completed', wake);
      events.on('failed', wake);
      events.on('removed', wake);
      events.on('progress', ({ data }) => {
        if (typeof data !== 'object' || (data as { type?: unknown }).type !== 'transition') return;
        for (const listener of this.#transitionListeners) listener(data as unknown as FleetTransition);
      });
      events.on('error', () => undefined);
      await events.waitUntilReady();
      return events;
    })();
    return this.#events;
  }

  /** Closes the Redis connections (the waits go on in the fleet). Idempotent. */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      if (this.#events !== undefined) await (await this.#events).close();
      await this.queue.close();
    })();
    return this.#closing;
  }
}

/**
 * Opens the producer/observer side of fleet waits on a BullMQ queue, resolving once connected.
 *
 * @example
 * ```ts
 * import { openWaitQueue } from 'aml-waiter/bullmq';
 * const waits = await openWaitQueue({ connection: { host: '127.0.0.1', port: 6379 } });
 * await waits.enqueue('BatchPrediction', 'bp-123', { timeoutMs: 3_600_000 });
 * const bp = await waits.result('BatchPrediction', 'bp-123'); // from this or any other process
 * await waits.close();
 * ```
 * @throws {Error} when the optional peer dependency `bullmq` is not installed.
 */
export async function openWaitQueue(options: WaitQueueOptions): Promise<WaitQueue> {
  assertConnectionOptions(options);
  const bullmq = await loadBullmq();
  const queue = new WaitQueue(bullmq, options);
  await queue.queue.waitUntilReady();
  return queue;
}
