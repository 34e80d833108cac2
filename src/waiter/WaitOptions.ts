import type { Clock } from '../model/Clock.js';
import type { Logger } from '../model/Logger.js';
import type { AmazonMLClient, AmazonMLClientConfig } from '../client/AmazonMLClient.js';
import type { TelemetryOption } from '../client/TelemetryOption.js';
import type { BackoffStrategy } from './backoff.js';
import type { WaitCheckpoint } from './WaitCheckpoint.js';

/** Limits for retrying one poll's transient failures (throttling, 5xx, network, request timeouts). */
export interface RetryOptions {
  /**
   * Retries of one poll before the wait fails with `WaitRequestError`.
   * @default 4
   */
  readonly retries?: number | undefined;
  /**
   * Delay before the first retry, in milliseconds (at least 1 s for throttling). Later retries double it,
   * with jitter; a `Retry-After` from the service is honoured when longer.
   * @default 500
   */
  readonly minTimeoutMs?: number | undefined;
  /**
   * Longest computed delay between two retries of one poll, in milliseconds.
   * @default 20000
   */
  readonly maxTimeoutMs?: number | undefined;
}

/**
 * Anything with the `get` method of {@link AmazonMLClient}: the waiter needs nothing else. Pass an
 * `AmazonMLClient` to share connections, credentials and config between waits.
 */
export type AmazonMLClientLike = Pick<AmazonMLClient, 'get'>;

/**
 * How waits on a shared client read their resources: `'get'` always with `Get…` (shared between
 * concurrent waits on the same id), `'list'` with one paginated `Describe…` per interval for all watched
 * resources of the kind (falling back to `Get…` for ids the list has not shown), `'auto'` (default):
 * `'list'` once 50 or more resources of one kind are watched through the same client.
 */
export type PollingMode = 'auto' | 'get' | 'list';

/** Options of every `waitFor…`, `watch…` and `create…Waiter` function. All are optional and validated before any request. */
export interface WaitOptions {
  /**
   * Overall deadline in milliseconds. A last poll is made at the deadline; if the resource is still not
   * terminal, the wait fails with `WaitTimeoutError` — never before `timeoutMs`, and at most one request
   * timeout after it.
   * @default 604800000 (7 days: the service's job runtime limit, so a default wait can't outlive any job)
   */
  readonly timeoutMs?: number | undefined;
  /**
   * First and smallest delay between two polls, in milliseconds.
   * @default 2000
   */
  readonly minDelayMs?: number | undefined;
  /**
   * Largest delay between two polls, in milliseconds (jitter stays on at this cap).
   * @default 120000
   */
  readonly maxDelayMs?: number | undefined;
  /**
   * Cancels the wait. Already aborted → no request at all; on abort the in-flight request is cancelled,
   * nothing more is sent, and the wait rejects with `signal.reason` unchanged.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * For this many milliseconds after the wait starts, `ResourceNotFoundException` means "not visible
   * yet" (eventual consistency right after `Create…`) and polling goes on; after it, the wait fails.
   * @default 15000
   */
  readonly notFoundGraceMs?: number | undefined;
  /** Limits for retrying one poll's transient failures with p-retry. */
  readonly retry?: RetryOptions | undefined;
  /**
   * The client to poll with: an `AmazonMLClient` (shared, not closed by the wait) or the config to make
   * one (owned by the wait and closed when it ends). Default: a client configured from the environment.
   */
  readonly client?: AmazonMLClientLike | AmazonMLClientConfig | undefined;
  /** A pino/console-shaped logger; never receives secrets. Default: silent. */
  readonly logger?: Logger | undefined;
  /**
   * The time source for delays and the deadline. Inject a `VirtualClock` (from `aml-waiter/emulator`)
   * to run a wait in virtual time. Default: the system clock.
   */
  readonly clock?: Clock | undefined;
  /** The random source of jitter, returning numbers in `[0, 1)`. Default: `Math.random`. */
  readonly random?: (() => number) | undefined;
  /** The polling delay strategy. Default: `exponentialJitterBackoff`. */
  readonly backoff?: BackoffStrategy | undefined;
  /**
   * How to read the resource when many waits share a client (see {@link PollingMode}).
   * @default 'auto'
   */
  readonly polling?: PollingMode | undefined;
  /**
   * Continue a wait from a checkpoint (an event's or a waiter's `checkpoint`, or its JSON text) instead
   * of starting a new one: same deadline, history, attempts and place in the delay schedule; the first
   * poll happens when the checkpoint's next poll was due. `timeoutMs` is then ignored. See `resumeWait`.
   */
  readonly checkpoint?: WaitCheckpoint | string | undefined;
  /**
   * Reports the wait to OpenTelemetry: a span `aml-waiter.wait` (a child of the caller's active context,
   * with an event per transition and retry, the client's request spans as children) and wait metrics.
   * `true` for the global providers, or `{ tracerProvider, meterProvider }`; `false` turns it off even on a
   * client that has it. Needs the optional peer dependency `@opentelemetry/api`. See docs/observability.md.
   * @default the client's `telemetry` (off)
   */
  readonly telemetry?: TelemetryOption | undefined;
}

/** The defaults of {@link WaitOptions}, with their reasons in the README ("Defaults"). */
export const WAIT_DEFAULTS = Object.freeze({
  timeoutMs: 7 * 24 * 60 * 60 * 1000,
  minDelayMs: 2000,
  maxDelayMs: 120_000,
  notFoundGraceMs: 15_000,
  retries: 4,
  retryMinTimeoutMs: 500,
  retryMaxTimeoutMs: 20_000,
});
