import type { Observable } from 'rxjs';
import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';
import { parseCheckpoint, type WaitCheckpoint } from './WaitCheckpoint.js';
import type { WaitEvent } from './WaitEvent.js';
import type { WaitOptions } from './WaitOptions.js';
import { Waiter } from './Waiter.js';
import { waitFor } from './waitFor.js';
import { watch } from './watch.js';

export type ResumeOptions = Omit<WaitOptions, 'checkpoint' | 'timeoutMs'>;

function target(checkpoint: WaitCheckpoint | string): { kind: ResourceKind; id: string } {
  const { kind, id } = parseCheckpoint(checkpoint);
  return { kind, id };
}

/**
 * Continues a wait from a {@link WaitCheckpoint} (taken from any event's `checkpoint`, or from
 * `waiter.checkpoint()`, possibly in another process): same deadline, history, attempts and place in the
 * delay schedule. Resolves and rejects like `waitFor…`. A bad or foreign checkpoint rejects with a
 * `TypeError` naming the field, before any request.
 *
 * @example
 * ```ts
 * import { resumeWait } from 'aml-waiter';
 * const saved = JSON.parse(await redis.get('wait:bp-123'));
 * const bp = await resumeWait(saved);
 * ```
 */
export function resumeWait<K extends ResourceKind = ResourceKind>(
  checkpoint: WaitCheckpoint<K> | string,
  options?: ResumeOptions,
): Promise<ResourceByKind[K]> {
  try {
    const { kind, id } = target(checkpoint);
    return waitFor(kind as K, id, { ...options, checkpoint });
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new TypeError('Invalid checkpoint.'));
  }
}

/** Like {@link resumeWait}, as the cold Observable of `watch…`. Throws synchronously on a bad checkpoint. */
export function resumeWatch<K extends ResourceKind = ResourceKind>(
  checkpoint: WaitCheckpoint<K> | string,
  options?: ResumeOptions,
): Observable<WaitEvent<K>> {
  const { kind, id } = target(checkpoint);
  return watch(kind as K, id, { ...options, checkpoint });
}

/** Like {@link resumeWait}, as the `Waiter` of `create…Waiter`. Throws synchronously on a bad checkpoint. */
export function resumeWaiter<K extends ResourceKind = ResourceKind>(
  checkpoint: WaitCheckpoint<K> | string,
  options?: ResumeOptions,
): Waiter<K> {
  const { kind, id } = target(checkpoint);
  return new Waiter(kind as K, id, { ...options, checkpoint });
}
