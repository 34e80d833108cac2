// Deep imports: the same rxjs modules (and classes) as the root entry, without loading all of rxjs at start-up.
import { Observable } from 'rxjs/internal/Observable';
import { EMPTY } from 'rxjs/internal/observable/empty';
import { expand } from 'rxjs/internal/operators/expand';
import type { ResourceKind } from '../model/ResourceKind.js';
import type { ResolvedWaitOptions } from './resolveWaitOptions.js';
import type { WaitEvent } from './WaitEvent.js';
import { WaitSession } from './WaitSession.js';
import { scheduleOnClock } from './sleep.js';

/**
 * @internal The poll stream behind every face of the waiter: a cold Observable where each subscription is
 * one wait. It polls at once, then after each `wait` event's delay, until a terminal status.
 */
export function waitStream<K extends ResourceKind>(
  options: ResolvedWaitOptions<K>,
): Observable<WaitEvent<K>> {
  return new Observable<WaitEvent<K>>((subscriber) => {
    const { signal, clock } = options;
    if (signal?.aborted) {
      subscriber.error(signal.reason);
      return undefined;
    }
    const { client, release } = options.acquireClient();
    const session = new WaitSession(options, client);

    // One cycle as an Observable: sleep `delayMs` on the clock, then one poll (with its retries). Unsubscribing
    // cancels the sleep, or aborts the in-flight request and any retry sleep. Sleep and poll share one Observable
    // (not a timer piped into an operator) because a wait spends most of its life asleep here: it keeps one
    // subscriber, not two.
    const cycle = (delayMs: number): Observable<WaitEvent<K>> =>
      new Observable<WaitEvent<K>>((inner) => {
        let controller: AbortController | undefined;
        let settled = false;
        const poll = (): void => {
          controller = new AbortController();
          session
            .poll((event) => {
              inner.next(event);
            }, controller.signal)
            .then(
              (nextDelayMs) => {
                settled = true;
                if (nextDelayMs !== null) inner.next(session.waitEvent(nextDelayMs));
                inner.complete();
              },
              (error: unknown) => {
                settled = true;
                inner.error(error);
              },
            );
        };
        const cancelSleep = delayMs > 0 ? scheduleOnClock(clock, delayMs, poll) : (poll(), undefined);
        return () => {
          cancelSleep?.();
          // Only a poll still running has anything to cancel.
          if (!settled) controller?.abort();
        };
      });

    const onAbort = (): void => {
      subscriber.error(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    const initialDelayMs = session.initialDelayMs();
    const subscription = cycle(initialDelayMs)
      .pipe(expand((event) => (event.type === 'wait' ? cycle(event.delayMs) : EMPTY)))
      .subscribe(subscriber);

    return () => {
      signal?.removeEventListener('abort', onAbort);
      subscription.unsubscribe();
      session.end();
      release();
    };
  });
}
