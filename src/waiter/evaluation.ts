import type { Observable } from 'rxjs';
import type { Evaluation } from '../model/Evaluation.js';
import type { WaitEvent } from './WaitEvent.js';
import type { WaitOptions } from './WaitOptions.js';
import { createWaiter, type Waiter } from './Waiter.js';
import { waitFor } from './waitFor.js';
import { watch } from './watch.js';

/**
 * Waits for the evaluation `id` to reach `COMPLETED` and resolves with it (`GetEvaluation` output). Polling starts at once.
 *
 * **Rejects** with `ResourceFailedError` (FAILED), `ResourceDeletedError` (DELETED), `WaitTimeoutError`
 * (deadline) or `WaitRequestError` (request failed), or with `signal.reason` when aborted. Invalid
 * arguments reject with a `TypeError`/`RangeError` before any request.
 *
 * @example
 * ```ts
 * import { waitForEvaluation } from 'aml-waiter';
 * const resource = await waitForEvaluation('ev-123', { timeoutMs: 3_600_000 });
 * ```
 */
export function waitForEvaluation(id: string, options?: WaitOptions): Promise<Evaluation> {
  return waitFor('Evaluation', id, options);
}

/**
 * A cold Observable of the wait's events for the evaluation `id`; each subscription is one wait. Completes after
 * the `COMPLETED` transition; errors as {@link waitForEvaluation} rejects. Invalid arguments throw synchronously.
 *
 * @example
 * ```ts
 * import { watchEvaluation } from 'aml-waiter';
 * watchEvaluation('ev-123').subscribe((event) => console.log(event.type, event.elapsedMs));
 * ```
 */
export function watchEvaluation(id: string, options?: WaitOptions): Observable<WaitEvent<'Evaluation'>> {
  return watch('Evaluation', id, options);
}

/**
 * Starts waiting for the evaluation `id` and returns a typed event emitter that is also async-iterable, with
 * `result` and `cancel()`. Invalid arguments throw synchronously.
 *
 * @example
 * ```ts
 * import { createEvaluationWaiter } from 'aml-waiter';
 * const waiter = createEvaluationWaiter('ev-123');
 * for await (const event of waiter) console.log(event.type);
 * ```
 */
export function createEvaluationWaiter(id: string, options?: WaitOptions): Waiter<'Evaluation'> {
  return createWaiter('Evaluation', id, options);
}
