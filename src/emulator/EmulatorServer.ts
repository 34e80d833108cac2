import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { inspect } from 'node:util';
import type { Clock } from '../model/Clock.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import { systemClock } from '../model/Clock.js';
import { ChangeFeed } from './console/ChangeFeed.js';
import { CONSOLE_PREFIX } from './console/ConsoleEvent.js';
import { ConsoleServer } from './console/ConsoleServer.js';
import { loadConsoleAssets } from './consoleAssets.js';
import { ApiHandler } from './ApiHandler.js';
import { ControlApi, CONTROL_PREFIX } from './ControlApi.js';
import type { TlsKeyPair } from './createSelfSignedCertificate.js';
import type { EmulatorCredentialEndpoints } from './CredentialEndpoints.js';
import { CredentialEndpoints } from './CredentialEndpoints.js';
import { CredentialStore } from './CredentialStore.js';
import type { Emulator, EmulatorClientCredentials } from './Emulator.js';
import type { EmulatorCredential } from './EmulatorCredential.js';
import { DEFAULT_USER_ARN } from './EmulatorCredential.js';
import type { ResolvedEmulatorOptions } from './EmulatorOptions.js';
import { FaultInjector } from './FaultInjector.js';
import type { FaultRule, FaultRuleState } from './FaultRule.js';
import type { LifecycleStep } from './LifecycleScript.js';
import type { EmulatorCounters, RequestLogEntry } from './RequestLog.js';
import { RequestLog } from './RequestLog.js';
import type { ResourceInput } from './ResourceStore.js';
import { ResourceStore } from './ResourceStore.js';
import { ResponseWriter } from './ResponseWriter.js';
import { SigV4Verifier } from './SigV4Verifier.js';

/**
 * The emulator: an HTTP server speaking the Amazon ML JSON protocol, plus in-process control. This file
 * wires the parts and routes each request (console, control API, credential endpoints, else the Amazon ML
 * API); the parts do the work: {@link ApiHandler} (the API pipeline), {@link ResponseWriter} (every answer,
 * the `Date` header and the request log), {@link ResourceStore} (resources and their lifecycles, on the
 * lifecycle `clock`), {@link FaultInjector} with `faultKinds` (faults), {@link SigV4Verifier} (signatures,
 * on `authClock` plus the skew, read in one place below).
 */
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
  readonly #writer: ResponseWriter;
  readonly #api: ApiHandler;
  readonly #tls: TlsKeyPair | undefined;
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
    // The signature clock: `authClock` (the real time unless a test sets it) plus the emulator's skew.
    const authNow = (): number => options.authClock() + this.#skewMs;
    this.#verifier = new SigV4Verifier(this.#credentials, options.region, authNow);
    this.#store = new ResourceStore({
      clock: options.clock,
      lifecycle: options.lifecycle,
      speed: options.speed,
      random: options.random,
    });
    this.#faults = new FaultInjector(options.random);
    this.#log = new RequestLog(options.maxLogEntries);
    this.#writer = new ResponseWriter(this.#log, options.logger, () => this.#skewMs);
    this.#api = new ApiHandler({
      options,
      store: this.#store,
      verifier: this.#verifier,
      faults: this.#faults,
      writer: this.#writer,
      notOnboarded: () => this.#notOnboarded,
    });
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
    this.#credentialEndpoints =
      options.credentialEndpoints === undefined
        ? undefined
        : new CredentialEndpoints(options.credentialEndpoints, {
            credentials: this.#credentials,
            stsVerifier: new SigV4Verifier(this.#credentials, undefined, authNow, true, 'sts'),
            now: authNow,
            baseUrl: () => this.endpoint,
            send: (res, exchange, contentType, body, headers) => {
              this.#writer.sendCredentialAnswer(res, exchange, contentType, body, headers);
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
      this.#writer.rejectBadHttp(error, socket);
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
      this.#api.close();
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
      this.#writer.arrived(res);
      if (this.#credentialEndpoints.handle(req, res, url)) return;
    }
    this.#api.handle(req, res, url);
  }
}
