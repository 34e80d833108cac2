/**
 * The source of time for everything that waits: the waiter's delays and deadlines, and the emulator's
 * lifecycles. Inject a virtual clock in tests to run hours of waiting in milliseconds.
 */
export interface Clock {
  /** Milliseconds on a monotonic scale (only differences matter). */
  now(): number;
  /** Wall-clock milliseconds since the epoch, used for timestamps (`history[].at`, `nextPollAt`). */
  wallNow(): number;
  /** Calls `callback` after `delayMs` milliseconds; returns a handle for {@link Clock.clearTimeout}. */
  setTimeout(callback: () => void, delayMs: number): unknown;
  /** Cancels a callback scheduled with {@link Clock.setTimeout}. */
  clearTimeout(handle: unknown): void;
}

/** The real clock: `performance.now()`, `Date.now()` and the global timers. */
export const systemClock: Clock = Object.freeze({
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimeout: (callback: () => void, delayMs: number): unknown => setTimeout(callback, delayMs),
  clearTimeout: (handle: unknown): void => {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
});

/** Longest delay `setTimeout` can represent (2³¹−1 ms, about 24.8 days); a longer one fires after 1 ms instead. */
export const MAX_TIMER_MS = 2 ** 31 - 1;
