import { randomUUID } from 'node:crypto';
import type { ConnectionOptions, Job, Queue, QueueEvents } from 'bullmq';
import { loadOpenTelemetryApi } from '../client/openTelemetryApi.js';
import { Telemetry } from '../client/Telemetry.js';
import {
  resolveTelemetryOption,
  type TelemetryOption,
  type TelemetrySettings,
} from '../client/TelemetryOption.js';
import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';
import { untilAborted } from '../client/untilAborted.js';
import { checkWaitOptions } from '../waiter/resolveWaitOptions.js';
import { newWaitCheckpoint, parseCheckpoint, type WaitCheckpoint } from '../waiter/WaitCheckpoint.js';
import { WAIT_SPAN_NAME, waitErrorType, waitOutcome } from '../waiter/WaitTrace.js';
import { WAIT_DEFAULTS } from '../waiter/WaitOptions.js';
import { assertConnectionOptions } from './assertConnectionOptions.js';
import { FleetJobError } from './FleetJobError.js';
import { positiveInteger } from './positiveInteger.js';
import { loadBullmq, type BullMQModule } from './loadBullmq.js';
import { reviveWaiterError } from './serializeWaiterError.js';
import {
  DEFAULT_WAIT_QUEUE,
  WAIT_JOB_NAME,
  type FleetTransition,
  type FleetWaitSettings,
  type WaitJobData,
  type WaitJobResult,
} from './WaitJob.js';
import { waitJobId } from './waitJobId.js';

/** Options of {@link openWaitQueue}. Only `connection` is required. */
export interface WaitQueueOptions {
  /** Where Redis is: ioredis options (`{ host, port }`) or an ioredis instance, as BullMQ takes them. */
  readonly connection: ConnectionOptions;
  /** The BullMQ queue name; the same for producers and workers. @default 'aml-waits' */
  readonly queueName?: string | undefined;
  /** BullMQ key prefix. @default 'bull' */
  readonly prefix?: string | undefined;
  /**
   * How long a finished wait's job (and so its outcome) stays in Redis, in ms. While it is there,
   * {@link WaitQueue.result} answers at once and enqueuing the same resource again returns it when the
   * outcome is final (COMPLETED, FAILED, DELETED).
   * @default 86400000 (1 day)
   */
  readonly keepFinishedMs?: number | undefined;
  /**
   * While awaiting an outcome, also re-read the job's state this often (a safety net for a missed
   * Redis event), in ms.
   * @default 10000
   */
  readonly recheckMs?: number | undefined;
  /**
   * Reports fleet waits to OpenTelemetry: `waitFor` (or `result` alone) is a span `aml-waiter.wait`, a child
   * of the caller's active context, and `enqueue` stores the caller's W3C trace context (the global
   * propagator's) in the job, so that every poll the workers run is a child of it — one trace across
   * workers and restarts. `true` for the global providers, or `{ tracerProvider, meterProvider }`. Needs the
   * optional peer dependency `@opentelemetry/api`. See docs/observability.md.
   * @default false
   */
  readonly telemetry?: TelemetryOption | undefined;
}

/** Options of {@link WaitQueue.enqueue}: the polling settings plus the deadline or a checkpoint. */
export interface EnqueueWaitOptions extends FleetWaitSettings {
  /** Overall deadline in ms from now, as for `waitFor…`. @default 604800000 (7 days) */
  readonly timeoutMs?: number | undefined;
  /**
   * Continue an existing wait (from any event's or waiter's `checkpoint`, e.g. a single-process wait
   * handed over to the fleet): same deadline and history. `timeoutMs` is then ignored.
   */
  readonly checkpoint?: WaitCheckpoint | string | undefined;
}

/** What {@link WaitQueue.enqueue} did. */
export interface EnqueuedWait<K extends ResourceKind = ResourceKind> {
  /** The wait's job id, `<kind>.<id>`. */
  readonly jobId: string;
  readonly kind: K;
  readonly id: string;
  /**
   * `false` when a wait on this resource was already queued, running or finished with a final
   * outcome: the call joined it (its deadline and settings stay as they were).
   */
  readonly created: boolean;
  /** The wait's checkpoint as stored now. */
  readonly checkpoint: WaitCheckpoint<K>;
}

/** Options of {@link WaitQueue.result}. */
export interface ResultOptions {
  /** Stop awaiting (the wait itself goes on in the fleet); rejects with `signal.reason`. */
  readonly signal?: AbortSignal | undefined;
}

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
    const trace = await this.#traceContext();
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

  /** The active trace context as W3C headers, when telemetry is on and there is one to carry. */
  async #traceContext(): Promise<Record<string, string> | undefined> {
    if (this.#telemetry === undefined) return undefined;
    const api = await loadOpenTelemetryApi();
    const carrier: Record<string, string> = {};
    api.propagation.inject(api.context.active(), carrier);
    return Object.keys(carrier).length === 0 ? undefined : carrier;
  }

  /**
   * Runs `fn` (an await of a fleet wait's outcome) inside a span `aml-waiter.wait` when telemetry is on; the
   * span ends with the outcome, like a single-process wait's, and the wait's duration and the waits in
   * progress are recorded as a single-process wait records them. `fn` gets `link`: given the trace context
   * stored in the job by the producer that enqueued it (when that was another call: `result` alone, or an
   * `enqueue` that joined a queued wait), the span links to it — the trace its workers' polls belong to.
   */
  async #traced<T>(
    kind: ResourceKind,
    id: string,
    signal: AbortSignal | undefined,
    fn: (link: (stored: Readonly<Record<string, string>> | undefined) => void) => Promise<T>,
  ): Promise<T> {
    const settings = this.#telemetry;
    if (settings === undefined) return fn(() => undefined);
    const api = await loadOpenTelemetryApi();
    const telemetry = Telemetry.of(api, settings);
    const parent = api.context.active();
    const startedAt = performance.now();
    const span = telemetry.tracer.startSpan(
      WAIT_SPAN_NAME,
      {
        attributes: {
          'aml_waiter.kind': kind,
          'aml_waiter.id': id,
          'aml_waiter.fleet': true,
          'messaging.system': 'bullmq',
          'messaging.destination.name': this.#options.queueName ?? DEFAULT_WAIT_QUEUE,
        },
      },
      parent,
    );
    const kindLabel = { 'aml_waiter.kind': kind };
    telemetry.waitsActive.add(1, kindLabel);
    let linked = false;
    const link = (stored: Readonly<Record<string, string>> | undefined): void => {
      if (linked || stored === undefined) return;
      const remote = api.trace.getSpanContext(api.propagation.extract(api.ROOT_CONTEXT, stored));
      if (remote === undefined || remote.spanId === span.spanContext().spanId) return;
      linked = true;
      span.addLink({ context: remote, attributes: { 'aml_waiter.link': 'enqueued_wait' } });
    };
    const end = (error?: unknown): void => {
      const outcome = waitOutcome(error, signal);
      span.setAttribute('aml_waiter.outcome', outcome);
      if (error !== undefined) {
        const type = waitErrorType(outcome, error);
        span.setAttribute('error.type', type);
        span.setStatus({ code: api.SpanStatusCode.ERROR, message: type });
      }
      span.end();
      telemetry.waitsActive.add(-1, kindLabel);
      telemetry.waitDuration.record((performance.now() - startedAt) / 1000, {
        ...kindLabel,
        'aml_waiter.outcome': outcome,
      });
    };
    try {
      const value = await api.context.with(api.trace.setSpan(parent, span), () => fn(link));
      end();
      return value;
    } catch (error) {
      end(error);
      throw error;
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
    return this.#traced(kind, id, options.signal, async (link) => {
      if (this.#telemetry !== undefined) {
        // The job's own trace (its producer's wait span): what this wait's span links to.
        const job = (await this.queue.getJob(waitJobId(kind, id))) as WaitJob | undefined;
        link(job?.data.trace?.parent);
      }
      return this.#result(kind, id, options);
    });
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
    return this.#traced(kind, id, signal, async (link) => {
      const { wait, storedTrace } = await this.#enqueue(kind, id, rest);
      // Joined a wait another producer queued: its workers' polls are in that producer's trace.
      if (!wait.created) link(storedTrace);
      return this.#result(kind, id, signal === undefined ? {} : { signal });
    });
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
