// A deep import: the same module (and class) as the root entry, without loading all of rxjs at start-up.
import { Observable } from 'rxjs/internal/Observable';
import type { ResourceKind } from '../model/ResourceKind.js';
import { followAbort } from './followAbort.js';
import type { ResolvedWaitOptions } from './resolveWaitOptions.js';
import { runWait } from './runWait.js';
import type { WaitEvent } from './WaitEvent.js';
import { UNSUBSCRIBED } from './WaitTrace.js';

/**
 * @internal The Observable face: one small adapter from the wait loop to a cold Observable, where each
 * subscription is one wait. Events go to `next`; the loop's end completes or errors the stream;
 * unsubscribing aborts the wait (the sleep, or the request in flight and its retries).
 */
export function waitStream<K extends ResourceKind>(
  options: ResolvedWaitOptions<K>,
): Observable<WaitEvent<K>> {
  return new Observable<WaitEvent<K>>((subscriber) => {
    const { controller, unfollow } = followAbort(options.signal);
    runWait(
      options,
      (event) => {
        subscriber.next(event);
      },
      controller.signal,
    ).then(
      () => {
        unfollow();
        subscriber.complete();
      },
      (error: unknown) => {
        unfollow();
        subscriber.error(error);
      },
    );
    return () => {
      unfollow();
      // After the end this is a no-op; before it, the subscriber left without an outcome.
      controller.abort(UNSUBSCRIBED);
    };
  });
}
