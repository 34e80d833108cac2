import type { ResourceKind } from '../model/ResourceKind.js';
import { clientMaxAttempts } from './clientMaxAttempts.js';
import { getResource } from './getResource.js';
import type { ResourceReader } from './ResourceReader.js';
import type { AmazonMLClientLike } from './WaitOptions.js';

/**
 * @internal The reader of a lone wait: every read is one `Get…`, nothing is shared. A read's request is
 * cancelled when its signal aborts (see {@link getResource}); a read whose signal has aborted sends nothing.
 */
export function directReader<K extends ResourceKind>(
  client: AmazonMLClientLike,
  kind: K,
  id: string,
): ResourceReader<K> {
  return {
    read: (_maxAgeMs, signal) =>
      getResource(client, kind, id, signal).then((resource) => ({ resource, requested: true })),
    // Nothing to let go of: the wait's end is its signal's abort, or comes with no read under way.
    close: () => undefined,
    maxAttempts: () => clientMaxAttempts(client),
  };
}
