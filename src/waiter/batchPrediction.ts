import type { Observable } from 'rxjs';
import type { BatchPrediction } from '../model/BatchPrediction.js';
import type { WaitEvent } from './WaitEvent.js';
import type { WaitOptions } from './WaitOptions.js';
import { createWaiter, type Waiter } from './Waiter.js';
import { waitFor } from './waitFor.js';
import { watch } from './watch.js';

/**
 * Waits for the batch prediction `id` to reach `COMPLETED` and resolves with it (`GetBatchPrediction` output). Polling starts at once.
 *
 * **Rejects** with `ResourceFailedError` (FAILED), `ResourceDeletedError` (DELETED), `WaitTimeoutError`
 * (deadline) or `WaitRequestError` (request failed), or with `signal.reason` when aborted. Invalid
 * arguments reject with a `TypeError`/`RangeError` before any request.
 *
 * @example
 * ```ts
 * import { waitForBatchPrediction } from 'aml-waiter';
 * const resource = await waitForBatchPrediction('bp-123', { timeoutMs: 3_600_000 });
 * ```
 */
export function waitForBatchPrediction(id: string, options?: WaitOptions): Promise<BatchPrediction> {
  return waitFor('BatchPrediction', id, options);
}

/**
 * A cold Observable of the wait's events for the batch prediction `id`; each subscription is one wait. Completes after
 * the `COMPLETED` transition; errors as {@link waitForBatchPrediction} rejects. Invalid arguments throw synchronously.
 *
 * @example
 * ```ts
 * import { watchBatchPrediction } from 'aml-waiter';
 * watchBatchPrediction('bp-123').subscribe((event) => console.log(event.type, event.elapsedMs));
 * ```
 */
export function watchBatchPrediction(
  id: string,
  options?: WaitOptions,
): Observable<WaitEvent<'BatchPrediction'>> {
  return watch('BatchPrediction', id, options);
}

/**
 * Starts waiting for the batch prediction `id` and returns a typed event emitter that is also async-iterable, with
 * `result` and `cancel()`. Invalid arguments throw synchronously.
 *
 * @example
 * ```ts
 * import { createBatchPredictionWaiter } from 'aml-waiter';
 * const waiter = createBatchPredictionWaiter('bp-123');
 * for await (const event of waiter) console.log(event.type);
 * ```
 */
export function createBatchPredictionWaiter(id: string, options?: WaitOptions): Waiter<'BatchPrediction'> {
  return createWaiter('BatchPrediction', id, options);
}
