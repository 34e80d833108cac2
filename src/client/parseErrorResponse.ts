import type { IncomingHttpHeaders } from 'node:http';
import type { AmazonMLError } from './AmazonMLError.js';
import { HttpStatusError } from './transportErrors.js';
import { createServiceError } from './createServiceError.js';

/** A header value as undici gives it. */
type HeaderValue = string | string[] | undefined;

function first(value: HeaderValue): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The request id of a response (`x-amzn-RequestId`, `x-amzn-request-id` or `x-amz-request-id`). */
export function requestIdOf(headers: IncomingHttpHeaders): string | undefined {
  return (
    first(headers['x-amzn-requestid']) ??
    first(headers['x-amzn-request-id']) ??
    first(headers['x-amz-request-id'])
  );
}

/**
 * Sanitises an awsJson error type: the first of comma-separated values, the part before the first
 * `:`, then the part after the first `#` (`ns#Name:http://…` → `Name`). Returns `undefined` for
 * an empty or purely numeric result (a numeric `code` is never a type).
 */
export function sanitizeErrorType(raw: string): string | undefined {
  let type = raw.split(',')[0] ?? '';
  const colon = type.indexOf(':');
  if (colon !== -1) type = type.slice(0, colon);
  const hash = type.indexOf('#');
  if (hash !== -1) type = type.slice(hash + 1);
  type = type.trim();
  return type === '' || /^\d+$/.test(type) ? undefined : type;
}

/**
 * Milliseconds the server asked to wait: `retry-after` (delta seconds or an HTTP date, relative to
 * `nowMs`) or `x-amz-retry-after` (milliseconds). `undefined` when absent or unreadable.
 */
export function retryAfterMsOf(headers: IncomingHttpHeaders, nowMs: number): number | undefined {
  const retryAfter = first(headers['retry-after'])?.trim();
  if (retryAfter !== undefined && retryAfter !== '') {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - nowMs);
  }
  const amz = first(headers['x-amz-retry-after'])?.trim();
  if (amz !== undefined && /^\d+$/.test(amz)) return Number(amz);
  return undefined;
}

/**
 * Builds the {@link AmazonMLError} for a non-2xx response. The error type is the sanitised body
 * `__type`, else the `x-amzn-ErrorType` header, else a string body `code`; a known type gets its
 * class (`ResourceNotFoundException`…). Without a readable type (an HTML page from a proxy, an
 * empty body) the error is named `Http<status>Error` (`Http503Error`) and is retryable for 429
 * and every 5xx. The message is the body's `message`/`Message`, never the raw body.
 */
export function parseErrorResponse(
  operation: string,
  statusCode: number,
  headers: IncomingHttpHeaders,
  bodyText: string,
  nowMs: number,
): AmazonMLError {
  let body: Record<string, unknown> | undefined;
  let parseError: unknown;
  if (bodyText.trim() !== '') {
    try {
      const parsed: unknown = JSON.parse(bodyText);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        body = parsed as Record<string, unknown>;
      }
    } catch (error) {
      parseError = error;
    }
  }
  let type: string | undefined;
  if (typeof body?.__type === 'string') type = sanitizeErrorType(body.__type);
  const header = first(headers['x-amzn-errortype']);
  if (type === undefined && header !== undefined) type = sanitizeErrorType(header);
  if (type === undefined && typeof body?.code === 'string') type = sanitizeErrorType(body.code);

  const rawMessage = body?.message ?? body?.Message;
  const serviceMessage = typeof rawMessage === 'string' && rawMessage !== '' ? rawMessage : undefined;
  const requestId = requestIdOf(headers);
  const retryAfterMs = retryAfterMsOf(headers, nowMs);

  if (type !== undefined) {
    return createServiceError(
      type,
      serviceMessage ?? `${operation} failed with ${type} (HTTP ${statusCode})`,
      {
        statusCode,
        requestId,
        operation,
        retryAfterMs,
      },
    );
  }
  const contentType = first(headers['content-type'])?.split(';')[0]?.trim();
  const what =
    bodyText.trim() === ''
      ? 'an empty body'
      : body === undefined
        ? `a non-JSON body${contentType ? ` (${contentType})` : ''}`
        : 'no error type';
  return new HttpStatusError(serviceMessage ?? `${operation} failed: HTTP ${statusCode} with ${what}`, {
    statusCode,
    requestId,
    operation,
    retryAfterMs,
    cause: parseError,
  });
}
