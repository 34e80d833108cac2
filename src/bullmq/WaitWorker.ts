import type { ConnectionOptions, Job, Worker } from 'bullmq';
import { AmazonMLClient, type AmazonMLClientConfig } from '../client/AmazonMLClient.js';
import { readClientOption } from '../client/readClientOption.js';
import { loadOpenTelemetryApi, type OpenTelemetryApi } from '../client/openTelemetryApi.js';
import {
  resolveTelemetryOption,
  telemetryFromEnv,
  type TelemetryOption,
  type TelemetrySettings,
} from '../client/TelemetryOption.js';
import type { Logger } from '../model/Logger.js';
import { silentLogger } from '../model/Logger.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import { resourceToJson } from '../waiter/WaitCheckpoint.js';
import type { TransitionEvent } from '../waiter/WaitEvent.js';
import type { AmazonMLClientLike, RetryOptions } from '../waiter/WaitOptions.js';
import { positiveInteger } from './positiveInteger.js';
import { loadBullmq } from './loadBullmq.js';
import { pollStep, type PollStepResult } from './pollStep.js';
import { PollTrace } from './PollTrace.js';
import { serializeWaiterError } from './serializeWaiterError.js';
import { DEFAULT_WAIT_QUEUE, type FleetTransition, type WaitJobData, type WaitJobResult } from './WaitJob.js';
import { assertConnectionOptions } from './assertConnectionOptions.js';

/** Options of {@link startWaitWorker}. Only `connection` is required. */
export interface WaitWorkerOptions {
  /** Where Redis is: ioredis options (`{ host, port }`) or an ioredis instance, as BullMQ takes them. */
  readonly connection: ConnectionOptions;
  /** The BullMQ queue name; the same for producers and workers. @default 'aml-waits' */
  readonly queueName?: string | undefined;
  /** BullMQ key prefix. @default 'bull' */
  readonly prefix?: string | undefined;
  /**
   * The client to poll with: an `AmazonMLClient` (shared, not closed by the worker) or the config to
   * make one (closed with the worker). Default: a client configured from the environment.
   */
  readonly client?: AmazonMLClientLike | AmazonMLClientConfig | undefined;
  /**
   * Poll jobs this worker runs at once. A poll job is one HTTP request (plus its retries), so this can
   * be high; sleeping waits hold no slot.
   * @default 50
   */
  readonly concurrency?: number | undefined;
  /**
   * The fleet-wide request budget: at most `max` poll jobs per `duration` ms across every worker of the
   * queue (BullMQ's rate limiter, kept in Redis). Give every worker the same value. Retries of a failed
   * poll inside one job are not counted. Default: no limit.
   */
  readonly limiter?: { readonly max: number; readonly duration: number } | undefined;
  /**
   * How long a worker's lock on a running poll job lasts (renewed while it runs). A worker that dies
   * mid-poll loses the job to another worker after this long at most (plus `stalledIntervalMs`).
   * @default 30000
   */
  readonly lockDurationMs?: number | undefined;
  /** How often this worker looks for jobs whose worker died. @default 30000 */
  readonly stalledIntervalMs?: number | undefined;
  /**
   * How often one wait's job may be recovered from a dead worker before it fails. Polls are read-only,
   * so running one again is harmless; the default is high because a long wait lives through many deploys.
   * @default 1000
   */
  readonly maxStalledCount?: number | undefined;
  /**
   * Retry limits of one poll, for waits enqueued without their own. Kept short by default because the
   * worker's slot is held while a retry sleeps.
   * @default { retries: 2, minTimeoutMs: 500, maxTimeoutMs: 5000 }
   */
  readonly retry?: RetryOptions | undefined;
  /** pino/console-shaped logger; never receives secrets. Default: silent. */
  readonly logger?: Logger | undefined;
  /** A name stored on the jobs this worker processes (BullMQ's `name` worker option). */
  readonly name?: string | undefined;
  /**
   * Reports each poll as an OpenTelemetry span `aml-waiter.poll`, a child of the producer's wait span (the
   * W3C trace context travels in the job), with the client's request spans under it; the client the worker
   * makes reports its requests too. `true` for the global providers, or `{ tracerProvider, meterProvider }`.
   * Needs the optional peer dependency `@opentelemetry/api`. See docs/observability.md.
   * @default `true` when `AML_WAITER_TELEMETRY=1` is set, else off
   */
  readonly telemetry?: TelemetryOption | undefined;
}

/** @internal The loaded API and the settings a worker reports with. */
interface WorkerTelemetry {
  readonly api: OpenTelemetryApi;
  readonly settings: TelemetrySettings;
}

/** What a {@link WaitWorker} has done since it started. */
export interface WaitWorkerStats {
  /** Poll jobs run. */
  readonly steps: number;
  /** Requests sent by those jobs (retries included). */
  readonly requests: number;
  /** Waits this worker saw COMPLETED. */
  readonly completed: number;
  /** Waits this worker ended with a `WaiterError`. */
  readonly failed: number;
}

const DEFAULT_WORKER_RETRY: RetryOptions = Object.freeze({
  retries: 2,
  minTimeoutMs: 500,
  maxTimeoutMs: 5000,
});

function toTransition<K extends ResourceKind>(event: TransitionEvent<K>): FleetTransition<K> {
  const at = event.checkpoint.history.at(-1)?.at ?? new Date().toISOString();
  return {
    type: 'transition',
    kind: event.kind,
    id: event.id,
    from: event.from,
    to: event.to,
    at,
    attempt: event.attempt,
    elapsedMs: event.elapsedMs,
    resource: resourceToJson(event.resource) ?? {},
  };
}

/**
 * A BullMQ worker that runs fleet waits: each job run is one poll ({@link pollStep}); if the resource
 * is not terminal yet the job goes back to BullMQ's delayed set until its next poll, so a sleeping wait
 * holds no worker, and a crash loses at most the poll in flight (another worker redoes it from the last
 * checkpoint). Create it with {@link startWaitWorker}.
 */
export class WaitWorker {
  /** The underlying BullMQ worker (for its events and metrics). */
  readonly worker: Worker<WaitJobData, WaitJobResult>;
  readonly #client: AmazonMLClientLike;
  readonly #ownsClient: boolean;
  #steps = 0;
  #requests = 0;
  #completed = 0;
  #failed = 0;
  #closing: Promise<void> | undefined;

  /** @internal Use {@link startWaitWorker}. */
  constructor(
    bullmq: Awaited<ReturnType<typeof loadBullmq>>,
    options: WaitWorkerOptions,
    client: AmazonMLClientLike,
    ownsClient: boolean,
    telemetry?: WorkerTelemetry,
  ) {
    this.#client = client;
    this.#ownsClient = ownsClient;
    const logger = options.logger ?? silentLogger;
    const retry = options.retry ?? DEFAULT_WORKER_RETRY;
    const { DelayedError, UnrecoverableError } = bullmq;
    const queueName = options.queueName ?? DEFAULT_WAIT_QUEUE;
    const processor = async (
      job: Job<WaitJobData, WaitJobResult>,
      token?: string,
    ): Promise<WaitJobResult> => {
      const { checkpoint, settings } = job.data;
      this.#steps++;
      const trace =
        telemetry === undefined
          ? undefined
          : new PollTrace(telemetry.api, telemetry.settings, {
              kind: checkpoint.kind,
              id: checkpoint.id,
              queueName,
              jobId: job.id,
              workerName: options.name,
              trace: job.data.trace,
            });
      const step = (): Promise<PollStepResult> =>
        pollStep(checkpoint, { ...settings, retry: settings.retry ?? retry, client: this.#client, logger });
      let result;
      try {
        result = await (trace === undefined ? step() : trace.run(step));
        trace?.end(result);
      } catch (error) {
        trace?.end(undefined, error);
        // A checkpoint that does not parse will not parse next time either.
        if (error instanceof TypeError && error.message.startsWith('Invalid checkpoint')) {
          throw new UnrecoverableError(error.message);
        }
        throw error;
      }
      const after = result.type === 'failed' ? result.error.attempts : result.checkpoint.attempts;
      this.#requests += Math.max(0, after - checkpoint.attempts);
      for (const transition of result.transitions) await job.updateProgress({ ...toTransition(transition) });
      switch (result.type) {
        case 'wait':
          await job.updateData({
            ...job.data,
            checkpoint: result.checkpoint,
            ...(trace === undefined
              ? {}
              : { trace: { parent: job.data.trace?.parent ?? {}, lastPoll: trace.carrier() } }),
          });
          await job.moveToDelayed(result.nextPollAt, token);
          throw new DelayedError();
        case 'completed':
          this.#completed++;
          return { status: 'COMPLETED', checkpoint: result.checkpoint };
        case 'failed':
          this.#failed++;
          await job.updateData({ ...job.data, error: serializeWaiterError(result.error) });
          throw new UnrecoverableError(result.error.message);
      }
    };
    this.worker = new bullmq.Worker<WaitJobData, WaitJobResult>(queueName, processor, {
      connection: options.connection,
      ...(options.prefix === undefined ? {} : { prefix: options.prefix }),
      ...(options.name === undefined ? {} : { name: options.name }),
      concurrency: positiveInteger('concurrency', options.concurrency, 50),
      ...(options.limiter === undefined
        ? {}
        : {
            limiter: {
              max: positiveInteger('limiter.max', options.limiter.max, 1),
              duration: positiveInteger('limiter.duration', options.limiter.duration, 1),
            },
          }),
      lockDuration: positiveInteger('lockDurationMs', options.lockDurationMs, 30_000),
      stalledInterval: positiveInteger('stalledIntervalMs', options.stalledIntervalMs, 30_000),
      maxStalledCount: positiveInteger('maxStalledCount', options.maxStalledCount, 1000),
      autorun: false,
    });
    this.worker.on('error', (error) => {
      logger.error({ err: { name: error.name, message: error.message } }, 'fleet worker error');
    });
  }

  /** What this worker has done since it started. */
  stats(): WaitWorkerStats {
    return {
      steps: this.#steps,
      requests: this.#requests,
      completed: this.#completed,
      failed: this.#failed,
    };
  }

  /**
   * Stops taking jobs, lets the running polls finish (their waits go on elsewhere), closes the Redis
   * connections and the client it made. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      await this.worker.close();
      if (this.#ownsClient) await (this.#client as AmazonMLClient).close();
    })();
    return this.#closing;
  }
}

/**
 * Starts a worker that runs fleet waits from the queue, and resolves once it is connected.
 *
 * @example
 * ```ts
 * import { startWaitWorker } from 'aml-waiter/bullmq';
 * const worker = await startWaitWorker({
 *   connection: { host: '127.0.0.1', port: 6379 },
 *   limiter: { max: 20, duration: 1000 }, // 20 requests per second, fleet-wide
 * });
 * process.on('SIGTERM', () => void worker.close());
 * ```
 * @throws {Error} when the optional peer dependency `bullmq` is not installed.
 * @throws {RangeError} for a bad number option, naming it.
 */
export async function startWaitWorker(options: WaitWorkerOptions): Promise<WaitWorker> {
  assertConnectionOptions(options);
  const telemetryOption = options.telemetry ?? (telemetryFromEnv(process.env) ? true : undefined);
  const settings = resolveTelemetryOption(telemetryOption);
  const bullmq = await loadBullmq();
  const telemetry = settings === undefined ? undefined : { api: await loadOpenTelemetryApi(), settings };
  // The config's own logger and telemetry win; the worker's fill in what it leaves out.
  const option = readClientOption<AmazonMLClientLike>(options.client, {
    logger: options.logger,
    telemetry: telemetryOption,
  });
  const client = 'given' in option ? option.given : new AmazonMLClient(option.config);
  let worker: WaitWorker;
  try {
    worker = new WaitWorker(bullmq, options, client, !('given' in option), telemetry);
  } catch (error) {
    if (client instanceof AmazonMLClient && !('given' in option)) await client.close();
    throw error;
  }
  void worker.worker.run().catch(() => undefined);
  await worker.worker.waitUntilReady();
  return worker;
}
