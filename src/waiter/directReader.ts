import { throwIfAborted } from '../client/untilAborted.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import { clientMaxAttempts } from './clientMaxAttempts.js';
import type { ResourceReader } from './ResourceReader.js';
import type { AmazonMLClientLike } from './WaitOptions.js';

/**
 * @internal The reader of a lone wait: every read is one `Get…`, nothing is shared. A read with a signal
 * has a controller of its own, which `close()` aborts.
 */
export function directReader<K extends ResourceKind>(
  client: AmazonMLClientLike,
  kind: K,
  id: string,
): ResourceReader<K> {
  let under: AbortController | undefined;
  return {
    read: async (_maxAgeMs, signal) => {
      if (signal === undefined) return { resource: await client.get(kind, id), requested: true };
      throwIfAborted(signal);
      const controller = new AbortController();
      under = controller;
      try {
        return { resource: await client.get(kind, id, { signal: controller.signal }), requested: true };
      } finally {
        if (under === controller) under = undefined;
      }
    },
    close: () => {
      under?.abort();
    },
    maxAttempts: () => clientMaxAttempts(client),
  };
}
