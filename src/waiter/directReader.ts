import type { ResourceKind } from '../model/ResourceKind.js';
import { clientMaxAttempts } from './clientMaxAttempts.js';
import type { ResourceReader } from './ResourceReader.js';
import type { AmazonMLClientLike } from './WaitOptions.js';

/** @internal The reader of a lone wait: every read is one `Get…`, nothing is shared. */
export function directReader<K extends ResourceKind>(
  client: AmazonMLClientLike,
  kind: K,
  id: string,
): ResourceReader<K> {
  return {
    read: async (_maxAgeMs, signal) => ({
      resource: await client.get(kind, id, { signal }),
      requested: true,
    }),
    close: () => undefined,
    maxAttempts: () => clientMaxAttempts(client),
  };
}
