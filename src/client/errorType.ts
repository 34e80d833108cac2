import { isAmazonMLError } from './AmazonMLError.js';

/**
 * @internal A bounded, secret-free `error.type` (an OpenTelemetry attribute and metric label) for any error
 * a request or a wait can end with: the `code` of a wait's error, the name of the client's errors (which
 * are sanitised), `AbortError` / `TimeoutError`, else `_OTHER` — never a message.
 */
export function errorType(error: unknown): string {
  if (isAmazonMLError(error)) return error.name;
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === 'string' && /^[A-Z_]{1,40}$/.test(code)) return code;
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))
    return error.name;
  return '_OTHER';
}
