import type { Dispatcher } from 'undici';
import { RequestTimeoutError } from './transportErrors.js';
import { offAbort, onAbort } from './onAbort.js';
import { toRequestError } from './toRequestError.js';

/** One HTTP response, fully read. */
export interface HttpExchange {
  readonly statusCode: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** The body decoded as UTF-8. */
  readonly text: string;
}

/** What {@link sendRequest} sends. */
export interface HttpRequest {
  readonly origin: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Turns undici's raw `[name, value, …]` header list into an object (lower-case names; repeats as arrays). */
export function parseRawHeaders(
  raw: readonly (Buffer | string)[] | null | undefined,
): HttpExchange['headers'] {
  const headers: Record<string, string | string[]> = {};
  if (raw === null || raw === undefined) return headers;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = String(raw[i]).toLowerCase();
    const value = String(raw[i + 1]);
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else headers[name] = [existing, value];
  }
  return headers;
}

/**
 * Sends one `POST` through an undici dispatcher with its low-level `dispatch` API (no response
 * stream, no per-request `AbortSignal`: cheaper than `dispatcher.request()` + `body.text()`), and
 * reads the whole body.
 *
 * - Deadline: `timeoutMs` from now until the body is read; when it passes the request is aborted
 *   and the promise rejects with a retryable `RequestTimeoutError`.
 * - Abort: when `signal` aborts, the request is aborted and the promise rejects with
 *   `signal.reason`, unchanged.
 * - Transport failures reject with the error {@link toRequestError} makes (`NetworkError`, …).
 *
 * Works with any dispatcher (`Agent`, `Pool`, `ProxyAgent`, `MockAgent`, composed ones).
 * @internal
 */
export function sendRequest(
  dispatcher: Dispatcher,
  request: HttpRequest,
  operation: string,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<HttpExchange> {
  return new Promise<HttpExchange>((resolve, reject) => {
    let controller: Dispatcher.DispatchController | undefined;
    let legacyAbort: ((error?: Error) => void) | undefined;
    let settled = false;
    let statusCode = 0;
    let headers: HttpExchange['headers'] = {};
    const chunks: Buffer[] = [];

    const finish = (): boolean => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      if (signal !== undefined) offAbort(signal, abortRequest);
      return true;
    };
    const cancel = (reason: Error): void => {
      if (controller !== undefined && !controller.aborted) controller.abort(reason);
      legacyAbort?.(reason);
    };
    const abortRequest = (): void => {
      if (!finish()) return;
      cancel(new Error('Request aborted'));
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      if (!finish()) return;
      const error = new RequestTimeoutError(`${operation} did not complete within ${timeoutMs} ms`, {
        operation,
      });
      cancel(error);
      reject(error);
    }, timeoutMs);
    if (signal !== undefined) onAbort(signal, abortRequest);

    const complete = (): void => {
      if (!finish()) return;
      const text =
        chunks.length === 0
          ? ''
          : chunks.length === 1
            ? (chunks[0] as Buffer).toString('utf8')
            : Buffer.concat(chunks).toString('utf8');
      resolve({ statusCode, headers, text });
    };
    const fail = (error: unknown): void => {
      if (finish()) reject(toRequestError(operation, error));
    };

    // Both handler styles: undici 7 uses the `onRequestStart`… methods; a user-supplied dispatcher
    // from an older undici (5/6) calls the `onConnect`… ones.
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(requestController) {
        controller = requestController;
        // Timed out or aborted while queued: stop before anything is sent.
        if (settled) requestController.abort(new Error('Request cancelled'));
      },
      onResponseStart(_controller, status, responseHeaders) {
        statusCode = status;
        headers = responseHeaders;
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd: complete,
      onResponseError(_controller, error) {
        fail(error);
      },
      /* eslint-disable @typescript-eslint/no-deprecated -- the only interface older undici versions know */
      onConnect(abort) {
        legacyAbort = abort;
        if (settled) abort(new Error('Request cancelled'));
      },
      onHeaders(status, rawHeaders) {
        statusCode = status;
        headers = parseRawHeaders(rawHeaders);
        return true;
      },
      onData(chunk) {
        chunks.push(chunk);
        return true;
      },
      onComplete: complete,
      onError: fail,
      /* eslint-enable @typescript-eslint/no-deprecated */
    };
    try {
      dispatcher.dispatch(
        {
          origin: request.origin,
          path: request.path,
          method: 'POST',
          headers: request.headers,
          body: request.body,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        },
        handler,
      );
    } catch (error) {
      if (finish()) reject(toRequestError(operation, error));
    }
  });
}
