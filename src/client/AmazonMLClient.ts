import { inspect, type InspectOptions } from 'node:util';
import { createRequire } from 'node:module';
import type { Agent as UndiciAgent, Dispatcher } from 'undici';
import type { DescribeInput, DescribeOutput } from '../model/Describe.js';
import { silentLogger, type Logger } from '../model/Logger.js';
import {
  isResourceKind,
  resourceKinds,
  type ResourceByKind,
  type ResourceKind,
} from '../model/ResourceKind.js';
import type { BatchPrediction } from '../model/BatchPrediction.js';
import type { DataSource } from '../model/DataSource.js';
import type { Evaluation } from '../model/Evaluation.js';
import type { MLModel, MLModelType } from '../model/MLModel.js';
import { SIGNING_SERVICE, TARGET_PREFIX } from '../model/wireShapes.js';
import { AmazonMLError } from './AmazonMLError.js';
import { AwsJsonRequestSigner } from './AwsJsonRequestSigner.js';
import { RequestBudget } from './RequestBudget.js';
import { RequestSlots } from './RequestSlots.js';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from './AwsCredentialIdentity.js';
import { ConfigurationError } from './ConfigurationError.js';
import { CredentialResolver, type SigningCredentials } from './CredentialResolver.js';
import { serializeDescribeInput } from './describeInput.js';
import { parseErrorResponse, requestIdOf } from './parseErrorResponse.js';
import { parseResource } from './parseResource.js';
import {
  AMAZON_ML_REGIONS,
  isValidRegion,
  parseEndpoint,
  resolveEndpointAndRegion,
} from './resolveEndpointAndRegion.js';
import { loadSharedConfig, type SharedConfig } from './sharedIniFiles.js';
import { sendRequest, type HttpExchange } from './sendRequest.js';
import {
  assertEntityId,
  assertEntityName,
  assertKnownKeys,
  assertObject,
  assertOptionalBoolean,
  assertRequestOptions,
  assertS3Url,
  assertString,
  describeType,
  describeValue,
  isPlainObject,
} from './validate.js';

// undici's Agent alone (the same module the root entry re-exports, so the same class): the root entry also
// loads fetch, WebSocket, caches and mocks, about 50 ms more at start-up. undici is pinned exactly.
const Agent = createRequire(import.meta.url)('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;

export type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from './AwsCredentialIdentity.js';

/** Connections per origin of the client's own keep-alive pool (the AWS SDK's default `maxSockets` is 50). */
export const MAX_CONNECTIONS = 64;

/** Default of {@link AmazonMLClientConfig.requestTimeoutMs}: 30 seconds. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** A clock skew at least this large (server `Date` vs local time) triggers correction and one retry. */
export const CLOCK_SKEW_THRESHOLD_MS = 4 * 60_000;

/** Error types that may mean "your clock is wrong" (signature or request expiry). */
const CLOCK_SKEW_ERRORS: ReadonlySet<string> = new Set([
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'RequestExpired',
  'RequestInTheFuture',
  'RequestTimeTooSkewed',
  'AuthFailure',
]);

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

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
   * `@aws-sdk/credential-providers`. A provider's result is cached until 5 minutes before its
   * `expiration`.
   * @default env `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY`/`AWS_SESSION_TOKEN` (unless a profile is named) → the profile in the shared files
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
   * the client. Without it the client lazily creates a keep-alive `Agent` with at most 64 connections
   * per origin, which `close()` closes.
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
   * the first call.
   * @default process.env
   */
  readonly env?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * Wall-clock time in epoch milliseconds, used to sign requests and check credential expiry.
   * @default Date.now
   */
  readonly wallClock?: (() => number) | undefined;
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

/** Input of {@link AmazonMLClient.createBatchPrediction}. */
export interface CreateBatchPredictionInput {
  readonly BatchPredictionId: string;
  readonly BatchPredictionName?: string | undefined;
  readonly MLModelId: string;
  readonly BatchPredictionDataSourceId: string;
  /** `s3://bucket/prefix/` where the results go. */
  readonly OutputUri: string;
}

/** The `S3DataSpec` of {@link CreateDataSourceFromS3Input}. */
export interface S3DataSpec {
  readonly DataLocationS3: string;
  readonly DataRearrangement?: string | undefined;
  readonly DataSchema?: string | undefined;
  readonly DataSchemaLocationS3?: string | undefined;
}

/** Input of {@link AmazonMLClient.createDataSourceFromS3}. */
export interface CreateDataSourceFromS3Input {
  readonly DataSourceId: string;
  readonly DataSourceName?: string | undefined;
  readonly DataSpec: S3DataSpec;
  readonly ComputeStatistics?: boolean | undefined;
}

/** Input of {@link AmazonMLClient.createMLModel}. */
export interface CreateMLModelInput {
  readonly MLModelId: string;
  readonly MLModelName?: string | undefined;
  readonly MLModelType: MLModelType;
  readonly Parameters?: Readonly<Record<string, string>> | undefined;
  readonly TrainingDataSourceId: string;
  readonly Recipe?: string | undefined;
  readonly RecipeUri?: string | undefined;
}

/** Input of {@link AmazonMLClient.createEvaluation}. */
export interface CreateEvaluationInput {
  readonly EvaluationId: string;
  readonly EvaluationName?: string | undefined;
  readonly MLModelId: string;
  readonly EvaluationDataSourceId: string;
}

/** The effective endpoint and region, as {@link AmazonMLClient.resolveConfig} reports them. */
export interface ResolvedClientConfig {
  readonly endpoint: string;
  readonly region: string;
}

interface Settings {
  readonly origin: string;
  readonly host: string;
  readonly path: string;
  readonly region: string;
  readonly endpoint: string;
  readonly signer: AwsJsonRequestSigner;
}

interface Context {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly credentials: CredentialResolver;
  readonly profile: string;
  readonly explicitProfile: boolean;
  readonly loadShared: () => Promise<SharedConfig>;
}

const ML_MODEL_TYPES: ReadonlySet<string> = new Set(['REGRESSION', 'BINARY', 'MULTICLASS']);

function validateConfig(config: unknown): AmazonMLClientConfig {
  if (config === undefined) return {};
  if (!isPlainObject(config)) {
    throw new TypeError(`Expected \`config\` to be an object, got ${describeValue(config)}`);
  }
  const c = config as AmazonMLClientConfig;
  if (c.region !== undefined && !isValidRegion(c.region)) {
    const ErrorClass = typeof c.region === 'string' ? RangeError : TypeError;
    throw new ErrorClass(
      `Expected \`region\` to be a region name like "us-east-1", got ${describeValue(c.region)}`,
    );
  }
  if (c.credentials !== undefined && typeof c.credentials !== 'function') {
    if (!isPlainObject(c.credentials)) {
      throw new TypeError(
        `Expected \`credentials\` to be a credentials object or a provider function, got ${describeType(c.credentials)}`,
      );
    }
    for (const field of ['accessKeyId', 'secretAccessKey'] as const) {
      const value = c.credentials[field] as unknown;
      if (typeof value !== 'string' || value === '') {
        // Never echo a credential value, only its type.
        throw new TypeError(
          `Expected \`credentials.${field}\` to be a non-empty string, got ${describeType(value)}`,
        );
      }
    }
    const token = c.credentials.sessionToken as unknown;
    if (token !== undefined && typeof token !== 'string') {
      throw new TypeError(`Expected \`credentials.sessionToken\` to be a string, got ${describeType(token)}`);
    }
  }
  if (c.profile !== undefined) {
    if (typeof c.profile !== 'string' || c.profile.trim() === '' || c.profile === '__proto__') {
      throw new TypeError(`Expected \`profile\` to be a profile name, got ${describeValue(c.profile)}`);
    }
  }
  if (c.requestTimeoutMs !== undefined) {
    const ms = c.requestTimeoutMs as unknown;
    if (typeof ms !== 'number') {
      throw new TypeError(`Expected \`requestTimeoutMs\` to be a number, got ${describeValue(ms)}`);
    }
    if (!Number.isInteger(ms) || ms < 1 || ms > MAX_TIMEOUT_MS) {
      throw new RangeError(
        `Expected \`requestTimeoutMs\` to be an integer from 1 to ${MAX_TIMEOUT_MS}, got ${describeValue(ms)}`,
      );
    }
  }
  if (c.maxRequestsPerSecond !== undefined) {
    const rate = c.maxRequestsPerSecond as unknown;
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) {
      throw new RangeError(
        `Expected \`maxRequestsPerSecond\` to be a finite number > 0, got ${describeValue(rate)}`,
      );
    }
  }
  if (c.maxConcurrentRequests !== undefined) {
    const limit = c.maxConcurrentRequests as unknown;
    if (
      typeof limit !== 'number' ||
      (!Number.isSafeInteger(limit) && limit !== Number.POSITIVE_INFINITY) ||
      limit < 1
    ) {
      throw new RangeError(
        `Expected \`maxConcurrentRequests\` to be an integer ≥ 1 or Infinity, got ${describeValue(limit)}`,
      );
    }
  }
  if (c.dispatcher !== undefined) {
    const d = c.dispatcher as unknown;
    if (
      typeof d !== 'object' ||
      d === null ||
      typeof (d as { request?: unknown }).request !== 'function' ||
      typeof (d as { dispatch?: unknown }).dispatch !== 'function'
    ) {
      throw new TypeError(`Expected \`dispatcher\` to be an undici Dispatcher, got ${describeValue(d)}`);
    }
  }
  if (c.logger !== undefined) {
    const logger = c.logger as unknown;
    if (
      typeof logger !== 'object' ||
      logger === null ||
      !(['debug', 'info', 'warn', 'error'] as const).every(
        (level) => typeof (logger as Record<string, unknown>)[level] === 'function',
      )
    ) {
      throw new TypeError(
        `Expected \`logger\` to be an object with debug, info, warn and error methods, got ${describeValue(logger)}`,
      );
    }
  }
  if (c.env !== undefined && !isPlainObject(c.env) && c.env !== process.env) {
    throw new TypeError(`Expected \`env\` to be an object of strings, got ${describeValue(c.env)}`);
  }
  if (c.wallClock !== undefined && typeof c.wallClock !== 'function') {
    throw new TypeError(
      `Expected \`wallClock\` to be a function returning epoch milliseconds, got ${describeValue(c.wallClock)}`,
    );
  }
  return c;
}

/**
 * Waits for `promise`, but rejects with `signal.reason` as soon as the signal aborts (a slow
 * credential provider must not delay an abort). The promise itself keeps running.
 */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      reject(signal.reason as Error);
    };
    if (signal.aborted) {
      onAbort();
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    promise
      .finally(() => {
        signal.removeEventListener('abort', onAbort);
      })
      .then(resolve, reject);
  });
}

/** A rejected promise for a synchronous validation failure (always an Error in practice). */
function rejection(error: unknown): Promise<never> {
  return Promise.reject(error instanceof Error ? error : new Error(String(error)));
}

/** Throws `signal.reason` unchanged when the signal is aborted. */
function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw signal.reason;
}

function closedError(operation: string): AmazonMLError {
  return new AmazonMLError('ClientClosedError', `${operation} called after the AmazonMLClient was closed`, {
    operation,
    retryable: false,
  });
}

/**
 * A small, fast client for the Amazon Machine Learning API (2014-12-12, awsJson1_1 over HTTPS,
 * SigV4-signed with `aws4`, sent with undici on a keep-alive connection pool).
 *
 * Each call is sent once (except one retry after correcting clock skew: a signature or expiry
 * error whose `Date` header is 4 minutes or more away from local time); retrying is the waiter's
 * job, or wrap calls in p-retry using the errors' `retryable` flag.
 *
 * How a call fails:
 * - a service error → the {@link AmazonMLError} subclass named after its type
 *   (`ResourceNotFoundException`, `ThrottlingException`, … see `serviceErrors.ts`); an unknown type →
 *   a base `AmazonMLError` whose `name` is that type;
 * - a response without a readable error type (an HTML page from a proxy, an empty body) →
 *   `AmazonMLError` named `Http<status>Error` (`Http503Error`), `retryable` for 429 and 5xx;
 * - a 2xx whose body is not a JSON object → `InvalidResponseError` (not retryable);
 * - a network failure (reset, refused, DNS…) → `NetworkError` (retryable, `cause` = the undici/Node error);
 *   the request deadline (`requestTimeoutMs`) → `RequestTimeoutError` (retryable); any other
 *   transport error → `RequestError` (not retryable);
 * - a call after {@link AmazonMLClient.close} → `ClientClosedError` (not retryable);
 * - no region/endpoint/credentials, a bad profile, a failing credential provider →
 *   {@link ConfigurationError} (`code: 'ERR_AML_CONFIG'`), listing what was tried;
 * - bad arguments → `TypeError`/`RangeError` naming the field, before any request;
 * - an abort through `signal` → the signal's `reason`, unchanged (nothing is sent if it was
 *   already aborted).
 *
 * @example
 * ```ts
 * import { AmazonMLClient } from 'aml-waiter';
 * const client = new AmazonMLClient({ region: 'us-east-1' });
 * const bp = await client.getBatchPrediction('bp-123');
 * console.log(bp.Status, bp.CreatedAt?.toISOString());
 * await client.close();
 * ```
 */
export class AmazonMLClient {
  readonly #config: AmazonMLClientConfig;
  readonly #endpoint: URL | undefined;
  readonly #timeoutMs: number;
  /** The client-wide request budget (`maxRequestsPerSecond`), if any. */
  readonly #budget: RequestBudget | undefined;
  /** The client-wide limit on requests in flight (`maxConcurrentRequests`). */
  readonly #slots: RequestSlots;
  readonly #logger: Logger;
  /** `false` when no logger was given: the hot path then skips building debug lines. */
  readonly #logging: boolean;
  readonly #wallClock: () => number;
  #context: Context | undefined;
  #settings: Settings | undefined;
  #settingsPromise: Promise<Settings> | undefined;
  #dispatcher: Dispatcher | undefined;
  #ownedDispatcher: UndiciAgent | undefined;
  #closePromise: Promise<void> | undefined;
  #clockOffsetMs = 0;

  /**
   * Validates the configuration synchronously (types, URL, numbers); reading the environment and
   * the shared files happens at the first call, once.
   * @throws {TypeError | RangeError} for a malformed option, naming it.
   */
  constructor(config?: AmazonMLClientConfig) {
    const c = validateConfig(config);
    this.#config = c;
    if (c.endpoint !== undefined) {
      if (typeof c.endpoint !== 'string' && !(c.endpoint instanceof URL)) {
        throw new TypeError(
          `Expected \`endpoint\` to be a URL string or URL, got ${describeValue(c.endpoint)}`,
        );
      }
      const parsed = parseEndpoint(c.endpoint);
      if (typeof parsed === 'string') {
        throw new RangeError(
          `Expected \`endpoint\` to be an http(s) URL, but ${parsed}: ${describeValue(String(c.endpoint))}`,
        );
      }
      this.#endpoint = parsed;
    }
    this.#timeoutMs = c.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#budget =
      c.maxRequestsPerSecond === undefined
        ? undefined
        : new RequestBudget({ maxRequestsPerSecond: c.maxRequestsPerSecond });
    this.#slots = new RequestSlots(c.maxConcurrentRequests ?? MAX_CONNECTIONS);
    this.#logger = c.logger ?? silentLogger;
    this.#logging = c.logger !== undefined && c.logger !== silentLogger;
    this.#wallClock = c.wallClock ?? Date.now;
    this.#dispatcher = c.dispatcher;
  }

  /** The effective endpoint and region (resolving env and profile on first use). Never credentials. */
  async resolveConfig(): Promise<ResolvedClientConfig> {
    const settings = this.#settings ?? (await this.#resolveSettings());
    return { endpoint: settings.endpoint, region: settings.region };
  }

  /**
   * Gets one resource of any kind by id (`GetBatchPrediction`, `GetDataSource`, …); the generic
   * call the waiter uses.
   * @throws {TypeError | RangeError} synchronously-checked bad `kind`, `id` or options (as a rejection).
   */
  get<K extends ResourceKind>(kind: K, id: string, options?: GetOptions): Promise<ResourceByKind[K]> {
    try {
      if (!isResourceKind(kind)) {
        throw new TypeError(
          `Expected \`kind\` to be one of BatchPrediction, DataSource, MLModel, Evaluation, got ${describeValue(kind)}`,
        );
      }
      assertEntityId(id, 'id');
      assertRequestOptions(options);
      const verbose = options?.verbose;
      assertOptionalBoolean(verbose, 'options.verbose');
      const info = resourceKinds[kind];
      let body = `{"${info.idMember}":"${id}"`;
      if (verbose === true) {
        if (kind !== 'DataSource' && kind !== 'MLModel') {
          throw new TypeError(`\`options.verbose\` applies to DataSource and MLModel only, not ${kind}`);
        }
        body += ',"Verbose":true';
      }
      body += '}';
      return this.#call(info.getOperation, body, options?.signal, (json) => parseResource(kind, json));
    } catch (error) {
      return rejection(error);
    }
  }

  /** `GetBatchPrediction`. */
  getBatchPrediction(id: string, options?: RequestOptions): Promise<BatchPrediction> {
    return this.get('BatchPrediction', id, options);
  }

  /** `GetDataSource` (`verbose: true` adds `DataSourceSchema`). */
  getDataSource(id: string, options?: GetOptions): Promise<DataSource> {
    return this.get('DataSource', id, options);
  }

  /** `GetMLModel` (`verbose: true` adds `Recipe` and `Schema`). */
  getMLModel(id: string, options?: GetOptions): Promise<MLModel> {
    return this.get('MLModel', id, options);
  }

  /** `GetEvaluation`. */
  getEvaluation(id: string, options?: RequestOptions): Promise<Evaluation> {
    return this.get('Evaluation', id, options);
  }

  /**
   * One page of `Describe…` for any kind: filters (`FilterVariable` with `EQ`/`GT`/`LT`/`GE`/`LE`/
   * `NE`/`Prefix`), `SortOrder`, `Limit` (1–100) and `NextToken`.
   */
  describe<K extends ResourceKind>(
    kind: K,
    input?: DescribeInput<K>,
    options?: RequestOptions,
  ): Promise<DescribeOutput<K>> {
    try {
      if (!isResourceKind(kind)) {
        throw new TypeError(
          `Expected \`kind\` to be one of BatchPrediction, DataSource, MLModel, Evaluation, got ${describeValue(kind)}`,
        );
      }
      const body = serializeDescribeInput(kind, input);
      assertRequestOptions(options);
      return this.#call(resourceKinds[kind].describeOperation, body, options?.signal, (json) => {
        const results = Array.isArray(json.Results) ? (json.Results as unknown[]) : [];
        const output: DescribeOutput<K> = {
          Results: results.filter(isPlainObject).map((item) => parseResource(kind, item)),
        };
        if (typeof json.NextToken === 'string' && json.NextToken !== '') output.NextToken = json.NextToken;
        return output;
      });
    } catch (error) {
      return rejection(error);
    }
  }

  /**
   * Iterates over every resource matching `input`, page by page (following `NextToken`; `Limit` is
   * the page size). Input is validated when this is called; requests start at the first `next()`.
   * Stops if the service repeats a `NextToken`.
   *
   * @example
   * ```ts
   * for await (const bp of client.paginate('BatchPrediction', { FilterVariable: 'Status', EQ: 'PENDING' })) {
   *   console.log(bp.BatchPredictionId);
   * }
   * ```
   */
  paginate<K extends ResourceKind>(
    kind: K,
    input?: DescribeInput<K>,
    options?: RequestOptions,
  ): AsyncIterableIterator<ResourceByKind[K]> {
    if (!isResourceKind(kind)) {
      throw new TypeError(
        `Expected \`kind\` to be one of BatchPrediction, DataSource, MLModel, Evaluation, got ${describeValue(kind)}`,
      );
    }
    serializeDescribeInput(kind, input);
    assertRequestOptions(options);
    return this.#pages(kind, { ...input }, options);
  }

  async *#pages<K extends ResourceKind>(
    kind: K,
    input: DescribeInput<K>,
    options: RequestOptions | undefined,
  ): AsyncGenerator<ResourceByKind[K], undefined, undefined> {
    let token = input.NextToken;
    for (;;) {
      const page: DescribeOutput<K> = await this.describe(
        kind,
        token === undefined ? input : { ...input, NextToken: token },
        options,
      );
      yield* page.Results;
      if (page.NextToken === undefined || page.NextToken === token) return undefined;
      token = page.NextToken;
    }
  }

  /** `DescribeBatchPredictions`: one page. */
  describeBatchPredictions(
    input?: DescribeInput<'BatchPrediction'>,
    options?: RequestOptions,
  ): Promise<DescribeOutput<'BatchPrediction'>> {
    return this.describe('BatchPrediction', input, options);
  }

  /** `DescribeDataSources`: one page. */
  describeDataSources(
    input?: DescribeInput<'DataSource'>,
    options?: RequestOptions,
  ): Promise<DescribeOutput<'DataSource'>> {
    return this.describe('DataSource', input, options);
  }

  /** `DescribeMLModels`: one page. */
  describeMLModels(
    input?: DescribeInput<'MLModel'>,
    options?: RequestOptions,
  ): Promise<DescribeOutput<'MLModel'>> {
    return this.describe('MLModel', input, options);
  }

  /** `DescribeEvaluations`: one page. */
  describeEvaluations(
    input?: DescribeInput<'Evaluation'>,
    options?: RequestOptions,
  ): Promise<DescribeOutput<'Evaluation'>> {
    return this.describe('Evaluation', input, options);
  }

  /** Every batch prediction matching `input`, across pages (see {@link AmazonMLClient.paginate}). */
  paginateBatchPredictions(
    input?: DescribeInput<'BatchPrediction'>,
    options?: RequestOptions,
  ): AsyncIterableIterator<BatchPrediction> {
    return this.paginate('BatchPrediction', input, options);
  }

  /** Every data source matching `input`, across pages. */
  paginateDataSources(
    input?: DescribeInput<'DataSource'>,
    options?: RequestOptions,
  ): AsyncIterableIterator<DataSource> {
    return this.paginate('DataSource', input, options);
  }

  /** Every ML model matching `input`, across pages. */
  paginateMLModels(
    input?: DescribeInput<'MLModel'>,
    options?: RequestOptions,
  ): AsyncIterableIterator<MLModel> {
    return this.paginate('MLModel', input, options);
  }

  /** Every evaluation matching `input`, across pages. */
  paginateEvaluations(
    input?: DescribeInput<'Evaluation'>,
    options?: RequestOptions,
  ): AsyncIterableIterator<Evaluation> {
    return this.paginate('Evaluation', input, options);
  }

  /** `CreateBatchPrediction`: starts a batch prediction (status `PENDING`); poll it with a waiter. */
  createBatchPrediction(
    input: CreateBatchPredictionInput,
    options?: RequestOptions,
  ): Promise<{ BatchPredictionId: string }> {
    return this.#create(
      'CreateBatchPrediction',
      'BatchPredictionId',
      input,
      (i) => {
        assertKnownKeys(
          i,
          new Set([
            'BatchPredictionId',
            'BatchPredictionName',
            'MLModelId',
            'BatchPredictionDataSourceId',
            'OutputUri',
          ]),
          'input',
        );
        assertEntityId(i.BatchPredictionId, 'input.BatchPredictionId');
        if (i.BatchPredictionName !== undefined)
          assertEntityName(i.BatchPredictionName, 'input.BatchPredictionName');
        assertEntityId(i.MLModelId, 'input.MLModelId');
        assertEntityId(i.BatchPredictionDataSourceId, 'input.BatchPredictionDataSourceId');
        assertS3Url(i.OutputUri, 'input.OutputUri');
      },
      options,
    ) as Promise<{ BatchPredictionId: string }>;
  }

  /** `CreateDataSourceFromS3`. */
  createDataSourceFromS3(
    input: CreateDataSourceFromS3Input,
    options?: RequestOptions,
  ): Promise<{ DataSourceId: string }> {
    return this.#create(
      'CreateDataSourceFromS3',
      'DataSourceId',
      input,
      (i) => {
        assertKnownKeys(
          i,
          new Set(['DataSourceId', 'DataSourceName', 'DataSpec', 'ComputeStatistics']),
          'input',
        );
        assertEntityId(i.DataSourceId, 'input.DataSourceId');
        if (i.DataSourceName !== undefined) assertEntityName(i.DataSourceName, 'input.DataSourceName');
        assertObject(i.DataSpec, 'input.DataSpec');
        const spec = i.DataSpec;
        assertKnownKeys(
          spec,
          new Set(['DataLocationS3', 'DataRearrangement', 'DataSchema', 'DataSchemaLocationS3']),
          'input.DataSpec',
        );
        assertS3Url(spec.DataLocationS3, 'input.DataSpec.DataLocationS3');
        if (spec.DataRearrangement !== undefined) {
          assertString(spec.DataRearrangement, 'input.DataSpec.DataRearrangement', 131_071);
        }
        if (spec.DataSchema !== undefined)
          assertString(spec.DataSchema, 'input.DataSpec.DataSchema', 131_071);
        if (spec.DataSchemaLocationS3 !== undefined) {
          assertS3Url(spec.DataSchemaLocationS3, 'input.DataSpec.DataSchemaLocationS3');
        }
        assertOptionalBoolean(i.ComputeStatistics, 'input.ComputeStatistics');
      },
      options,
    ) as Promise<{ DataSourceId: string }>;
  }

  /** `CreateMLModel`. */
  createMLModel(input: CreateMLModelInput, options?: RequestOptions): Promise<{ MLModelId: string }> {
    return this.#create(
      'CreateMLModel',
      'MLModelId',
      input,
      (i) => {
        assertKnownKeys(
          i,
          new Set([
            'MLModelId',
            'MLModelName',
            'MLModelType',
            'Parameters',
            'TrainingDataSourceId',
            'Recipe',
            'RecipeUri',
          ]),
          'input',
        );
        assertEntityId(i.MLModelId, 'input.MLModelId');
        if (i.MLModelName !== undefined) assertString(i.MLModelName, 'input.MLModelName', 1024);
        if (typeof i.MLModelType !== 'string' || !ML_MODEL_TYPES.has(i.MLModelType)) {
          throw new RangeError(
            `Expected \`input.MLModelType\` to be REGRESSION, BINARY or MULTICLASS, got ${describeValue(i.MLModelType)}`,
          );
        }
        if (i.Parameters !== undefined) {
          assertObject(i.Parameters, 'input.Parameters');
          for (const [key, value] of Object.entries(i.Parameters)) {
            assertString(value, `input.Parameters.${key}`, Number.MAX_SAFE_INTEGER);
          }
        }
        assertEntityId(i.TrainingDataSourceId, 'input.TrainingDataSourceId');
        if (i.Recipe !== undefined) assertString(i.Recipe, 'input.Recipe', 131_071);
        if (i.RecipeUri !== undefined) assertS3Url(i.RecipeUri, 'input.RecipeUri');
      },
      options,
    ) as Promise<{ MLModelId: string }>;
  }

  /** `CreateEvaluation`. */
  createEvaluation(
    input: CreateEvaluationInput,
    options?: RequestOptions,
  ): Promise<{ EvaluationId: string }> {
    return this.#create(
      'CreateEvaluation',
      'EvaluationId',
      input,
      (i) => {
        assertKnownKeys(
          i,
          new Set(['EvaluationId', 'EvaluationName', 'MLModelId', 'EvaluationDataSourceId']),
          'input',
        );
        assertEntityId(i.EvaluationId, 'input.EvaluationId');
        if (i.EvaluationName !== undefined) assertEntityName(i.EvaluationName, 'input.EvaluationName');
        assertEntityId(i.MLModelId, 'input.MLModelId');
        assertEntityId(i.EvaluationDataSourceId, 'input.EvaluationDataSourceId');
      },
      options,
    ) as Promise<{ EvaluationId: string }>;
  }

  /** `UpdateBatchPrediction`: renames a batch prediction. */
  updateBatchPrediction(
    id: string,
    name: string,
    options?: RequestOptions,
  ): Promise<{ BatchPredictionId: string }> {
    try {
      assertEntityId(id, 'id');
      assertEntityName(name, 'name');
      return this.#create(
        'UpdateBatchPrediction',
        'BatchPredictionId',
        { BatchPredictionId: id, BatchPredictionName: name },
        () => undefined,
        options,
      ) as Promise<{ BatchPredictionId: string }>;
    } catch (error) {
      return rejection(error);
    }
  }

  /** `DeleteBatchPrediction`: marks it `DELETED` (irreversible; `Get…` still returns it). */
  deleteBatchPrediction(id: string, options?: RequestOptions): Promise<{ BatchPredictionId: string }> {
    return this.#delete('BatchPrediction', id, options) as Promise<{ BatchPredictionId: string }>;
  }

  /** `DeleteDataSource`. */
  deleteDataSource(id: string, options?: RequestOptions): Promise<{ DataSourceId: string }> {
    return this.#delete('DataSource', id, options) as Promise<{ DataSourceId: string }>;
  }

  /** `DeleteMLModel`. */
  deleteMLModel(id: string, options?: RequestOptions): Promise<{ MLModelId: string }> {
    return this.#delete('MLModel', id, options) as Promise<{ MLModelId: string }>;
  }

  /** `DeleteEvaluation`. */
  deleteEvaluation(id: string, options?: RequestOptions): Promise<{ EvaluationId: string }> {
    return this.#delete('Evaluation', id, options) as Promise<{ EvaluationId: string }>;
  }

  /**
   * Closes the connection pool the client created (a user-supplied `dispatcher` is left open),
   * after in-flight requests finish. Idempotent; later calls reject with a `ClientClosedError`.
   */
  close(): Promise<void> {
    if (this.#closePromise === undefined) {
      this.#slots.close(closedError);
      const owned = this.#ownedDispatcher;
      this.#closePromise = owned === undefined ? Promise.resolve() : owned.close();
    }
    return this.#closePromise;
  }

  /** `true` once {@link AmazonMLClient.close} was called. */
  get closed(): boolean {
    return this.#closePromise !== undefined;
  }

  /** What `util.inspect` shows: the endpoint/region if known, never credentials. */
  [inspect.custom](_depth: number, options: InspectOptions, inspectFn: typeof inspect = inspect): string {
    return `AmazonMLClient ${inspectFn(this.toJSON(), options)}`;
  }

  /** A JSON form: the endpoint/region if known, never credentials. */
  toJSON(): Record<string, unknown> {
    return {
      endpoint: this.#settings?.endpoint ?? this.#endpoint?.href,
      region: this.#settings?.region ?? this.#config.region,
      closed: this.closed,
    };
  }

  #delete(
    kind: ResourceKind,
    id: string,
    options: RequestOptions | undefined,
  ): Promise<Record<string, string>> {
    try {
      assertEntityId(id, 'id');
      const info = resourceKinds[kind];
      return this.#create(
        info.deleteOperation,
        info.idMember,
        { [info.idMember]: id },
        () => undefined,
        options,
      );
    } catch (error) {
      return rejection(error);
    }
  }

  #create<I extends object>(
    operation: string,
    idMember: string,
    input: I,
    validate: (input: I & Record<string, unknown>) => void,
    options: RequestOptions | undefined,
  ): Promise<Record<string, string>> {
    try {
      assertObject(input, 'input');
      validate(input);
      assertRequestOptions(options);
      const body = JSON.stringify(input);
      const fallbackId = (input as Record<string, unknown>)[idMember] as string;
      return this.#call(operation, body, options?.signal, (json) => ({
        [idMember]: typeof json[idMember] === 'string' ? json[idMember] : fallbackId,
      }));
    } catch (error) {
      return rejection(error);
    }
  }

  #assertOpen(operation: string): void {
    if (this.#closePromise !== undefined) throw closedError(operation);
  }

  #getContext(): Context {
    if (this.#context === undefined) {
      const env = this.#config.env ?? process.env;
      const fromEnv = env.AWS_PROFILE;
      const profile = this.#config.profile ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : 'default');
      const explicitProfile = this.#config.profile !== undefined || (fromEnv !== undefined && fromEnv !== '');
      let shared: Promise<SharedConfig> | undefined;
      const loadShared = (): Promise<SharedConfig> => {
        shared ??= loadSharedConfig(env).catch((error: unknown) => {
          shared = undefined;
          throw new ConfigurationError(
            `Could not read the AWS shared config files: ${error instanceof Error ? error.message : String(error)}`,
            { cause: error },
          );
        });
        return shared;
      };
      const credentials = new CredentialResolver({
        credentials: this.#config.credentials,
        profile,
        explicitProfile,
        profileSource: this.#config.profile !== undefined ? 'option `profile`' : 'AWS_PROFILE',
        env,
        loadShared,
        now: this.#wallClock,
      });
      this.#context = { env, credentials, profile, explicitProfile, loadShared };
    }
    return this.#context;
  }

  #resolveSettings(): Promise<Settings> {
    this.#settingsPromise ??= (async () => {
      const context = this.#getContext();
      const resolved = await resolveEndpointAndRegion({
        endpoint: this.#endpoint,
        region: this.#config.region,
        profile: context.profile,
        env: context.env,
        loadShared: context.loadShared,
      });
      if (!resolved.customEndpoint && !AMAZON_ML_REGIONS.has(resolved.region)) {
        this.#logger.warn(
          { region: resolved.region, endpoint: resolved.endpoint.href },
          `Amazon ML only runs in us-east-1 and eu-west-1; requests to region ${resolved.region} will likely fail to connect`,
        );
      }
      const url = resolved.endpoint;
      const path = url.pathname === '' ? '/' : url.pathname;
      const settings: Settings = {
        origin: url.origin,
        host: url.host,
        path,
        region: resolved.region,
        endpoint: url.href,
        signer: new AwsJsonRequestSigner({
          host: url.host,
          path,
          region: resolved.region,
          service: SIGNING_SERVICE,
        }),
      };
      this.#settings = settings;
      return settings;
    })().catch((error: unknown) => {
      this.#settingsPromise = undefined;
      throw error;
    });
    return this.#settingsPromise;
  }

  #getDispatcher(): Dispatcher {
    if (this.#dispatcher === undefined) {
      this.#ownedDispatcher = new Agent({
        keepAliveTimeout: 4_000,
        // Thousands of concurrent waits must not open thousands of sockets: requests queue on these.
        connections: MAX_CONNECTIONS,
        connect: { timeout: Math.min(this.#timeoutMs, 10_000) },
      });
      this.#dispatcher = this.#ownedDispatcher;
    }
    return this.#dispatcher;
  }

  async #call<T>(
    operation: string,
    body: string,
    signal: AbortSignal | undefined,
    parse: (json: Record<string, unknown>) => T,
  ): Promise<T> {
    throwIfAborted(signal);
    this.#assertOpen(operation);
    const settings = this.#settings ?? (await untilAborted(this.#resolveSettings(), signal));
    const context = this.#context ?? this.#getContext();
    throwIfAborted(signal);
    this.#assertOpen(operation);

    const waiting = this.#slots.acquire(operation, signal);
    if (waiting !== undefined) await waiting;
    try {
      // The budget token is taken once the request holds a slot, so requests go out at the budget's rate
      // even when many slots free up at once.
      if (this.#budget !== undefined) await this.#budget.take(signal);
      this.#assertOpen(operation);
      // Credentials are read once the request can go, so a call that queued long signs with current ones.
      const credentials =
        context.credentials.peek() ?? (await untilAborted(context.credentials.get(), signal));
      throwIfAborted(signal);
      this.#assertOpen(operation);
      return await this.#send(operation, body, settings, context, credentials, signal, parse);
    } finally {
      this.#slots.release();
    }
  }

  /** One call's request (and its one retry after a clock-skew correction), holding a slot. */
  async #send<T>(
    operation: string,
    body: string,
    settings: Settings,
    context: Context,
    credentials: SigningCredentials,
    signal: AbortSignal | undefined,
    parse: (json: Record<string, unknown>) => T,
  ): Promise<T> {
    let exchange = await this.#exchange(operation, body, settings, credentials, signal);
    if (exchange.statusCode >= 200 && exchange.statusCode < 300)
      return parse(this.#parseSuccess(operation, exchange));

    let error = parseErrorResponse(
      operation,
      exchange.statusCode,
      exchange.headers,
      exchange.text,
      this.#wallClock(),
    );
    if (CLOCK_SKEW_ERRORS.has(error.name) && this.#correctClockSkew(exchange.headers)) {
      throwIfAborted(signal);
      exchange = await this.#exchange(operation, body, settings, credentials, signal);
      if (exchange.statusCode >= 200 && exchange.statusCode < 300) {
        return parse(this.#parseSuccess(operation, exchange));
      }
      error = parseErrorResponse(
        operation,
        exchange.statusCode,
        exchange.headers,
        exchange.text,
        this.#wallClock(),
      );
    }
    if (error.name === 'ExpiredTokenException') context.credentials.invalidate();
    if (error.throttling) this.#budget?.onThrottled();
    throw error;
  }

  /** Updates the clock offset from the response `Date` if it is ≥ 4 minutes off; `true` if it did. */
  #correctClockSkew(headers: HttpExchange['headers']): boolean {
    const date = headers.date;
    const serverMs = Date.parse(Array.isArray(date) ? (date[0] ?? '') : (date ?? ''));
    if (Number.isNaN(serverMs)) return false;
    const localMs = this.#wallClock() + this.#clockOffsetMs;
    if (Math.abs(serverMs - localMs) < CLOCK_SKEW_THRESHOLD_MS) return false;
    this.#clockOffsetMs = serverMs - this.#wallClock();
    this.#logger.warn(
      { clockOffsetMs: this.#clockOffsetMs },
      'Local clock differs from Amazon ML by 4 minutes or more; correcting and retrying once',
    );
    return true;
  }

  #parseSuccess(operation: string, exchange: HttpExchange): Record<string, unknown> {
    if (exchange.text === '') return {};
    let json: unknown;
    try {
      json = JSON.parse(exchange.text);
    } catch (error) {
      throw new AmazonMLError(
        'InvalidResponseError',
        `${operation} returned HTTP ${exchange.statusCode} with a body that is not JSON`,
        {
          statusCode: exchange.statusCode,
          requestId: requestIdOf(exchange.headers),
          operation,
          cause: error,
          retryable: false,
        },
      );
    }
    if (!isPlainObject(json)) {
      throw new AmazonMLError(
        'InvalidResponseError',
        `${operation} returned HTTP ${exchange.statusCode} with JSON that is not an object`,
        {
          statusCode: exchange.statusCode,
          requestId: requestIdOf(exchange.headers),
          operation,
          retryable: false,
        },
      );
    }
    return json;
  }

  #exchange(
    operation: string,
    body: string,
    settings: Settings,
    credentials: SigningCredentials,
    signal: AbortSignal | undefined,
  ): Promise<HttpExchange> {
    const headers = settings.signer.sign(
      `${TARGET_PREFIX}.${operation}`,
      body,
      credentials,
      this.#wallClock() + this.#clockOffsetMs,
    );
    const sent = sendRequest(
      this.#getDispatcher(),
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
      if (error instanceof AmazonMLError)
        this.#logger.debug({ operation, error: error.name, durationMs: durationMs() });
      throw error;
    }
  }
}
