import type { Dispatcher } from 'undici';
import type { Logger } from '../model/Logger.js';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from './AwsCredentialIdentity.js';
import type { TelemetryOption } from './TelemetryOption.js';

/** Default of {@link AmazonMLClientConfig.requestTimeoutMs}: 30 seconds. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Default of {@link AmazonMLClientConfig.maxConcurrentRequests}, and the connections per origin of the
 * client's own keep-alive pool (the AWS SDK's default `maxSockets` is 50).
 */
export const MAX_CONNECTIONS = 64;

/**
 * Configuration of an {@link AmazonMLClient}. Everything is optional: with nothing set, the client
 * finds its endpoint, region and credentials the way the AWS SDK does (see `API.md`). Members not
 * listed here are ignored (so a waiter's `client` option can carry extra fields).
 */
export interface AmazonMLClientConfig {
  /**
   * The service endpoint, an `http:` or `https:` URL (an emulator: `http://127.0.0.1:4566`). Its
   * path is kept: requests are POSTed to it (default `/`).
   * @default `AWS_ENDPOINT_URL_MACHINE_LEARNING` → `AWS_ENDPOINT_URL` → profile → `https://machinelearning.{region}.amazonaws.com`
   */
  readonly endpoint?: string | URL | undefined;
  /**
   * The AWS region (Amazon ML runs in `us-east-1` and `eu-west-1`; another region without a custom
   * endpoint logs one warning).
   * @default `AWS_REGION` → `AWS_DEFAULT_REGION` → the profile's `region`
   */
  readonly region?: string | undefined;
  /**
   * Credentials, or an async provider such as `fromNodeProviderChain()` from
   * `@aws-sdk/credential-providers`. Temporary credentials (a provider's, or the AWS SDK chain's) are
   * cached until 5 minutes before their `expiration`, for every wait of the client, and refreshed once.
   * @default env `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` (unless a profile is named) → static keys of the profile in the shared files → the AWS SDK's default chain (`@aws-sdk/credential-provider-node`, loaded only then): role_arn, credential_process, SSO, web identity, container credentials, EC2 IMDSv2
   */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;
  /**
   * The shared config/credentials profile to use. Naming one (here or with `AWS_PROFILE`) makes the
   * client skip the `AWS_ACCESS_KEY_ID` environment credentials, like the AWS SDK.
   * @default `AWS_PROFILE`, else `default`
   */
  readonly profile?: string | undefined;
  /**
   * Deadline of one request in milliseconds, from sending it to having read the whole response
   * (headers and body). When it passes the call rejects with a retryable `RequestTimeoutError`.
   * An integer from 1 to 2³¹−1.
   * @default 30000
   */
  readonly requestTimeoutMs?: number | undefined;
  /**
   * A request budget shared by every call of this client (so by every wait that uses it): at most
   * this many requests per second, with bursts up to the same number. It adapts to throttling: each
   * throttling response halves the rate (down to a tenth), and every quiet second gives back a tenth of
   * it. Calls over budget queue in order (an abort leaves the queue). Must be > 0.
   * @default no limit
   */
  readonly maxRequestsPerSecond?: number | undefined;
  /**
   * At most this many requests of this client in flight at once (so across every wait that uses it),
   * whatever the dispatcher. Calls over the limit wait in order, before they are signed — holding only a
   * pending promise — and an abort leaves the queue; `requestTimeoutMs` starts when a call's request is
   * sent. The default matches the 64 connections of the client's own pool. An integer ≥ 1, or `Infinity`
   * for no limit (e.g. with a larger dispatcher of your own).
   * @default 64
   */
  readonly maxConcurrentRequests?: number | undefined;
  /**
   * An undici dispatcher (an `Agent`, a `ProxyAgent`, a `MockAgent`…) used as is and never closed by
   * the client; it wins over the proxy and CA-bundle settings. Without it the client lazily creates a
   * keep-alive pool with at most 64 connections per origin, which `close()` closes: undici's `Agent`, or
   * its `EnvHttpProxyAgent` when `HTTPS_PROXY`/`HTTP_PROXY` (either case) is set, honouring `NO_PROXY`,
   * trusting `AWS_CA_BUNDLE` / the profile's `ca_bundle` when set.
   */
  readonly dispatcher?: Dispatcher | undefined;
  /**
   * Receives one `debug` line per request (`{operation, statusCode, requestId, durationMs}`) and
   * configuration warnings. Never receives secrets.
   * @default a silent logger
   */
  readonly logger?: Logger | undefined;
  /**
   * The environment variables to read instead of `process.env` (for tests and the CLI). Read once, at
   * the first call. The AWS SDK's credential providers, when reached, are given the profile and shared
   * files found here, but read their own variables (`AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_CONTAINER_…`,
   * `AWS_EC2_METADATA_…`, `AWS_ENDPOINT_URL_STS`, `HOME` for the SSO token cache…) from `process.env`.
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * Wall-clock time in epoch milliseconds, used to sign requests and check credential expiry.
   * @default Date.now
   */
  readonly wallClock?: (() => number) | undefined;
  /**
   * Reports every request as an OpenTelemetry CLIENT span (`MachineLearning.<Operation>`, a child of the
   * active context) and in request metrics: `true` for the global providers, or `{ tracerProvider,
   * meterProvider }`. Waits on this client report their spans too. Needs the optional peer dependency
   * `@opentelemetry/api`, loaded at the first call only when this is on. See docs/observability.md.
   * @default false
   */
  readonly telemetry?: TelemetryOption | undefined;
}

/** Per-call options. */
export interface RequestOptions {
  /**
   * Cancels the call. An already-aborted signal sends nothing; an abort cancels the in-flight
   * request. Either way the call rejects with `signal.reason`, unchanged.
   */
  readonly signal?: AbortSignal | undefined;
}

/** Options of `getDataSource` / `getMLModel` (and `get` for those kinds). */
export interface GetOptions extends RequestOptions {
  /**
   * Ask for the verbose form (`DataSourceSchema` for data sources, `Recipe` and `Schema` for ML
   * models). Only for `DataSource` and `MLModel`.
   * @default false
   */
  readonly verbose?: boolean | undefined;
}

/** The effective endpoint and region, as `AmazonMLClient.resolveConfig()` reports them. */
export interface ResolvedClientConfig {
  readonly endpoint: string;
  readonly region: string;
  /** `AWS_MAX_ATTEMPTS` / profile `max_attempts`, when set: attempts per poll, the first included. */
  readonly maxAttempts?: number | undefined;
}
