import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { inspect } from 'node:util';
import type { Clock } from '../model/Clock.js';
import { silentLogger } from '../model/Logger.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import { JSON_CONTENT_TYPE, LONG_MEMBERS, TARGET_PREFIX } from '../model/wireShapes.js';
import { systemClock } from '../model/Clock.js';
import { ChangeFeed } from './console/ChangeFeed.js';
import { CONSOLE_PREFIX } from './console/ConsoleEvent.js';
import { ConsoleServer } from './console/ConsoleServer.js';
import { loadConsoleAssets } from './consoleAssets.js';
import { ControlApi, CONTROL_PREFIX } from './ControlApi.js';
import type { TlsKeyPair } from './createSelfSignedCertificate.js';
import type { CredentialEndpointExchange, EmulatorCredentialEndpoints } from './CredentialEndpoints.js';
import { CredentialEndpoints } from './CredentialEndpoints.js';
import { CredentialStore } from './CredentialStore.js';
import type { Emulator, EmulatorClientCredentials } from './Emulator.js';
import type { EmulatorCredential } from './EmulatorCredential.js';
import { DEFAULT_USER_ARN } from './EmulatorCredential.js';
import type { ResolvedEmulatorOptions } from './EmulatorOptions.js';
import type { FaultPlan } from './FaultInjector.js';
import { FaultInjector } from './FaultInjector.js';
import type { FaultRule, FaultRuleState } from './FaultRule.js';
import { httpDate } from './httpDate.js';
import { JsonText } from './JsonText.js';
import type { Input } from './inputValidation.js';
import type { LifecycleStep } from './LifecycleScript.js';
import type { Operation, OperationContext } from './operations.js';
import { OPERATIONS, UNSUPPORTED_OPERATIONS } from './operations.js';
import type { EmulatorCounters, RequestLogEntry } from './RequestLog.js';
import { RequestLog } from './RequestLog.js';
import type { ResourceInput } from './ResourceStore.js';
import { ResourceStore } from './ResourceStore.js';
import { ServiceError, serviceErrors } from './ServiceError.js';
import { SigV4Verifier } from './SigV4Verifier.js';

const TARGET_DOT = `${TARGET_PREFIX}.`;
/** How the request log names a request whose `X-Amz-Target` is missing or unknown. */
const UNKNOWN_OPERATION = '(unknown)';
/** Ids longer than this (invalid anyway: the limit is 64) are truncated in the request log. */
const MAX_LOGGED_ID = 128;
const NO_FAULTS: readonly string[] = Object.freeze([]);
/** User-Agent values longer than this are truncated in the request log. */
const MAX_LOGGED_USER_AGENT = 512;
const HTML_503 =
  '<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>';
const LARGE_LONG = '9007199254740993';
const LONG_MEMBER_PATTERN = new RegExp(`"(${[...LONG_MEMBERS].join('|')})":\\d+`, 'g');

/** Per-request state carried through the pipeline. */
interface Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly requestId: string;
  /** `performance.now()` when the request arrived (for the request log's latency). */
  readonly arrived: number;
  operation: string;
  id: string | undefined;
  accessKeyId: string | undefined;
  userArn: string;
  plan: FaultPlan | undefined;
}

/** The emulator: an HTTP server speaking the Amazon ML JSON protocol, plus in-process control. */
export class EmulatorServer implements Emulator {
  readonly #options: ResolvedEmulatorOptions;
  readonly #server: Server;
  readonly #store: ResourceStore;
  readonly #credentials: CredentialStore;
  readonly #verifier: SigV4Verifier;
  readonly #faults: FaultInjector;
  readonly #log: RequestLog;
  readonly #control: ControlApi;
  readonly #console: ConsoleServer | undefined;
  readonly #credentialEndpoints: CredentialEndpoints | undefined;
  /** When each credential-endpoint request arrived (for the request log's latency). */
  readonly #credentialArrivals = new WeakMap<ServerResponse, number>();
  readonly #tls: TlsKeyPair | undefined;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #notOnboarded: boolean;
  #skewMs: number;
  #closing: Promise<void> | undefined;
  #port = 0;

  constructor(options: ResolvedEmulatorOptions, tls?: TlsKeyPair) {
    this.#options = options;
    this.#tls = tls;
    this.#notOnboarded = options.notOnboarded;
    this.#skewMs = options.skewMs;
    this.#credentials = new CredentialStore(options.credentials, DEFAULT_USER_ARN);
    if (this.#credentials.size === 0)
      throw new TypeError('Expected `credentials` to hold at least one key pair, got []');
    this.#verifier = new SigV4Verifier(
      this.#credentials,
      options.region,
      () => options.authClock() + this.#skewMs,
    );
    this.#store = new ResourceStore({
      clock: options.clock,
      lifecycle: options.lifecycle,
      speed: options.speed,
      random: options.random,
    });
    this.#faults = new FaultInjector(options.random);
    this.#log = new RequestLog(options.maxLogEntries);
    this.#control = new ControlApi(this, options.controlToken, options.maxBodyBytes);
    this.#console =
      options.console === undefined
        ? undefined
        : new ConsoleServer({
            options: options.console,
            assets: loadConsoleAssets(),
            feed: new ChangeFeed({
              store: this.#store,
              log: this.#log,
              faults: () => this.#faults.list(),
              virtualClock: options.clock !== systemClock,
            }),
            port: () => this.#port,
            checkToken: (req) => this.#control.checkToken(req),
          });
    const authNow = (): number => options.authClock() + this.#skewMs;
    this.#credentialEndpoints =
      options.credentialEndpoints === undefined
        ? undefined
        : new CredentialEndpoints(options.credentialEndpoints, {
            credentials: this.#credentials,
            stsVerifier: new SigV4Verifier(this.#credentials, undefined, authNow, true, 'sts'),
            now: authNow,
            baseUrl: () => this.endpoint,
            send: (res, exchange, contentType, body, headers) => {
              this.#sendCredentialAnswer(res, exchange, contentType, body, headers);
            },
          });
    const serverOptions = {
      headersTimeout: options.headersTimeoutMs,
      requestTimeout: Math.max(options.requestTimeoutMs, options.headersTimeoutMs),
      keepAliveTimeout: options.keepAliveTimeoutMs,
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(options.headersTimeoutMs / 4))),
      maxHeaderSize: 16 * 1024,
      // A request without Host is answered by our handler (as a JSON error), not by Node's bare 400.
      requireHostHeader: false,
    };
    const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
      this.#onRequest(req, res);
    };
    this.#server =
      tls === undefined
        ? createServer(serverOptions, onRequest)
        : createHttpsServer({ ...serverOptions, key: tls.key, cert: tls.cert }, onRequest);
    this.#server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
      this.#onClientError(error, socket);
    });
  }

  /** Starts listening; resolves once the port is known. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => {
        reject(error);
      };
      this.#server.once('error', onError);
      this.#server.listen(this.#options.port, this.#options.host, () => {
        this.#server.off('error', onError);
        resolve();
      });
    });
    this.#port = (this.#server.address() as AddressInfo).port;
  }

  get port(): number {
    return this.#port;
  }

  get host(): string {
    return this.#options.host;
  }

  get endpoint(): string {
    const host = this.#options.host.includes(':') ? `[${this.#options.host}]` : this.#options.host;
    return `${this.#tls === undefined ? 'http' : 'https'}://${host}:${this.#port}`;
  }

  get certificate(): string | undefined {
    return this.#tls?.cert;
  }

  get credentialEndpoints(): EmulatorCredentialEndpoints | undefined {
    return this.#credentialEndpoints?.describe();
  }

  get controlUrl(): string {
    return `${this.endpoint}${CONTROL_PREFIX}`;
  }

  get consoleUrl(): string | undefined {
    return this.#console === undefined ? undefined : `${this.endpoint}${CONSOLE_PREFIX}/`;
  }

  get controlToken(): string {
    return this.#options.controlToken;
  }

  get region(): string {
    return this.#options.region;
  }

  get clock(): Clock {
    return this.#options.clock;
  }

  get credentials(): EmulatorClientCredentials {
    const first = this.#options.credentials[0];
    if (first === undefined)
      throw new TypeError('Expected `credentials` to hold at least one key pair, got []');
    return first.sessionToken === undefined
      ? { accessKeyId: first.accessKeyId, secretAccessKey: first.secretAccessKey }
      : {
          accessKeyId: first.accessKeyId,
          secretAccessKey: first.secretAccessKey,
          sessionToken: first.sessionToken,
        };
  }

  put(
    kind: ResourceKind,
    resource: ResourceInput,
    script?: readonly LifecycleStep[],
  ): Record<string, unknown> | undefined {
    return this.#store.put(kind, resource, script);
  }

  get(
    kind: ResourceKind,
    id: string,
    options: { readonly verbose?: boolean } = {},
  ): Record<string, unknown> | undefined {
    return this.#store.view(kind, id, options.verbose === true ? 'verbose' : 'get');
  }

  script(kind: ResourceKind, id: string, steps: readonly LifecycleStep[]): void {
    this.#store.script(kind, id, steps);
  }

  addFault(rule: FaultRule): string {
    return this.#faults.add(rule);
  }

  removeFault(ruleId: string): boolean {
    return this.#faults.remove(ruleId);
  }

  clearFaults(): void {
    this.#faults.clear();
  }

  faults(): FaultRuleState[] {
    return this.#faults.list();
  }

  requests(): RequestLogEntry[] {
    return this.#log.entries();
  }

  counters(): EmulatorCounters {
    return this.#log.counters();
  }

  setNotOnboarded(enabled: boolean): void {
    if (typeof enabled !== 'boolean')
      throw new TypeError(`Expected \`enabled\` to be a boolean, got ${String(enabled)}`);
    this.#notOnboarded = enabled;
  }

  setSkew(skewMs: number): void {
    if (typeof skewMs !== 'number' || !Number.isFinite(skewMs)) {
      throw new RangeError(`Expected \`skewMs\` to be a finite number, got ${String(skewMs)}`);
    }
    this.#skewMs = skewMs;
  }

  addCredential(credential: EmulatorCredential): void {
    this.#credentials.add(credential);
  }

  reset(): void {
    this.#store.clear();
    this.#faults.clear();
    this.#log.clear();
    this.#credentialEndpoints?.reset();
    this.#notOnboarded = this.#options.notOnboarded;
    this.#skewMs = this.#options.skewMs;
  }

  close(): Promise<void> {
    this.#closing ??= new Promise<void>((resolve) => {
      this.#console?.close();
      for (const timer of this.#timers) clearTimeout(timer);
      this.#timers.clear();
      this.#server.close(() => {
        resolve();
      });
      this.#server.closeAllConnections();
    });
    return this.#closing;
  }

  toJSON(): Record<string, unknown> {
    return {
      endpoint: this.endpoint,
      region: this.region,
      controlUrl: this.controlUrl,
      ...(this.consoleUrl === undefined ? {} : { consoleUrl: this.consoleUrl }),
      accessKeyId: this.credentials.accessKeyId,
    };
  }

  [inspect.custom](): string {
    return `Emulator ${inspect(this.toJSON())}`;
  }

  // ---------------------------------------------------------------- request pipeline

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '/';
    const consolePath = url === CONSOLE_PREFIX || url.startsWith(`${CONSOLE_PREFIX}/`);
    if (this.#console !== undefined && (consolePath || url.startsWith(CONTROL_PREFIX))) {
      if (!this.#console.admit(req, res)) return;
      if (consolePath) {
        this.#console.handle(req, res, url);
        return;
      }
    }
    if (url.startsWith(CONTROL_PREFIX)) {
      this.#control.handle(req, res, url);
      return;
    }
    if (this.#credentialEndpoints !== undefined) {
      this.#credentialArrivals.set(res, performance.now());
      if (this.#credentialEndpoints.handle(req, res, url)) return;
    }
    const exchange: Exchange = {
      req,
      res,
      requestId: randomUUID(),
      arrived: performance.now(),
      operation: '',
      id: undefined,
      accessKeyId: undefined,
      userArn: DEFAULT_USER_ARN,
      plan: undefined,
    };
    req.on('error', () => {
      /* the socket is gone; nothing to answer */
    });
    if (req.method !== 'POST') {
      req.resume();
      this.#sendError(exchange, serviceErrors.methodNotAllowed(String(req.method).slice(0, 16)), {
        Allow: 'POST',
      });
      return;
    }
    if (url !== '/') {
      req.resume();
      this.#sendError(exchange, serviceErrors.notFoundPath());
      return;
    }
    const max = this.#options.maxBodyBytes;
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > max) {
      this.#sendError(exchange, serviceErrors.payloadTooLarge(max), { Connection: 'close' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > max) {
        tooLarge = true;
        this.#sendError(exchange, serviceErrors.payloadTooLarge(max), { Connection: 'close' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return;
      const first = chunks.length === 1 ? chunks[0] : undefined;
      const body = first ?? Buffer.concat(chunks, size);
      this.#handle(exchange, body);
    });
  }

  #handle(exchange: Exchange, body: Buffer): void {
    const { req } = exchange;
    const target = req.headers['x-amz-target'];
    const name =
      typeof target === 'string' && target.startsWith(TARGET_DOT)
        ? target.slice(TARGET_DOT.length)
        : undefined;
    const operation = name === undefined ? undefined : OPERATIONS.get(name);
    // Unknown names are not kept verbatim: the log and counters must stay bounded whatever clients send.
    exchange.operation =
      name !== undefined && (operation !== undefined || UNSUPPORTED_OPERATIONS.has(name))
        ? name
        : UNKNOWN_OPERATION;
    try {
      if (this.#options.verifySignatures) {
        const credential = this.#verifier.verify({
          method: 'POST',
          path: '/',
          headers: req.headers,
          body,
          distinct: () => req.headersDistinct,
        });
        exchange.accessKeyId = credential.accessKeyId;
        exchange.userArn = credential.userArn;
      }
      if (name === undefined || operation === undefined) {
        if (name !== undefined && UNSUPPORTED_OPERATIONS.has(name)) {
          throw serviceErrors.unknownOperation(`The emulator does not implement ${name}`);
        }
        throw serviceErrors.unknownOperation();
      }
      const contentType = req.headers['content-type'];
      if (contentType?.toLowerCase().startsWith(JSON_CONTENT_TYPE) !== true) {
        throw serviceErrors.serialization(`Content-Type must be ${JSON_CONTENT_TYPE}`);
      }
      if (this.#notOnboarded) throw serviceErrors.notOnboarded();
      const input = parseInput(body);
      if (operation.idMember !== undefined) {
        const id = input[operation.idMember];
        if (typeof id === 'string') exchange.id = id.length > MAX_LOGGED_ID ? id.slice(0, MAX_LOGGED_ID) : id;
      }
      if (!this.#faults.empty) {
        const plan = this.#faults.plan(exchange.operation, exchange.id);
        exchange.plan = plan;
        if (plan !== undefined && plan.delayMs > 0) {
          const timer = setTimeout(() => {
            this.#timers.delete(timer);
            if (exchange.res.destroyed) return;
            this.#respond(exchange, operation, input);
          }, plan.delayMs);
          this.#timers.add(timer);
          return;
        }
      }
      this.#respond(exchange, operation, input);
    } catch (error) {
      this.#sendError(exchange, toServiceError(error, this.#options));
    }
  }

  #respond(exchange: Exchange, operation: Operation, input: Input): void {
    try {
      const terminal = exchange.plan?.terminal;
      if (terminal !== undefined) {
        this.#applyFault(exchange, terminal, operation, input);
        return;
      }
      const context: OperationContext = {
        store: this.#store,
        userArn: exchange.userArn,
        autoCreateReferences: this.#options.autoCreateReferences,
        lifecycle: this.#options.lifecycle,
        listView: exchange.plan?.listView,
      };
      const result = operation.handle(input, context);
      let json = result instanceof JsonText ? result.text : JSON.stringify(result);
      if (exchange.plan?.largeLongs === true) json = json.replace(LONG_MEMBER_PATTERN, `"$1":${LARGE_LONG}`);
      this.#send(exchange, 200, json, undefined);
    } catch (error) {
      this.#sendError(exchange, toServiceError(error, this.#options));
    }
  }

  #applyFault(exchange: Exchange, rule: FaultRule, operation: Operation, input: Input): void {
    switch (rule.kind) {
      case 'throttle': {
        const headers: Record<string, string> = {};
        if (rule.retryAfterSeconds !== undefined)
          headers['Retry-After'] = String(Math.ceil(rule.retryAfterSeconds));
        if (rule.retryAfterMs !== undefined)
          headers['x-amz-retry-after'] = String(Math.round(rule.retryAfterMs));
        this.#sendError(exchange, serviceErrors.throttling(headers));
        return;
      }
      case 'serverError': {
        const status = rule.status ?? 500;
        const format = rule.format ?? 'json';
        if (format === 'json') {
          this.#sendError(
            exchange,
            status === 500
              ? serviceErrors.internal()
              : new ServiceError(status, 'ServiceUnavailableException', 'Service Unavailable'),
          );
        } else {
          const text = format === 'html' ? HTML_503.replaceAll('503', String(status)) : '';
          this.#send(
            exchange,
            status,
            text,
            undefined,
            format === 'html' ? 'text/html' : JSON_CONTENT_TYPE,
            `Http${status}`,
          );
        }
        return;
      }
      case 'error':
        this.#sendError(
          exchange,
          new ServiceError(rule.status, rule.errorType, rule.message ?? 'Injected error'),
        );
        return;
      case 'listDenied':
        this.#sendError(exchange, serviceErrors.notAuthorized(exchange.userArn, exchange.operation));
        return;
      case 'reset':
        this.#logExchange(exchange, 0, 'ConnectionReset');
        exchange.req.socket.destroy();
        return;
      case 'malformedJson': {
        const context: OperationContext = {
          store: this.#store,
          userArn: exchange.userArn,
          autoCreateReferences: this.#options.autoCreateReferences,
          lifecycle: this.#options.lifecycle,
        };
        let json: string;
        try {
          const result = operation.handle(input, context);
          json = result instanceof JsonText ? result.text : JSON.stringify(result);
        } catch {
          json = '{"message":"truncated"}';
        }
        this.#send(exchange, 200, json.slice(0, Math.max(1, Math.floor(json.length / 2))), undefined);
        return;
      }
      case 'delay':
      case 'skewDate':
      case 'errorTypeQuirk':
      case 'largeLongs':
      case 'emptyPages':
      case 'laggingPages':
        return;
    }
  }

  #sendError(exchange: Exchange, error: ServiceError, extra?: Record<string, string>): void {
    const quirk = exchange.plan?.quirk;
    let type = error.errorType;
    if (quirk === 'fullyQualified') {
      type = `com.amazonaws.machinelearning#${type}:http://internal.amazon.com/coral/com.amazonaws.machinelearning/`;
    }
    const body: Record<string, unknown> = quirk === 'headerOnly' ? {} : { __type: type };
    body.message = error.message;
    if (quirk === 'numericCode') body.code = 0;
    const headers: Record<string, string> = { ...error.headers, ...extra };
    if (quirk !== 'typeOnly') headers['x-amzn-ErrorType'] = type;
    this.#send(exchange, error.statusCode, JSON.stringify(body), headers, JSON_CONTENT_TYPE, error.errorType);
  }

  #send(
    exchange: Exchange,
    status: number,
    body: string,
    headers: Record<string, string> | undefined,
    contentType: string = JSON_CONTENT_TYPE,
    errorType?: string,
  ): void {
    const { res } = exchange;
    if (res.headersSent || res.destroyed) return;
    const skew = this.#skewMs + (exchange.plan?.skewMs ?? 0);
    const head: Record<string, string | number> = {
      'Content-Type': contentType,
      'x-amzn-RequestId': exchange.requestId,
      Date: httpDate(Date.now() + skew),
      'Content-Length': Buffer.byteLength(body),
    };
    if (headers !== undefined) Object.assign(head, headers);
    coalesceWrites(res.socket);
    res.writeHead(status, head);
    res.end(body);
    this.#logExchange(exchange, status, errorType);
  }

  #logExchange(exchange: Exchange, statusCode: number, errorType: string | undefined): void {
    this.#log.add({
      time: Date.now(),
      requestId: exchange.requestId,
      operation: exchange.operation,
      id: exchange.id,
      statusCode,
      latencyMs: latencySince(exchange.arrived),
      errorType,
      accessKeyId: exchange.accessKeyId,
      faults: exchange.plan?.applied ?? NO_FAULTS,
      userAgent: userAgentOf(exchange.req),
    });
    if (this.#options.logger !== silentLogger) {
      this.#options.logger.debug(
        {
          operation: exchange.operation,
          id: exchange.id,
          statusCode,
          errorType,
          requestId: exchange.requestId,
        },
        'aml-emulator request',
      );
    }
  }

  /** Sends and logs one answer of the credential endpoints. */
  #sendCredentialAnswer(
    res: ServerResponse,
    exchange: CredentialEndpointExchange,
    contentType: string,
    body: string,
    headers: Record<string, string> | undefined,
  ): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(exchange.statusCode, {
      'Content-Type': contentType,
      'x-amzn-RequestId': exchange.requestId,
      Date: httpDate(Date.now() + this.#skewMs),
      'Content-Length': Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
    this.#log.add({
      time: Date.now(),
      requestId: exchange.requestId,
      operation: exchange.operation,
      id: undefined,
      statusCode: exchange.statusCode,
      latencyMs: latencySince(this.#credentialArrivals.get(res) ?? performance.now()),
      errorType: exchange.errorType,
      accessKeyId: exchange.accessKeyId,
      faults: NO_FAULTS,
      userAgent: userAgentOf(res.req),
    });
    if (this.#options.logger !== silentLogger) {
      this.#options.logger.debug(
        {
          operation: exchange.operation,
          statusCode: exchange.statusCode,
          errorType: exchange.errorType,
          requestId: exchange.requestId,
        },
        'aml-emulator request',
      );
    }
  }

  #onClientError(error: NodeJS.ErrnoException, socket: Socket): void {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const timeout = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = timeout ? 408 : tooLarge ? 431 : 400;
    const type = timeout ? 'RequestTimeoutException' : 'SerializationException';
    const message = timeout
      ? 'The request did not arrive in time'
      : tooLarge
        ? 'Request headers are too large'
        : 'The request is not valid HTTP/1.1';
    const body = JSON.stringify({ __type: type, message });
    const requestId = randomUUID();
    socket.end(
      `HTTP/1.1 ${status} ${timeout ? 'Request Timeout' : tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        `Content-Type: ${JSON_CONTENT_TYPE}\r\nx-amzn-RequestId: ${requestId}\r\nx-amzn-ErrorType: ${type}\r\n` +
        `Date: ${httpDate(Date.now() + this.#skewMs)}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
}

/** The request's `User-Agent`, truncated for the log (the log must stay bounded whatever clients send). */
function userAgentOf(req: IncomingMessage): string | undefined {
  const value = req.headers['user-agent'];
  return value === undefined ? undefined : value.slice(0, MAX_LOGGED_USER_AGENT);
}

const corked = new WeakSet<Socket>();

/**
 * Holds a socket's writes until the current turn of the event loop ends, so the answers to several
 * pipelined requests leave in one `writev` system call instead of one each.
 */
function coalesceWrites(socket: Socket | null): void {
  if (socket === null || corked.has(socket) || socket.destroyed) return;
  corked.add(socket);
  socket.cork();
  setImmediate(() => {
    corked.delete(socket);
    socket.uncork();
  });
}

function parseInput(body: Buffer): Input {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw serviceErrors.serialization('Failed to parse the request body as JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw serviceErrors.invalidInput('The request body must be a JSON object');
  }
  return parsed as Input;
}

function toServiceError(error: unknown, options: ResolvedEmulatorOptions): ServiceError {
  if (error instanceof ServiceError) return error;
  // Handlers report bad input as ServiceErrors; anything else is a bug in the emulator: answer 500 and log it.
  options.logger.error(
    { err: error instanceof Error ? `${error.name}: ${error.message}` : String(error) },
    'aml-emulator internal error',
  );
  return serviceErrors.internal();
}

/** Milliseconds since `arrived` (a `performance.now()` reading), to 0.01 ms, for the request log. */
function latencySince(arrived: number): number {
  return Math.round((performance.now() - arrived) * 100) / 100;
}
