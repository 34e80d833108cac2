import { AmazonMLClient } from '../client/AmazonMLClient.js';
import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';
import { followAbort } from './followAbort.js';
import type { AmazonMLClientLike } from './WaitOptions.js';

/**
 * @internal Sends the `Get…` of a read, cancelled when `signal` (the read's caller's) aborts; nothing is sent
 * when it has aborted already (a rejection with its reason). This package's
 * client is given the caller's signal as it is: its calls share one listener on a signal (thousands of waits
 * may share one), and no wait or request makes an `AbortController` (~0.9 KB of heap each while it waits in
 * the client's queue). Any other client-like gets a signal of its own per request, following the caller's
 * (it may add a listener per call, which on one signal shared by thousands of waits Node's `EventTarget`
 * makes quadratic), let go of once the request settles.
 */
export function getResource<K extends ResourceKind>(
  client: AmazonMLClientLike,
  kind: K,
  id: string,
  signal: AbortSignal | undefined,
): Promise<ResourceByKind[K]> {
  if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
  let unfollow: (() => void) | undefined;
  try {
    if (signal === undefined) return client.get(kind, id);
    if (client instanceof AmazonMLClient) return client.get(kind, id, { signal });
    const follower = followAbort(signal);
    unfollow = follower.unfollow;
    const sent = client.get(kind, id, { signal: follower.controller.signal });
    sent.then(unfollow, unfollow);
    return sent;
  } catch (error) {
    // A client-like that throws instead of rejecting: a rejection all the same, and the follower let go of.
    unfollow?.();
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed through unchanged
    return Promise.reject(error);
  }
}
