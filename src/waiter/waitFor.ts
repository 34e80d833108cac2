import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';
import { resolveWaitOptions } from './resolveWaitOptions.js';
import type { WaitOptions } from './WaitOptions.js';
import { runWait } from './runWait.js';

/**
 * Waits for any Amazon ML resource to reach `COMPLETED` and resolves with it. Polling starts at once.
 *
 * **Rejects** (unlike the AWS SDK's deprecated `waitFor…`, which returns a result object) with
 * `ResourceFailedError`, `ResourceDeletedError`, `WaitTimeoutError` or `WaitRequestError`, or with
 * `signal.reason` when aborted; with a `TypeError`/`RangeError` for invalid arguments, before any request.
 *
 * @example
 * ```ts
 * import { waitFor } from 'aml-waiter';
 * const model = await waitFor('MLModel', 'ml-123', { timeoutMs: 3_600_000 });
 * ```
 */
export function waitFor<K extends ResourceKind>(
  kind: K,
  id: string,
  options?: WaitOptions,
): Promise<ResourceByKind[K]> {
  let resolved;
  try {
    resolved = resolveWaitOptions(kind, id, options);
  } catch (error) {
    // Validation throws TypeErrors and RangeErrors only.
    return Promise.reject(error instanceof Error ? error : new TypeError('Invalid arguments.'));
  }
  // Nobody listens to the events of a promise: none are built. The wait follows the caller's signal itself,
  // with one entry on it (see WaitSession.run), not a controller of its own.
  return runWait(resolved, undefined, resolved.signal);
}
