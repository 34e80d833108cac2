import type { Logger } from '../model/Logger.js';
import type { HttpExchange } from './sendRequest.js';

/** A clock skew at least this large (server `Date` vs local time) triggers correction and one retry. */
const CLOCK_SKEW_THRESHOLD_MS = 4 * 60_000;

/** Error types that may mean "your clock is wrong" (signature or request expiry). */
const CLOCK_SKEW_ERRORS: ReadonlySet<string> = new Set([
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'RequestExpired',
  'RequestInTheFuture',
  'RequestTimeTooSkewed',
  'AuthFailure',
]);

/**
 * The client's view of the service's clock: the wall clock plus an offset learnt from a response `Date`
 * when a signature or expiry error comes with a `Date` 4 minutes or more away from local time.
 * @internal
 */
export class ClockSkew {
  readonly #wallClock: () => number;
  readonly #logger: Logger;
  #offsetMs = 0;

  constructor(wallClock: () => number, logger: Logger) {
    this.#wallClock = wallClock;
    this.#logger = logger;
  }

  /** The time to sign with: local wall-clock time corrected by the learnt offset. */
  now(): number {
    return this.#wallClock() + this.#offsetMs;
  }

  /**
   * After an error whose code is `errorType`: updates the offset from the response `Date` if the error may
   * mean a wrong clock and the `Date` is ≥ 4 minutes off. `true` if it did (the caller retries once).
   */
  correct(errorType: string, headers: HttpExchange['headers']): boolean {
    if (!CLOCK_SKEW_ERRORS.has(errorType)) return false;
    const date = headers.date;
    const serverMs = Date.parse(Array.isArray(date) ? (date[0] ?? '') : (date ?? ''));
    if (Number.isNaN(serverMs)) return false;
    if (Math.abs(serverMs - this.now()) < CLOCK_SKEW_THRESHOLD_MS) return false;
    this.#offsetMs = serverMs - this.#wallClock();
    this.#logger.warn(
      { clockOffsetMs: this.#offsetMs },
      'Local clock differs from Amazon ML by 4 minutes or more; correcting and retrying once',
    );
    return true;
  }
}
