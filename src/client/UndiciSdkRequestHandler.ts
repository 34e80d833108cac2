import { createRequire } from 'node:module';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';

type RequestFunction = (
  this: Dispatcher,
  options: Dispatcher.RequestOptions,
) => Promise<Dispatcher.ResponseData>;

// undici's `request` alone (what `Dispatcher.prototype.request` is once its root entry has loaded): the client
// loads only undici's dispatcher modules, which do not add it. undici is pinned exactly.
let undiciRequest: RequestFunction | undefined;

/** The parts of a Smithy `HttpRequest` the AWS SDK's STS and SSO clients send. */
interface SdkHttpRequest {
  readonly method: string;
  readonly protocol: string;
  readonly hostname: string;
  readonly port?: number | undefined;
  readonly path: string;
  readonly query?: Record<string, string | readonly string[] | null> | undefined;
  readonly headers: Record<string, string>;
  readonly body?: unknown;
}

/** What a Smithy `HttpHandler` resolves with: a response whose body is a Node stream. */
interface SdkHttpResponse {
  readonly response: {
    readonly statusCode: number;
    readonly reason: string | undefined;
    readonly headers: Record<string, string>;
    readonly body: Readable;
  };
}

function queryString(query: SdkHttpRequest['query']): string {
  if (query === undefined) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === null) parts.push(encodeURIComponent(key));
    else if (typeof value === 'string') parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
    else for (const item of value) parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(item)}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/**
 * A request handler for the AWS SDK's own clients (the STS and SSO calls of its credential providers) that
 * sends through an undici dispatcher: the one the Amazon ML client uses, so that those calls take the same
 * proxy (`HTTPS_PROXY`, `NO_PROXY`) and trust the same CA bundle. Passed as `clientConfig.requestHandler`;
 * it implements the Smithy `HttpHandler` shape the SDK accepts in place of its Node handler.
 * @internal
 */
export class UndiciSdkRequestHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };
  readonly #dispatcher: Dispatcher;
  readonly #timeoutMs: number;

  constructor(dispatcher: Dispatcher, timeoutMs: number) {
    this.#dispatcher = dispatcher;
    this.#timeoutMs = timeoutMs;
  }

  async handle(
    request: SdkHttpRequest,
    options: { abortSignal?: AbortSignal | undefined; requestTimeout?: number | undefined } = {},
  ): Promise<SdkHttpResponse> {
    const port = request.port === undefined ? '' : `:${request.port}`;
    const timeout = options.requestTimeout ?? this.#timeoutMs;
    const body = request.body;
    undiciRequest ??= createRequire(import.meta.url)('undici/lib/api/api-request.js') as RequestFunction;
    const response = await undiciRequest.call(this.#dispatcher, {
      origin: `${request.protocol}//${request.hostname}${port}`,
      path: `${request.path}${queryString(request.query)}`,
      method: request.method,
      headers: request.headers,
      body:
        typeof body === 'string' || body instanceof Uint8Array
          ? body
          : ((body as Readable | undefined) ?? null),
      headersTimeout: timeout,
      bodyTimeout: timeout,
      signal: options.abortSignal,
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    return {
      response: { statusCode: response.statusCode, reason: undefined, headers, body: response.body },
    };
  }

  updateHttpClientConfig(): void {
    // The dispatcher's settings are the client's; nothing to update per SDK client.
  }

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {
    // The dispatcher belongs to the Amazon ML client, which closes it.
  }
}
