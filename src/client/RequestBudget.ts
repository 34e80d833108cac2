import type { Clock } from '../model/Clock.js';
import { systemClock } from '../model/Clock.js';
import { offAbort, onAbort } from './onAbort.js';

/** Options of {@link RequestBudget}. */
interface RequestBudgetOptions {
  /** Requests per second when the service is not throttling. */
  readonly maxRequestsPerSecond: number;
  /** Requests that may go at once after a quiet spell. Default: `maxRequestsPerSecond` (at least 1). */
  readonly burst?: number | undefined;
  /** Lowest rate throttling can push the budget down to. Default: 1/10 of the maximum (at least 0.1/s). */
  readonly minRequestsPerSecond?: number | undefined;
  /** Time source (virtual in tests). Default: the system clock. */
  readonly clock?: Clock | undefined;
}

interface Waiting {
  readonly resolve: () => void;
  readonly reject: (reason: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: () => void;
}

/** Share of the rate kept after each throttling response (multiplicative decrease). */
const DECREASE = 0.5;
/** Share of the maximum rate regained per second without throttling (additive increase). */
const INCREASE_PER_SECOND = 0.1;

/**
 * A token bucket shared by every request of one client, so that a thousand waits never turn into a
 * throttling storm. It adapts like TCP congestion control: each throttling response halves the rate
 * (down to `minRequestsPerSecond`), and every second without one gives back a tenth of the maximum.
 * Requests queue in order; a queued request whose signal aborts leaves the queue at once.
 */
export class RequestBudget {
  readonly maxRate: number;
  readonly minRate: number;
  readonly burst: number;
  readonly #clock: Clock;
  #rate: number;
  #tokens: number;
  #updatedAt: number;
  #lastThrottleAt = Number.NEGATIVE_INFINITY;
  readonly #queue: Waiting[] = [];
  #timer: unknown;

  constructor(options: RequestBudgetOptions) {
    const max = options.maxRequestsPerSecond;
    if (typeof max !== 'number' || !Number.isFinite(max) || max <= 0) {
      throw new RangeError(
        `Expected \`maxRequestsPerSecond\` to be a finite number > 0, got ${String(max)}.`,
      );
    }
    this.maxRate = max;
    this.minRate = Math.min(max, options.minRequestsPerSecond ?? Math.max(0.1, max / 10));
    this.burst = Math.max(1, options.burst ?? max);
    this.#clock = options.clock ?? systemClock;
    this.#rate = max;
    this.#tokens = this.burst;
    this.#updatedAt = this.#clock.now();
  }

  /** The current rate in requests per second. */
  get rate(): number {
    this.#refill();
    return this.#rate;
  }

  /** Requests waiting for a token. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Resolves when the request may go; rejects with `signal.reason` if it aborts first. */
  take(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    this.#refill();
    if (this.#queue.length === 0 && this.#tokens >= 1) {
      this.#tokens -= 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const entry: Waiting = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const index = this.#queue.indexOf(entry);
          if (index !== -1) this.#queue.splice(index, 1);
          reject(signal?.reason as Error);
          if (this.#queue.length === 0) this.#cancelTimer();
        },
      };
      if (signal !== undefined) onAbort(signal, entry.onAbort);
      this.#queue.push(entry);
      this.#schedule();
    });
  }

  /** The service throttled a request: halve the rate. */
  onThrottled(): void {
    this.#refill();
    this.#lastThrottleAt = this.#clock.now();
    this.#rate = Math.max(this.minRate, this.#rate * DECREASE);
    this.#tokens = Math.min(this.#tokens, 0);
    this.#cancelTimer();
    this.#schedule();
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsedS = Math.max(0, now - this.#updatedAt) / 1000;
    this.#updatedAt = now;
    if (this.#rate < this.maxRate && now > this.#lastThrottleAt) {
      this.#rate = Math.min(this.maxRate, this.#rate + this.maxRate * INCREASE_PER_SECOND * elapsedS);
    }
    this.#tokens = Math.min(this.burst, this.#tokens + elapsedS * this.#rate);
  }

  #schedule(): void {
    if (this.#timer !== undefined || this.#queue.length === 0) return;
    const waitMs = Math.max(0, ((1 - this.#tokens) / this.#rate) * 1000);
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#refill();
      while (this.#queue.length > 0 && this.#tokens >= 1) {
        this.#tokens -= 1;
        const next = this.#queue.shift() as Waiting;
        if (next.signal !== undefined) offAbort(next.signal, next.onAbort);
        next.resolve();
      }
      this.#schedule();
    }, Math.ceil(waitMs));
  }

  #cancelTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
