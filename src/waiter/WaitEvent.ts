import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';
import type { WaitCheckpoint } from './WaitCheckpoint.js';
import type { StatusObservation } from './WaiterError.js';

/** Fields every event carries. */
export interface WaitEventBase<K extends ResourceKind = ResourceKind> {
  readonly kind: K;
  readonly id: string;
  /** Requests sent so far in this wait (retries included); for `retry`, the attempt that failed. */
  readonly attempt: number;
  /** Whole milliseconds since the wait started. */
  readonly elapsedMs: number;
  /**
   * The wait's state at this event as a plain JSON value, for `resumeWait` elsewhere. Computed on first
   * read; not enumerable, so `JSON.stringify(event)` leaves it out.
   */
  readonly checkpoint: WaitCheckpoint<K>;
}

/** After every successful `Get…` response. */
export interface PollEvent<K extends ResourceKind = ResourceKind> extends WaitEventBase<K> {
  readonly type: 'poll';
  readonly resource: ResourceByKind[K];
}

/**
 * When the observed `Status` differs from the previous one (`from: null` on the first observation). Statuses
 * are typed like the resource's `Status`: an `EntityStatus`, or a newer value the service may add.
 */
export interface TransitionEvent<K extends ResourceKind = ResourceKind> extends WaitEventBase<K> {
  readonly type: 'transition';
  readonly from: StatusObservation['status'] | null;
  readonly to: StatusObservation['status'];
  readonly resource: ResourceByKind[K];
}

/**
 * A poll failed transiently (throttling, 5xx, network, request timeout) and will be retried after
 * `delayMs`; also emitted while a `ResourceNotFoundException` is tolerated during `notFoundGraceMs`.
 */
export interface RetryEvent<K extends ResourceKind = ResourceKind> extends WaitEventBase<K> {
  readonly type: 'retry';
  readonly error: unknown;
  readonly delayMs: number;
}

/** Before sleeping until the next poll. */
export interface WaitScheduledEvent<K extends ResourceKind = ResourceKind> extends WaitEventBase<K> {
  readonly type: 'wait';
  readonly delayMs: number;
  readonly nextPollAt: Date;
}

/** Every event a wait emits, discriminated by `type`. Events are frozen. */
export type WaitEvent<K extends ResourceKind = ResourceKind> =
  PollEvent<K> | TransitionEvent<K> | RetryEvent<K> | WaitScheduledEvent<K>;

/** Maps an event `type` to its payload. */
export interface WaitEventMap<K extends ResourceKind = ResourceKind> {
  poll: PollEvent<K>;
  transition: TransitionEvent<K>;
  retry: RetryEvent<K>;
  wait: WaitScheduledEvent<K>;
}
