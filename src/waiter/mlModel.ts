import type { Observable } from 'rxjs';
import type { MLModel } from '../model/MLModel.js';
import type { WaitEvent } from './WaitEvent.js';
import type { WaitOptions } from './WaitOptions.js';
import { createWaiter, type Waiter } from './Waiter.js';
import { waitFor } from './waitFor.js';
import { watch } from './watch.js';

/**
 * Waits for the ML model `id` to reach `COMPLETED` and resolves with it (`GetMLModel` output). Polling starts at once.
 *
 * **Rejects** with `ResourceFailedError` (FAILED), `ResourceDeletedError` (DELETED), `WaitTimeoutError`
 * (deadline) or `WaitRequestError` (request failed), or with `signal.reason` when aborted. Invalid
 * arguments reject with a `TypeError`/`RangeError` before any request.
 *
 * @example
 * ```ts
 * import { waitForMLModel } from 'aml-waiter';
 * const resource = await waitForMLModel('ml-123', { timeoutMs: 3_600_000 });
 * ```
 */
export function waitForMLModel(id: string, options?: WaitOptions): Promise<MLModel> {
  return waitFor('MLModel', id, options);
}

/**
 * A cold Observable of the wait's events for the ML model `id`; each subscription is one wait. Completes after
 * the `COMPLETED` transition; errors as {@link waitForMLModel} rejects. Invalid arguments throw synchronously.
 *
 * @example
 * ```ts
 * import { watchMLModel } from 'aml-waiter';
 * watchMLModel('ml-123').subscribe((event) => console.log(event.type, event.elapsedMs));
 * ```
 */
export function watchMLModel(id: string, options?: WaitOptions): Observable<WaitEvent<'MLModel'>> {
  return watch('MLModel', id, options);
}

/**
 * Starts waiting for the ML model `id` and returns a typed event emitter that is also async-iterable, with
 * `result` and `cancel()`. Invalid arguments throw synchronously.
 *
 * @example
 * ```ts
 * import { createMLModelWaiter } from 'aml-waiter';
 * const waiter = createMLModelWaiter('ml-123');
 * for await (const event of waiter) console.log(event.type);
 * ```
 */
export function createMLModelWaiter(id: string, options?: WaitOptions): Waiter<'MLModel'> {
  return createWaiter('MLModel', id, options);
}
