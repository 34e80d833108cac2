import type { AmazonMLClientLike } from '../../src/waiter/WaitOptions.js';

/**
 * A client-like object whose `get` calls answer when the test says so (`calls[i].answer(resource)`); each
 * notes the signal it was given, and rejects with that signal's reason once it aborts (at once if it has
 * already, as a real client does).
 */
export function signalNotingClient(): {
  client: AmazonMLClientLike;
  calls: { signal: AbortSignal | undefined; answer: (resource: unknown) => void }[];
} {
  const calls: { signal: AbortSignal | undefined; answer: (resource: unknown) => void }[] = [];
  const client = {
    get: (_kind: string, _id: string, options?: { signal?: AbortSignal }) =>
      new Promise((resolve, reject) => {
        const signal = options?.signal;
        calls.push({ signal, answer: resolve });
        if (signal?.aborted === true) {
          reject(signal.reason as Error);
          return;
        }
        signal?.addEventListener(
          'abort',
          () => {
            reject(signal.reason as Error);
          },
          { once: true },
        );
      }),
  } as unknown as AmazonMLClientLike;
  return { client, calls };
}
