import { randomBytes } from 'node:crypto';
import type { Clock } from '../model/Clock.js';
import { systemClock } from '../model/Clock.js';
import type { Logger } from '../model/Logger.js';
import { silentLogger } from '../model/Logger.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import type { ConsoleOptions, ResolvedConsoleOptions } from './console/ConsoleOptions.js';
import { resolveConsoleOptions } from './console/ConsoleOptions.js';
import type {
  CredentialEndpointsOptions,
  ResolvedCredentialEndpointsOptions,
} from './CredentialEndpoints.js';
import { resolveCredentialEndpointsOptions } from './CredentialEndpoints.js';
import type { TlsKeyPair } from './createSelfSignedCertificate.js';
import type { EmulatorCredential } from './EmulatorCredential.js';
import { DEFAULT_EMULATOR_CREDENTIALS } from './EmulatorCredential.js';
import type { LifecycleSettings, LifecycleSettingsInput } from './LifecycleSettings.js';
import { resolveLifecycleSettings } from './LifecycleSettings.js';

/** Options of {@link startEmulator}. Every option is optional. */
export interface EmulatorOptions {
  /** TCP port; `0` picks a free one. Default `0` (the `aml-emulator` binary defaults to 4566). */
  readonly port?: number | undefined;
  /** Interface to bind. Default `127.0.0.1`. */
  readonly host?: string | undefined;
  /** The region requests must be signed for. Default `us-east-1`. */
  readonly region?: string | undefined;
  /** Accepted key pairs. Default: one pair, {@link DEFAULT_EMULATOR_CREDENTIALS}. */
  readonly credentials?: readonly EmulatorCredential[] | undefined;
  /** Clock that drives lifecycles (a `VirtualClock` in tests). Default: the system clock. */
  readonly clock?: Clock | undefined;
  /** Wall-clock epoch ms for the SigV4 15-minute window and token expiry. Default `Date.now`. */
  readonly authClock?: (() => number) | undefined;
  /** Pretend the server's clock is off by this many ms (shifts the auth window and the `Date` header). Default 0. */
  readonly skewMs?: number | undefined;
  /** Lifecycle speed multiplier for simulated lifecycles (2 = twice as fast). Scripts are not scaled. Default 1. */
  readonly speed?: number | undefined;
  /** Simulated lifecycle settings (durations, failure rate, record counts); see {@link LifecycleSettings}. */
  readonly lifecycle?: LifecycleSettingsInput | undefined;
  /** Answer every authenticated request with the real service's 403 `AccessDeniedException`. Default `false`. */
  readonly notOnboarded?: boolean | undefined;
  /**
   * Create missing references (the ML model and data source of a batch prediction, …) as COMPLETED
   * resources instead of failing the new resource. Default `false` (AWS behaviour: the new resource
   * ends FAILED with a `Message`).
   */
  readonly autoCreateReferences?: boolean | undefined;
  /** Token for the HTTP control interface. Default: 32 random hex characters. */
  readonly controlToken?: string | undefined;
  /** Largest accepted request body; larger ones get 413. Default 1 MiB. */
  readonly maxBodyBytes?: number | undefined;
  /** Verify SigV4 signatures. Default `true` (turn off only to measure the cost of verification). */
  readonly verifySignatures?: boolean | undefined;
  /** Receives one debug line per request (`{operation, statusCode, requestId, errorType}`); never secrets. */
  readonly logger?: Logger | undefined;
  /** Random source in [0, 1) for failure rates and rate-based faults. Default `Math.random`. */
  readonly random?: (() => number) | undefined;
  /** Cut off connections whose headers take longer than this (slow loris). Default 10 000 ms. */
  readonly headersTimeoutMs?: number | undefined;
  /** Cut off requests that take longer than this to arrive in full. Default 30 000 ms. */
  readonly requestTimeoutMs?: number | undefined;
  /** Idle keep-alive connections are closed after this. Default 5 000 ms. */
  readonly keepAliveTimeoutMs?: number | undefined;
  /** Entries kept in the request log (oldest dropped first). Default 10 000. */
  readonly maxLogEntries?: number | undefined;
  /**
   * Serve the emulator console, a web page to watch and drive the emulator, at `<endpoint>/__console/`
   * (see docs/emulator-console.md). Default `false`. Beyond loopback only with `console.allowedHosts`.
   */
  readonly console?: boolean | ConsoleOptions | undefined;
  /**
   * Also serve the endpoints the AWS SDK's credential providers call (container credentials, IMDSv2, STS,
   * SSO), on this port; `true` serves all four with defaults. See `emu.credentialEndpoints`. Default off.
   */
  readonly credentialEndpoints?: boolean | CredentialEndpointsOptions | undefined;
  /**
   * Serve HTTPS instead of HTTP: `true` makes a self-signed certificate at start (with `openssl`; see
   * `emu.certificate`), or give a PEM `{ key, cert }`. Default off.
   */
  readonly tls?: boolean | TlsKeyPair | undefined;
}

/** Options after validation and defaults. */
export interface ResolvedEmulatorOptions {
  readonly port: number;
  readonly host: string;
  readonly region: string;
  readonly credentials: readonly EmulatorCredential[];
  readonly clock: Clock;
  readonly authClock: () => number;
  readonly skewMs: number;
  readonly speed: number;
  readonly lifecycle: Readonly<Record<ResourceKind, LifecycleSettings>>;
  readonly notOnboarded: boolean;
  readonly autoCreateReferences: boolean;
  readonly controlToken: string;
  readonly maxBodyBytes: number;
  readonly verifySignatures: boolean;
  readonly logger: Logger;
  readonly random: () => number;
  readonly headersTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxLogEntries: number;
  /** The console's settings; `undefined` when it is off. */
  readonly console: ResolvedConsoleOptions | undefined;
  readonly credentialEndpoints: ResolvedCredentialEndpointsOptions | undefined;
  /** `true`: make a self-signed certificate at start. */
  readonly tls: TlsKeyPair | true | undefined;
}

function positiveInteger(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new RangeError(
      `Expected \`${field}\` to be an integer from ${min} to ${max}, got ${String(value)}`,
    );
  }
  return value;
}

function bool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean')
    throw new TypeError(`Expected \`${field}\` to be a boolean, got ${String(value)}`);
  return value;
}

function fn<T>(value: unknown, field: string): T {
  if (typeof value !== 'function')
    throw new TypeError(`Expected \`${field}\` to be a function, got ${String(value)}`);
  return value as T;
}

/** Validates options (TypeError/RangeError naming the option and echoing the value) and applies defaults. */
export function resolveEmulatorOptions(options: EmulatorOptions = {}): ResolvedEmulatorOptions {
  if (typeof options !== 'object' || (options as unknown) === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${typeof options}`);
  }
  const o = options;
  const region = o.region ?? 'us-east-1';
  if (typeof region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) {
    throw new TypeError(
      `Expected \`region\` to be a region name like us-east-1, got ${JSON.stringify(region)}`,
    );
  }
  const host = o.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host.length === 0) {
    throw new TypeError(`Expected \`host\` to be a non-empty string, got ${JSON.stringify(host)}`);
  }
  const credentials = o.credentials ?? [DEFAULT_EMULATOR_CREDENTIALS];
  if (!Array.isArray(credentials)) {
    throw new TypeError(`Expected \`credentials\` to be an array of key pairs, got ${typeof credentials}`);
  }
  const speed = o.speed ?? 1;
  if (typeof speed !== 'number' || !Number.isFinite(speed) || speed <= 0) {
    throw new RangeError(`Expected \`speed\` to be a finite number > 0, got ${String(speed)}`);
  }
  const skewMs = o.skewMs ?? 0;
  if (typeof skewMs !== 'number' || !Number.isFinite(skewMs)) {
    throw new RangeError(`Expected \`skewMs\` to be a finite number, got ${String(skewMs)}`);
  }
  const controlToken = o.controlToken ?? randomBytes(16).toString('hex');
  if (typeof controlToken !== 'string' || !/^[\x21-\x7e]{8,256}$/.test(controlToken)) {
    throw new TypeError('Expected `controlToken` to be 8-256 printable ASCII characters without spaces');
  }
  const clock = o.clock ?? systemClock;
  if (typeof clock !== 'object' || typeof clock.now !== 'function' || typeof clock.wallNow !== 'function') {
    throw new TypeError(
      `Expected \`clock\` to be a Clock (now, wallNow, setTimeout, clearTimeout), got ${typeof clock}`,
    );
  }
  const logger = o.logger ?? silentLogger;
  if (typeof logger !== 'object' || typeof logger.debug !== 'function') {
    throw new TypeError(`Expected \`logger\` to have debug/info/warn/error methods, got ${typeof logger}`);
  }
  return {
    port: positiveInteger(o.port ?? 0, 'port', 0, 65535),
    host,
    region,
    credentials,
    clock,
    authClock: o.authClock === undefined ? Date.now : fn(o.authClock, 'authClock'),
    skewMs,
    speed,
    lifecycle: resolveLifecycleSettings(o.lifecycle),
    notOnboarded: bool(o.notOnboarded ?? false, 'notOnboarded'),
    autoCreateReferences: bool(o.autoCreateReferences ?? false, 'autoCreateReferences'),
    controlToken,
    maxBodyBytes: positiveInteger(o.maxBodyBytes ?? 1_048_576, 'maxBodyBytes', 2, 1024 * 1024 * 1024),
    verifySignatures: bool(o.verifySignatures ?? true, 'verifySignatures'),
    logger,
    random: o.random === undefined ? Math.random : fn(o.random, 'random'),
    headersTimeoutMs: positiveInteger(o.headersTimeoutMs ?? 10_000, 'headersTimeoutMs', 1, 3_600_000),
    requestTimeoutMs: positiveInteger(o.requestTimeoutMs ?? 30_000, 'requestTimeoutMs', 1, 3_600_000),
    keepAliveTimeoutMs: positiveInteger(o.keepAliveTimeoutMs ?? 5_000, 'keepAliveTimeoutMs', 1, 3_600_000),
    maxLogEntries: positiveInteger(o.maxLogEntries ?? 10_000, 'maxLogEntries', 0, 10_000_000),
    console: resolveConsoleOptions(o.console, host),
    credentialEndpoints: resolveCredentialEndpointsOptions(o.credentialEndpoints),
    tls: resolveTls(o.tls),
  };
}

function resolveTls(value: unknown): TlsKeyPair | true | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return true;
  const pair = (typeof value === 'object' ? value : null) as { key?: unknown; cert?: unknown } | null;
  if (
    pair === null ||
    typeof pair.key !== 'string' ||
    typeof pair.cert !== 'string' ||
    !pair.cert.includes('-----BEGIN CERTIFICATE-----') ||
    !pair.key.includes('PRIVATE KEY-----')
  ) {
    // The key is a secret: never echo it.
    throw new TypeError('Expected `tls` to be a boolean or a PEM `{ key, cert }` pair');
  }
  return { key: pair.key, cert: pair.cert };
}
