import type { AmazonMLClientLike } from './WaitOptions.js';

/**
 * @internal The client's configured attempts per request (`AWS_MAX_ATTEMPTS` / `max_attempts`), known once
 * it has resolved its settings (at its first request); a client-like object may have none.
 */
export function clientMaxAttempts(client: AmazonMLClientLike): number | undefined {
  const attempts = (client as { readonly maxAttempts?: unknown }).maxAttempts;
  return typeof attempts === 'number' ? attempts : undefined;
}
