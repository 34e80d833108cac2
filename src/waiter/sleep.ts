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
 * @internal What wakes a sleep early. {@link ring} ends the {@link sleep} given it at once (as if its delay
 * had passed); rung while no sleep runs, it makes the next one end at once.
 */
export class Alarm {
  /** Set while a sleep runs. */
  wake: (() => void) | undefined = undefined;
  /** Rung while no sleep ran. */
  pending = false;

  ring(): void {
    if (this.wake === undefined) this.pending = true;
    else this.wake();
  }
}

/**
 * @internal Resolves after `delayMs` on `clock`, or as soon as `alarm` rings; rejects with
 * `signal.reason` as soon as `signal` aborts. Leaves no timer and no listener behind on any path.
 */
export function sleep(
  clock: Clock,
  delayMs: number,
  signal: AbortSignal | undefined,
  alarm?: Alarm,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal === undefined && alarm === undefined) {
      scheduleOnClock(clock, delayMs, resolve);
      return;
    }
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    if (alarm?.pending === true) {
      alarm.pending = false;
      resolve();
      return;
    }
    const end = (): void => {
      if (alarm !== undefined) alarm.wake = undefined;
      signal?.removeEventListener('abort', onAbort);
    };
    const onAbort = (): void => {
      cancel();
      end();
      reject((signal as AbortSignal).reason as Error);
    };
    const cancel = scheduleOnClock(clock, delayMs, () => {
      end();
      resolve();
    });
    if (alarm !== undefined) {
      alarm.wake = () => {
        cancel();
        end();
        resolve();
      };
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
