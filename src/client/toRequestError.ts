import type { AmazonMLError } from './AmazonMLError.js';
import { NetworkError, RequestError, RequestTimeoutError } from './transportErrors.js';

/** Node and undici error codes that mean "the request may not have reached the server, or the connection broke". */
const NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);

/** undici codes for a timed-out phase of the request. */
const TIMEOUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

function codesOf(error: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    const errors = (current as { errors?: unknown }).errors; // AggregateError from happy eyeballs
    if (Array.isArray(errors)) {
      for (const inner of errors) {
        const innerCode = (inner as { code?: unknown } | null)?.code;
        if (typeof innerCode === 'string') codes.push(innerCode);
      }
    }
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

/**
 * Wraps an error thrown while sending a request or reading its response (not an HTTP error
 * status): network failures become a retryable `NetworkError`, undici's header/body timeouts a
 * retryable `RequestTimeoutError`, anything else a non-retryable `RequestError`. The original
 * error is the `cause`.
 */
export function toRequestError(operation: string, error: unknown): AmazonMLError {
  const codes = codesOf(error);
  const detail = error instanceof Error ? error.message : String(error);
  const code = codes[0];
  if (codes.some((c) => TIMEOUT_CODES.has(c))) {
    return new RequestTimeoutError(`${operation} timed out (${code}): ${detail}`, {
      operation,
      cause: error,
    });
  }
  if (codes.some((c) => NETWORK_CODES.has(c))) {
    // Node's messages often hold the code already (`connect ECONNREFUSED 127.0.0.1:1`): say it once.
    const what = code === undefined || detail.includes(code) ? detail : `${code}: ${detail}`;
    return new NetworkError(`${operation} failed: network error: ${what}`, {
      operation,
      cause: error,
    });
  }
  return new RequestError(`${operation} failed: ${detail}`, { operation, cause: error });
}
