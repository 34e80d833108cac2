// Deep imports: the same rxjs modules (and classes) as the root entry, without loading all of rxjs at start-up.
import { Observable } from 'rxjs/internal/Observable';
import { EMPTY } from 'rxjs/internal/observable/empty';
import { concatMap } from 'rxjs/internal/operators/concatMap';
import { expand } from 'rxjs/internal/operators/expand';
import type { Clock } from '../model/Clock.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import type { ResolvedWaitOptions } from './resolveWaitOptions.js';
import type { WaitEvent } from './WaitEvent.js';
import { WaitSession } from './WaitSession.js';
import { scheduleOnClock } from './sleep.js';

/** Emits once after `delayMs` on `clock`, then completes; unsubscribing clears the timer. */
function clockTimer(clock: Clock, delayMs: number): Observable<void> {
  return new Observable<void>((subscriber) =>
    scheduleOnClock(clock, delayMs, () => {
      subscriber.next();
      subscriber.complete();
    }),
  );
}

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

    // One poll (with its retries) as an Observable: unsubscribing aborts the in-flight request and any retry sleep.
    const cycle = (): Observable<WaitEvent<K>> =>
      new Observable<WaitEvent<K>>((inner) => {
        const controller = new AbortController();
        let settled = false;
        session
          .poll((event) => {
            inner.next(event);
          }, controller.signal)
          .then(
            (delayMs) => {
              settled = true;
              if (delayMs !== null) inner.next(session.waitEvent(delayMs));
              inner.complete();
            },
            (error: unknown) => {
              settled = true;
              inner.error(error);
            },
          );
        return () => {
          // Only a poll still running has anything to cancel.
          if (!settled) controller.abort();
        };
      });

    const onAbort = (): void => {
      subscriber.error(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    const initialDelayMs = session.initialDelayMs();
    const first = initialDelayMs > 0 ? clockTimer(clock, initialDelayMs).pipe(concatMap(cycle)) : cycle();
    const subscription = first
      .pipe(
        expand((event) =>
          event.type === 'wait' ? clockTimer(clock, event.delayMs).pipe(concatMap(cycle)) : EMPTY,
        ),
      )
      .subscribe(subscriber);

    return () => {
      signal?.removeEventListener('abort', onAbort);
      subscription.unsubscribe();
      session.end();
      release();
    };
  });
}
