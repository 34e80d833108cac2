import type { Observable } from 'rxjs';
import type { ResourceKind } from '../model/ResourceKind.js';
import { resolveWaitOptions } from './resolveWaitOptions.js';
import type { WaitEvent } from './WaitEvent.js';
import type { WaitOptions } from './WaitOptions.js';
import { waitStream } from './waitStream.js';

/**
 * A cold Observable of the {@link WaitEvent}s of a wait on any Amazon ML resource: each subscription is
 * one wait, started on subscribe. It completes right after the `COMPLETED` transition and errors with
 * the same error the promise face would reject with. Invalid arguments throw here, synchronously.
 *
 * @example
 * ```ts
 * import { watch } from 'aml-waiter';
 * watch('Evaluation', 'ev-1').subscribe((event) => console.log(event.type));
 * ```
 */
export function watch<K extends ResourceKind>(
  kind: K,
  id: string,
  options?: WaitOptions,
): Observable<WaitEvent<K>> {
  return waitStream(resolveWaitOptions(kind, id, options));
}
