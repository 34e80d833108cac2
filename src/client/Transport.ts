import type { Dispatcher } from 'undici';
import { silentLogger, type Logger } from '../model/Logger.js';
import { TARGET_PREFIX } from '../model/wireShapes.js';
import { isAmazonMLError, type AmazonMLError } from './AmazonMLError.js';
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  MAX_CONNECTIONS,
  type AmazonMLClientConfig,
} from './AmazonMLClientConfig.js';
import { ClientSettings, type ResolvedSettings } from './ClientSettings.js';
import { ClockSkew } from './ClockSkew.js';
import type { SigningCredentials } from './CredentialResolver.js';
import { createNetworkDispatcher, type NetworkSettings } from './createNetworkDispatcher.js';
import { parseErrorResponse, requestIdOf } from './parseErrorResponse.js';
import { RequestBudget } from './RequestBudget.js';
import { RequestSlots } from './RequestSlots.js';
import { sendRequest, type HttpExchange } from './sendRequest.js';
import { ExpiredTokenException } from './serviceErrors.js';
import { ClientClosedError, InvalidResponseError } from './transportErrors.js';
import { throwIfAborted, untilAborted } from './untilAborted.js';
import { isPlainObject } from './validate.js';
import { loadOpenTelemetryApi, openTelemetryApi } from './openTelemetryApi.js';
import { RequestTrace } from './RequestTrace.js';
import { Telemetry } from './Telemetry.js';
import { resolveTelemetryOption, type TelemetrySettings } from './TelemetryOption.js';

/** Reads a 2xx response body as the operation's output (a JSON object). */
type ParseOutput<T> = (json: Record<string, unknown>) => T;

/** One call as it goes through the transport: made once, handed from step to step. */
interface Call<T> {
  readonly operation: string;
  readonly body: string;
  readonly signal: AbortSignal | undefined;
  readonly parse: ParseOutput<T>;
  /** Its OpenTelemetry span, when telemetry is on. */
  trace: RequestTrace | undefined;
}

function closedError(operation: string): AmazonMLError {
  return new ClientClosedError(`${operation} called after the AmazonMLClient was closed`, { operation });
}

/**
 * How one call reaches the service and comes back: a slot among `maxConcurrentRequests`, a token of the
 * request budget, credentials, the SigV4 signature (on the service's clock, corrected for skew), one
 * undici request bounded by `requestTimeoutMs`, the debug log line, and the error of a non-2xx answer.
 * Sends each call once, plus one retry after correcting clock skew.
 * @internal
 */
export class Transport {
  readonly settings: ClientSettings;
  readonly #timeoutMs: number;
  /** The client-wide request budget (`maxRequestsPerSecond`), if any. */
  readonly #budget: RequestBudget | undefined;
  /** The client-wide limit on requests in flight (`maxConcurrentRequests`). */
  readonly #slots: RequestSlots;
  readonly #logger: Logger;
  /** `false` when no logger was given: the hot path then skips building debug lines. */
  readonly #logging: boolean;
  readonly #wallClock: () => number;
  readonly #clock: ClockSkew;
  #ownedDispatcher: Dispatcher | undefined;
  #closePromise: Promise<void> | undefined;
  /** Set when the client reports to OpenTelemetry. */
  readonly telemetry: TelemetrySettings | undefined;

  constructor(config: AmazonMLClientConfig, endpoint: URL | undefined) {
    this.telemetry = resolveTelemetryOption(config.telemetry);
    this.#timeoutMs = config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#budget =
      config.maxRequestsPerSecond === undefined
        ? undefined
        : new RequestBudget({ maxRequestsPerSecond: config.maxRequestsPerSecond });
    this.#slots = new RequestSlots(config.maxConcurrentRequests ?? MAX_CONNECTIONS);
    this.#logger = config.logger ?? silentLogger;
    this.#logging = config.logger !== undefined && config.logger !== silentLogger;
    this.#wallClock = config.wallClock ?? Date.now;
    this.#clock = new ClockSkew(this.#wallClock, this.#logger);
    this.settings = new ClientSettings(
      config,
      endpoint,
      this.#logger,
      this.#wallClock,
      (network, ca) => this.#ownDispatcher(network, ca),
      this.#timeoutMs,
    );
  }

  /** `true` once {@link Transport.close} was called. */
  get closed(): boolean {
    return this.#closePromise !== undefined;
  }

  /** Rejects queued and later calls with a `ClientClosedError`, then closes the pool it created. */
  close(): Promise<void> {
    if (this.#closePromise === undefined) {
      this.#slots.close(closedError);
      const owned = this.#ownedDispatcher;
      this.#closePromise = owned === undefined ? Promise.resolve() : owned.close();
    }
    return this.#closePromise;
  }

  /** Sends `operation` with the JSON `body` and parses its 2xx answer with `parse`. */
  call<T>(
    operation: string,
    body: string,
    signal: AbortSignal | undefined,
    parse: ParseOutput<T>,
  ): Promise<T> {
    const call: Call<T> = { operation, body, signal, parse, trace: undefined };
    return this.telemetry === undefined ? this.#call(call) : this.#tracedCall(this.telemetry, call);
  }

  /** {@link Transport.#call} inside its OpenTelemetry span (loading the API at the first call). */
  #tracedCall<T>(telemetry: TelemetrySettings, call: Call<T>): Promise<T> {
    const api = openTelemetryApi();
    if (api === undefined) return loadOpenTelemetryApi().then(() => this.#tracedCall(telemetry, call));
    const current = this.settings.current;
    let trace: RequestTrace;
    let called: Promise<T>;
    try {
      // Inside the call, only a log line (for log correlation), a credential or settings fetch (the SDK's
      // instrumented calls) or undici's instrumentation read the active context.
      const settled =
        !this.#logging &&
        current !== undefined &&
        this.settings.environment().credentials.peek() !== undefined;
      // Starting a span runs the application's sampler and span processors: what they throw is this
      // call's rejection, not a throw from a method that returns a promise.
      trace = new RequestTrace(Telemetry.of(api, telemetry), call.operation, current, !settled);
      call.trace = trace;
      const live = trace.liveContext();
      called = live === undefined ? this.#call(call) : api.context.with(live, () => this.#call(call));
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed through unchanged
      return Promise.reject(error);
    }
    return called.then(
      (result) => {
        trace.end();
        return result;
      },
      (error: unknown) => {
        trace.end(error);
        throw error;
      },
    );
  }

  /** One call, once the settings are known (the first calls wait for them to be resolved). */
  #call<T>(call: Call<T>): Promise<T> {
    const settings = this.settings.current;
    return settings === undefined ? this.#callOnceSettled(call) : this.#callWith(settings, call);
  }

  async #callOnceSettled<T>(call: Call<T>): Promise<T> {
    throwIfAborted(call.signal);
    this.#assertOpen(call.operation);
    const settings = await untilAborted(this.settings.resolve(), call.signal);
    return this.#callWith(settings, call);
  }

  /**
   * Checks, then takes a slot. A call over the limit waits for one holding only the call (not a suspended
   * async frame, which each of thousands of queued calls would keep), then goes on in
   * {@link Transport.#holdingSlot}.
   */
  #callWith<T>(settings: ResolvedSettings, call: Call<T>): Promise<T> {
    try {
      throwIfAborted(call.signal);
      this.#assertOpen(call.operation);
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed through unchanged
      return Promise.reject(error);
    }
    call.trace?.target(settings);
    const waiting = this.#slots.acquire(call.operation, call.signal);
    return waiting === undefined
      ? this.#holdingSlot(settings, call)
      : waiting.then(() => this.#holdingSlot(settings, call));
  }

  /** The rest of a call that holds a slot (given back when it ends). */
  async #holdingSlot<T>(settings: ResolvedSettings, call: Call<T>): Promise<T> {
    const { operation, signal } = call;
    try {
      // The budget token is taken once the request holds a slot, so requests go out at the budget's rate
      // even when many slots free up at once.
      if (this.#budget !== undefined) await this.#budget.take(signal);
      this.#assertOpen(operation);
      // Credentials are read once the request can go, so a call that queued long signs with current ones.
      const resolver = this.settings.environment().credentials;
      const credentials = resolver.peek() ?? (await untilAborted(resolver.get(), signal));
      throwIfAborted(signal);
      this.#assertOpen(operation);
      return await this.#send(call, settings, credentials);
    } finally {
      this.#slots.release();
    }
  }

  #assertOpen(operation: string): void {
    if (this.#closePromise !== undefined) throw closedError(operation);
  }

  /** One call's request (and its one retry after a clock-skew correction), holding a slot. */
  async #send<T>(call: Call<T>, settings: ResolvedSettings, credentials: SigningCredentials): Promise<T> {
    const { operation, signal, parse, trace } = call;
    let exchange = await this.#exchange(call, settings, credentials);
    trace?.response(exchange.statusCode, requestIdOf(exchange.headers));
    if (isSuccess(exchange)) return parse(parseSuccessBody(operation, exchange));
    let error = this.#toError(operation, exchange);
    if (this.#clock.correct(error.code, exchange.headers)) {
      throwIfAborted(signal);
      exchange = await this.#exchange(call, settings, credentials);
      trace?.response(exchange.statusCode, requestIdOf(exchange.headers));
      if (isSuccess(exchange)) return parse(parseSuccessBody(operation, exchange));
      error = this.#toError(operation, exchange);
    }
    if (error instanceof ExpiredTokenException) this.settings.environment().credentials.invalidate();
    if (error.throttling) this.#budget?.onThrottled();
    throw error;
  }

  #toError(operation: string, exchange: HttpExchange): AmazonMLError {
    return parseErrorResponse(
      operation,
      exchange.statusCode,
      exchange.headers,
      exchange.text,
      this.#wallClock(),
    );
  }

  /** The pool the client owns (closed by `close()`): undici's `Agent`, or `EnvHttpProxyAgent` behind a proxy. */
  #ownDispatcher(network: NetworkSettings, ca: string | undefined): Dispatcher {
    this.#ownedDispatcher ??= createNetworkDispatcher({
      settings: network,
      ca,
      keepAliveTimeout: 4_000,
      // Thousands of concurrent waits must not open thousands of sockets: requests queue on these.
      connections: MAX_CONNECTIONS,
      connectTimeout: Math.min(this.#timeoutMs, 10_000),
    });
    return this.#ownedDispatcher;
  }

  #exchange(
    { operation, body, signal }: Call<unknown>,
    settings: ResolvedSettings,
    credentials: SigningCredentials,
  ): Promise<HttpExchange> {
    const headers = settings.signer.sign(
      `${TARGET_PREFIX}.${operation}`,
      body,
      credentials,
      this.#clock.now(),
    );
    headers['user-agent'] = settings.userAgent;
    const sent = sendRequest(
      settings.dispatcher,
      { origin: settings.origin, path: settings.path, headers, body },
      operation,
      this.#timeoutMs,
      signal,
    );
    return this.#logging ? this.#logged(operation, sent) : sent;
  }

  /** Adds the debug line (`{operation, statusCode, requestId, durationMs}`, or `error` instead of the status). */
  async #logged(operation: string, sent: Promise<HttpExchange>): Promise<HttpExchange> {
    const started = performance.now();
    const durationMs = (): number => Math.round((performance.now() - started) * 1000) / 1000;
    try {
      const exchange = await sent;
      this.#logger.debug({
        operation,
        statusCode: exchange.statusCode,
        requestId: requestIdOf(exchange.headers),
        durationMs: durationMs(),
      });
      return exchange;
    } catch (error) {
      if (isAmazonMLError(error))
        this.#logger.debug({ operation, error: error.name, durationMs: durationMs() });
      throw error;
    }
  }
}

function isSuccess(exchange: HttpExchange): boolean {
  return exchange.statusCode >= 200 && exchange.statusCode < 300;
}

/** The JSON object of a 2xx answer (`{}` for an empty body); anything else is an `InvalidResponseError`. */
function parseSuccessBody(operation: string, exchange: HttpExchange): Record<string, unknown> {
  if (exchange.text === '') return {};
  let json: unknown;
  let cause: unknown;
  try {
    json = JSON.parse(exchange.text);
  } catch (error) {
    cause = error;
  }
  if (isPlainObject(json)) return json;
  const what = cause === undefined ? 'JSON that is not an object' : 'a body that is not JSON';
  throw new InvalidResponseError(`${operation} returned HTTP ${exchange.statusCode} with ${what}`, {
    statusCode: exchange.statusCode,
    requestId: requestIdOf(exchange.headers),
    operation,
    cause,
  });
}
