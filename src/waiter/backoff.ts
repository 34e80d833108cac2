/** What a {@link BackoffStrategy} is told about the wait. */
export interface BackoffContext {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  /** A number in `[0, 1)`; injectable so schedules can be pinned in tests. */
  readonly random: () => number;
}

/**
 * Computes the delay before poll `n + 1`, where `attempt` = n ≥ 1 counts the polls made so far. Must be
 * pure apart from `random`; the waiter clamps the result to `[minDelayMs, maxDelayMs]` and to the deadline.
 */
export type BackoffStrategy = (attempt: number, context: BackoffContext) => number;

/** Growth factor of {@link exponentialJitterBackoff}. */
export const BACKOFF_FACTOR = 1.5;
/** Largest share by which {@link exponentialJitterBackoff} shortens a delay. */
const BACKOFF_JITTER = 0.2;

/**
 * The default: the delay grows by half (×1.5) from `minDelayMs` up to `maxDelayMs`, and every delay but the first is
 * shortened by a random share of up to 20% — including at the cap, so waiters started together drift
 * apart instead of polling in lock-step (the AWS JS SDK drops jitter at the cap).
 *
 * `delay(n) = clamp(min(maxDelayMs, minDelayMs · 1.5^(n−1)) · (1 − 0.2 · random()), minDelayMs, maxDelayMs)`
 */
export const exponentialJitterBackoff: BackoffStrategy = (attempt, { minDelayMs, maxDelayMs, random }) => {
  const exponent = Math.min(Math.max(attempt - 1, 0), 64);
  const base = Math.min(maxDelayMs, minDelayMs * BACKOFF_FACTOR ** exponent);
  const jittered = base * (1 - BACKOFF_JITTER * random());
  return Math.min(maxDelayMs, Math.max(minDelayMs, Math.round(jittered)));
};

/**
 * The delay before retrying one failed poll (`retryNumber` ≥ 1): "equal jitter" between half and all of
 * `min(maxTimeoutMs, minTimeoutMs · 2^(n−1))`. Throttling starts from at least one second, and a
 * server-sent `Retry-After` is honoured when it asks for longer.
 */
export function retryDelay(
  retryNumber: number,
  options: {
    readonly minTimeoutMs: number;
    readonly maxTimeoutMs: number;
    readonly throttling: boolean;
    readonly retryAfterMs: number | undefined;
    readonly random: () => number;
  },
): number {
  const floor = options.throttling
    ? Math.max(options.minTimeoutMs, THROTTLING_MIN_TIMEOUT_MS)
    : options.minTimeoutMs;
  const exponent = Math.min(Math.max(retryNumber - 1, 0), 64);
  const base = Math.min(options.maxTimeoutMs, floor * 2 ** exponent);
  const computed = Math.round(base / 2 + (base / 2) * options.random());
  return Math.max(computed, options.retryAfterMs ?? 0);
}

/** Throttled polls wait at least this long before their first retry (as the AWS SDKs do). */
const THROTTLING_MIN_TIMEOUT_MS = 1000;
