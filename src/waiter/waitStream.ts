// Deep imports: the same rxjs modules (and classes) as the root entry, without loading all of rxjs at start-up.
import { Observable } from 'rxjs/internal/Observable';
import { EMPTY } from 'rxjs/internal/observable/empty';
import { expand } from 'rxjs/internal/operators/expand';
import type { Subscriber } from 'rxjs';
import { loadOpenTelemetryApi, openTelemetryApi } from '../client/openTelemetryApi.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import type { ResolvedWaitOptions } from './resolveWaitOptions.js';
import type { WaitEvent } from './WaitEvent.js';
import { WaitSession } from './WaitSession.js';
import { scheduleOnClock } from './sleep.js';
import { publishWaitEvent } from './waitChannels.js';
import { WaitTrace } from './WaitTrace.js';

/**
 * @internal The poll stream behind every face of the waiter: a cold Observable where each subscription is
 * one wait. It polls at once, then after each `wait` event's delay, until a terminal status.
 */
export function waitStream<K extends ResourceKind>(
  options: ResolvedWaitOptions<K>,
): Observable<WaitEvent<K>> {
  return new Observable<WaitEvent<K>>((subscriber) => {
    if (options.signal?.aborted) {
      subscriber.error(options.signal.reason);
      return undefined;
    }
    if (options.telemetry === undefined || openTelemetryApi() !== undefined)
      return runWait(options, subscriber);
    // Telemetry's first use: load @opentelemetry/api, then start (the caller's context travels with the promise).
    let teardown: (() => void) | undefined;
    let closed = false;
    loadOpenTelemetryApi().then(
      () => {
        if (closed) return;
        // The signal may have aborted while the API loaded.
        if (options.signal?.aborted) subscriber.error(options.signal.reason);
        else teardown = runWait(options, subscriber);
      },
      (error: unknown) => {
        subscriber.error(error);
      },
    );
    return () => {
      closed = true;
      teardown?.();
    };
  });
}

/** One wait: polls until a terminal status, pushing its events to `subscriber`; returns the teardown. */
function runWait<K extends ResourceKind>(
  options: ResolvedWaitOptions<K>,
  subscriber: Subscriber<WaitEvent<K>>,
): () => void {
  const { signal, clock } = options;
  const { client, release } = options.acquireClient();
  const session = new WaitSession(options, client);
  // Undefined (nothing allocated) unless telemetry is on or someone subscribes to the wait channel.
  const trace = WaitTrace.start(options);

  // One cycle as an Observable: sleep `delayMs` on the clock, then one poll (with its retries). Unsubscribing
  // cancels the sleep, or aborts the in-flight request and any retry sleep. Sleep and poll share one Observable
  // (not a timer piped into an operator) because a wait spends most of its life asleep here: it keeps one
  // subscriber, not two.
  const cycle = (delayMs: number): Observable<WaitEvent<K>> =>
    new Observable<WaitEvent<K>>((inner) => {
      let controller: AbortController | undefined;
      let settled = false;
      const poll = (): void => {
        const pollSignal = (controller = new AbortController()).signal;
        const emit = (event: WaitEvent<K>): void => {
          trace?.event(event);
          publishWaitEvent(event);
          inner.next(event);
        };
        (trace === undefined
          ? session.poll(emit, pollSignal)
          : trace.run(() => session.poll(emit, pollSignal))
        ).then(
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
    trace?.end(signal?.reason);
    subscriber.error(signal?.reason);
  };
  signal?.addEventListener('abort', onAbort, { once: true });

  const initialDelayMs = session.initialDelayMs();
  const cycles = cycle(initialDelayMs).pipe(
    expand((event) => (event.type === 'wait' ? cycle(event.delayMs) : EMPTY)),
  );
  const subscription =
    trace === undefined
      ? cycles.subscribe(subscriber)
      : trace.begin(() => cycles.subscribe(trace.observe(subscriber)));

  return () => {
    signal?.removeEventListener('abort', onAbort);
    trace?.end(undefined, true);
    subscription.unsubscribe();
    session.end();
    release();
  };
}
