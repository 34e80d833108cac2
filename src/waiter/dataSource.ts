import type { Observable } from 'rxjs';
import type { DataSource } from '../model/DataSource.js';
import type { WaitEvent } from './WaitEvent.js';
import type { WaitOptions } from './WaitOptions.js';
import { createWaiter, type Waiter } from './Waiter.js';
import { waitFor } from './waitFor.js';
import { watch } from './watch.js';

/**
 * Waits for the data source `id` to reach `COMPLETED` and resolves with it (`GetDataSource` output). Polling starts at once.
 *
 * **Rejects** with `ResourceFailedError` (FAILED), `ResourceDeletedError` (DELETED), `WaitTimeoutError`
 * (deadline) or `WaitRequestError` (request failed), or with `signal.reason` when aborted. Invalid
 * arguments reject with a `TypeError`/`RangeError` before any request.
 *
 * @example
 * ```ts
 * import { waitForDataSource } from 'aml-waiter';
 * const resource = await waitForDataSource('ds-123', { timeoutMs: 3_600_000 });
 * ```
 */
export function waitForDataSource(id: string, options?: WaitOptions): Promise<DataSource> {
  return waitFor('DataSource', id, options);
}

/**
 * A cold Observable of the wait's events for the data source `id`; each subscription is one wait. Completes after
 * the `COMPLETED` transition; errors as {@link waitForDataSource} rejects. Invalid arguments throw synchronously.
 *
 * @example
 * ```ts
 * import { watchDataSource } from 'aml-waiter';
 * watchDataSource('ds-123').subscribe((event) => console.log(event.type, event.elapsedMs));
 * ```
 */
export function watchDataSource(id: string, options?: WaitOptions): Observable<WaitEvent<'DataSource'>> {
  return watch('DataSource', id, options);
}

/**
 * Starts waiting for the data source `id` and returns a typed event emitter that is also async-iterable, with
 * `result` and `cancel()`. Invalid arguments throw synchronously.
 *
 * @example
 * ```ts
 * import { createDataSourceWaiter } from 'aml-waiter';
 * const waiter = createDataSourceWaiter('ds-123');
 * for await (const event of waiter) console.log(event.type);
 * ```
 */
export function createDataSourceWaiter(id: string, options?: WaitOptions): Waiter<'DataSource'> {
  return createWaiter('DataSource', id, options);
}
