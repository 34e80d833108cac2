import type { ResourceKind } from '../model/ResourceKind.js';
import type { WaitCheckpoint } from '../waiter/WaitCheckpoint.js';

/**
 * The polling settings a fleet wait carries in its job (the deadline lives in the checkpoint). Same
 * meaning and defaults as the `WaitOptions` of the same names.
 */
export interface FleetWaitSettings {
  /** First and smallest delay between two polls, in ms. Default 2000. */
  readonly minDelayMs?: number | undefined;
  /** Largest delay between two polls, in ms. Default 120000. */
  readonly maxDelayMs?: number | undefined;
  /** `ResourceNotFoundException` means "not visible yet" for this long after the wait started. Default 15000. */
  readonly notFoundGraceMs?: number | undefined;
  /**
   * Limits for retrying one poll's transient failures. These retries run inside one poll job (the
   * worker stays busy while they sleep), so keep `maxTimeoutMs` short. Default: the worker's `retry`.
   */
  readonly retry?:
    | {
        readonly retries?: number | undefined;
        readonly minTimeoutMs?: number | undefined;
        readonly maxTimeoutMs?: number | undefined;
      }
    | undefined;
}

/** A `WaiterError` as plain JSON: its `toJSON()` fields (plus `timeoutMs` / `retriesExhausted`). */
export interface SerializedWaiterError {
  readonly name: string;
  readonly code: string;
  readonly message: string;
  readonly kind: ResourceKind;
  readonly id: string;
  readonly history: readonly { readonly status: string; readonly at: string }[];
  readonly attempts: number;
  readonly elapsedMs: number;
  readonly lastResource?: Readonly<Record<string, unknown>> | null | undefined;
  readonly cause?: unknown;
  readonly timeoutMs?: number | undefined;
  readonly retriesExhausted?: boolean | undefined;
}

/**
 * The W3C trace context of a fleet wait (as the global OpenTelemetry propagator writes it: `traceparent`,
 * `tracestate`), stored in its job when the producer reports to OpenTelemetry: each poll a worker runs is
 * a child span of `parent` (the producer's wait span) and links to the previous poll's span (`lastPoll`).
 */
export interface FleetTraceContext {
  readonly parent: Readonly<Record<string, string>>;
  readonly lastPoll?: Readonly<Record<string, string>> | undefined;
}

/**
 * The data of a wait's BullMQ job. `checkpoint` is rewritten after every poll, so a worker that picks
 * the job up after a crash continues with the same deadline and history. `error` is set when the
 * wait ended with a `WaiterError` (the job then fails with the same message).
 */
export interface WaitJobData<K extends ResourceKind = ResourceKind> {
  readonly checkpoint: WaitCheckpoint<K>;
  readonly settings: FleetWaitSettings;
  readonly error?: SerializedWaiterError | undefined;
  /** Set when the wait is traced (see {@link FleetTraceContext}). */
  readonly trace?: FleetTraceContext | undefined;
}

/** The return value of a wait's job when the resource reached COMPLETED. */
export interface WaitJobResult<K extends ResourceKind = ResourceKind> {
  readonly status: 'COMPLETED';
  /** The final checkpoint: its `lastResource` is the COMPLETED resource (timestamps as ISO strings). */
  readonly checkpoint: WaitCheckpoint<K>;
}

/**
 * What a worker publishes as job progress (and so as a `QueueEvents` 'progress' event) on every status
 * transition of a fleet wait.
 */
export interface FleetTransition<K extends ResourceKind = ResourceKind> {
  readonly type: 'transition';
  readonly kind: K;
  readonly id: string;
  /** The previous status (`null` on the first observation). */
  readonly from: string | null;
  readonly to: string;
  /** When the new status was first seen (ISO 8601). */
  readonly at: string;
  /** Requests sent so far in this wait. */
  readonly attempt: number;
  /** Milliseconds since the wait started. */
  readonly elapsedMs: number;
  /** The resource as polled (timestamps as ISO strings). */
  readonly resource: Readonly<Record<string, unknown>>;
}

/** The default BullMQ queue name of fleet waits. */
export const DEFAULT_WAIT_QUEUE = 'aml-waits';

/** The BullMQ job name of fleet waits. */
export const WAIT_JOB_NAME = 'wait';
