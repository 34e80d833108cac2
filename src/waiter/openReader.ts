import type { ResourceKind } from '../model/ResourceKind.js';
import { directReader } from './directReader.js';
import type { ResolvedWaitOptions } from './resolveWaitOptions.js';
import type { ResourceReader } from './ResourceReader.js';
import { SharedPolls } from './SharedPolls.js';

/**
 * @internal The one place that decides how a wait reads: through the shared reader of its client when the
 * caller passed the client (it may serve several waits, which then join each other's requests and, when
 * many, list polling), or directly when the wait made a client for itself (it serves this wait alone),
 * unless `polling: 'list'` asks for list polling anyway. Closing the reader releases the client.
 */
export function openReader<K extends ResourceKind>(options: ResolvedWaitOptions<K>): ResourceReader<K> {
  const { client, release, shared } = options.acquireClient();
  const { kind, id, polling } = options;
  // The caller's client: the shared reader is all the wait needs (thousands of waits may each keep one).
  if (shared) return SharedPolls.of(client).reader(kind, id, polling, options);
  const reader =
    polling === 'list'
      ? SharedPolls.of(client).reader(kind, id, polling, options)
      : directReader(client, kind, id);
  return {
    peek: reader.peek?.bind(reader),
    read: reader.read.bind(reader),
    onChange: reader.onChange?.bind(reader),
    close: () => {
      reader.close();
      release();
    },
    maxAttempts: reader.maxAttempts.bind(reader),
  };
}
