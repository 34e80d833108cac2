import { brandGuard } from '../client/brandGuard.js';
import type { EntityStatus } from '../model/EntityStatus.js';
import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';
import type { AnyWaiterError } from './AnyWaiterError.js';

/**
 * One status observed during a wait, with the wall-clock time it was first seen. `status` is typed like the
 * resource's own `Status`: one of the five {@link EntityStatus} values, or a newer one the service may add.
 */
export interface StatusObservation {
  readonly status: EntityStatus | (string & {});
  readonly at: Date;
}

/** The stable `code` of each {@link WaiterError} subclass. */
export type WaiterErrorCode = 'RESOURCE_FAILED' | 'RESOURCE_DELETED' | 'WAIT_TIMEOUT' | 'REQUEST_FAILED';

/** What every {@link WaiterError} knows about the wait that ended with it. */
export interface WaiterErrorContext<K extends ResourceKind = ResourceKind> {
  readonly kind: K;
  readonly id: string;
  /** The last successful `Get…` response, if there was one. */
  readonly lastResource: ResourceByKind[K] | undefined;
  /** Each status observed, in order. */
  readonly history: readonly StatusObservation[];
  /** Requests sent, retries included. */
  readonly attempts: number;
  /** Milliseconds from the start of the wait to this error. */
  readonly elapsedMs: number;
  /** The error behind this one, if any (an `AmazonMLError`, a network error…). */
  readonly cause?: unknown;
}

const CODES: ReadonlySet<string> = new Set([
  'RESOURCE_FAILED',
  'RESOURCE_DELETED',
  'WAIT_TIMEOUT',
  'REQUEST_FAILED',
]);

/**
 * Base class of the four ways a wait can fail: {@link ResourceFailedError}, {@link ResourceDeletedError},
 * {@link WaitTimeoutError} and {@link WaitRequestError}. An abort is not one of them: it rejects with
 * `signal.reason` unchanged.
 *
 * Every instance carries the `kind` and `id` waited on, the `lastResource` seen, the status `history`,
 * the number of requests sent (`attempts`), `elapsedMs`, and `cause` where there is one.
 */
export abstract class WaiterError<K extends ResourceKind = ResourceKind> extends Error {
  abstract readonly code: WaiterErrorCode;
  readonly kind: K;
  readonly id: string;
  readonly lastResource: ResourceByKind[K] | undefined;
  readonly history: readonly StatusObservation[];
  readonly attempts: number;
  readonly elapsedMs: number;
  /** Brand checked by {@link isWaiterError}, so guards work across duplicate installs. */
  readonly isAmlWaiterError = true as const;

  constructor(message: string, context: WaiterErrorContext<K>) {
    super(message, 'cause' in context ? { cause: context.cause } : undefined);
    this.kind = context.kind;
    this.id = context.id;
    this.lastResource = context.lastResource;
    this.history = Object.freeze([...context.history]);
    this.attempts = context.attempts;
    this.elapsedMs = context.elapsedMs;
  }

  /** The last status seen, if any. */
  get lastStatus(): StatusObservation['status'] | undefined {
    return this.history.at(-1)?.status;
  }

  /** A plain, JSON-safe form (no stack): what the CLI prints with `--json`. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      kind: this.kind,
      id: this.id,
      lastStatus: this.lastStatus,
      history: this.history.map(({ status, at }) => ({ status, at: at.toISOString() })),
      attempts: this.attempts,
      elapsedMs: this.elapsedMs,
      lastResource: this.lastResource,
      cause: describeCause(this.cause),
    };
  }
}

function describeCause(cause: unknown): unknown {
  if (cause === undefined) return undefined;
  if (
    typeof cause === 'object' &&
    cause !== null &&
    typeof (cause as { toJSON?: unknown }).toJSON === 'function'
  ) {
    return (cause as { toJSON: () => unknown }).toJSON();
  }
  if (cause instanceof Error) return { name: cause.name, message: cause.message };
  return typeof cause === 'object' && cause !== null ? JSON.stringify(cause) : `${cause as string | number}`;
}

/** Formats a duration for messages: `850 ms`, `41.2 s`, `12 min 5 s`, `3 h 2 min`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)} min ${totalSeconds % 60} s`;
  const totalMinutes = Math.round(totalSeconds / 60);
  return `${Math.floor(totalMinutes / 60)} h ${totalMinutes % 60} min`;
}

/**
 * `true` for any {@link WaiterError}, including one thrown by another copy of this package. Narrows to
 * {@link AnyWaiterError}, so a `switch (error.code)` reaches each class's own fields.
 */
export function isWaiterError(error: unknown): error is AnyWaiterError {
  return isBrandedWaiterError(error);
}

const isBrandedWaiterError = brandGuard(
  WaiterError,
  'isAmlWaiterError',
  (code) => typeof code === 'string' && CODES.has(code),
);

/** @internal Guard factory shared by the subclasses' `is…` functions. */
export function hasWaiterCode<C extends WaiterErrorCode>(code: C) {
  return (error: unknown): error is Extract<AnyWaiterError, { code: C }> =>
    isWaiterError(error) && error.code === code;
}
