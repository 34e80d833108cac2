import type { Clock } from '../model/Clock.js';
import { QueuedSleep, SleepQueue } from './SleepQueue.js';

/**
 * @internal Resolves after `delayMs` on `clock`; rejects with `signal.reason` as soon as `signal` aborts.
 * Leaves nothing queued and no listener behind on any path. It is p-retry's sleep, between the retries of
 * one poll; it sleeps in the clock's {@link SleepQueue}, as the wait loop's own sleeps do.
 */
export function sleep(clock: Clock, delayMs: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason as Error);
      return;
    }
    const queue = SleepQueue.of(clock);
    const onAbort = (): void => {
      queue.remove(slept);
      reject((signal as AbortSignal).reason as Error);
    };
    const slept = new QueuedSleep(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    queue.add(slept, delayMs);
  });
}
