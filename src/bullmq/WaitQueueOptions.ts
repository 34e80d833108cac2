import type { ConnectionOptions } from 'bullmq';
import type { TelemetryOption } from '../client/TelemetryOption.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import type { WaitCheckpoint } from '../waiter/WaitCheckpoint.js';
import type { FleetWaitSettings } from './WaitJob.js';

/** Options of `openWaitQueue`. Only `connection` is required. */
export interface WaitQueueOptions {
  /** Where Redis is: ioredis options (`{ host, port }`) or an ioredis instance, as BullMQ takes them. */
  readonly connection: ConnectionOptions;
  /** The BullMQ queue name; the same for producers and workers. @default 'aml-waits' */
  readonly queueName?: string | undefined;
  /** BullMQ key prefix. @default 'bull' */
  readonly prefix?: string | undefined;
  /**
   * How long a finished wait's job (and so its outcome) stays in Redis, in ms. While it is there,
   * `WaitQueue.result` answers at once and enqueuing the same resource again returns it when the
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

/** Options of `WaitQueue.enqueue`: the polling settings plus the deadline or a checkpoint. */
export interface EnqueueWaitOptions extends FleetWaitSettings {
  /** Overall deadline in ms from now, as for `waitFor…`. @default 604800000 (7 days) */
  readonly timeoutMs?: number | undefined;
  /**
   * Continue an existing wait (from any event's or waiter's `checkpoint`, e.g. a single-process wait
   * handed over to the fleet): same deadline and history. `timeoutMs` is then ignored.
   */
  readonly checkpoint?: WaitCheckpoint | string | undefined;
}

/** What `WaitQueue.enqueue` did. */
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

/** Options of `WaitQueue.result`. */
export interface ResultOptions {
  /** Stop awaiting (the wait itself goes on in the fleet); rejects with `signal.reason`. */
  readonly signal?: AbortSignal | undefined;
}
