import { MAX_TIMER_MS, type Clock } from '../model/Clock.js';

/**
 * @internal Calls `callback` after `delayMs` on `clock`, in steps of at most {@link MAX_TIMER_MS}, so any
 * delay works with the real `setTimeout`. Returns the function that cancels it.
 */
function scheduleOnClock(clock: Clock, delayMs: number, callback: () => void): () => void {
  let handle: unknown;
  let cancelled = false;
  const arm = (left: number): void => {
    const step = Math.min(left, MAX_TIMER_MS);
    handle = clock.setTimeout(() => {
      if (cancelled) return;
      if (left > step) arm(left - step);
      else callback();
    }, step);
  };
  arm(Math.max(0, delayMs));
  return () => {
    cancelled = true;
    clock.clearTimeout(handle);
  };
}

/**
 * @internal Resolves after `delayMs` on `clock`; rejects with `signal.reason` as soon as `signal` aborts.
 * Leaves no timer and no listener behind on any path. (The wait loop's own sleeps don't use it: they are
 * a timer and a callback of the session; this one is p-retry's, between the retries of one poll.)
 */
export function sleep(clock: Clock, delayMs: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal === undefined) {
      scheduleOnClock(clock, delayMs, resolve);
      return;
    }
    if (signal.aborted) {
      reject(signal.reason as Error);
      return;
    }
    const onAbort = (): void => {
      cancel();
      reject(signal.reason as Error);
    };
    const cancel = scheduleOnClock(clock, delayMs, () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
