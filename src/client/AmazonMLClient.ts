import { inspect, type InspectOptions } from 'node:util';
import type { DescribeInput, DescribeOutput } from '../model/Describe.js';
import { RESOURCE_KINDS, type ResourceByKind, type ResourceKind } from '../model/ResourceKind.js';
import type {
  AmazonMLClientConfig,
  GetOptions,
  RequestOptions,
  ResolvedClientConfig,
} from './AmazonMLClientConfig.js';
import type { ClientMethods } from './ClientMethods.js';
import {
  CLIENT_OPERATIONS,
  DESCRIBE_OPERATIONS,
  GET_OPERATIONS,
  checkKind,
  type ClientOperation,
} from './clientOperations.js';
import { setClientTelemetry } from './TelemetryOption.js';
import { Transport } from './Transport.js';
import { validateClientConfig } from './validateClientConfig.js';

export type {
  AmazonMLClientConfig,
  GetOptions,
  RequestOptions,
  ResolvedClientConfig,
} from './AmazonMLClientConfig.js';
export type {
  CreateBatchPredictionInput,
  CreateDataSourceFromS3Input,
  CreateEvaluationInput,
  CreateMLModelInput,
  S3DataSpec,
} from './CreateInput.js';
export type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from './AwsCredentialIdentity.js';

/** A rejected promise for a synchronous validation failure (always an Error in practice). */
function rejection(error: unknown): Promise<never> {
  return Promise.reject(error instanceof Error ? error : new Error(String(error)));
}

/** Defines a method on the prototype, non-enumerable like a class method. */
function defineMethod(target: object, name: string, method: (...args: never[]) => unknown): void {
  Object.defineProperty(target, name, { value: method, writable: true, configurable: true });
}

// The per-operation methods (`getBatchPrediction`, `createMLModel`, …) are installed on the class from
// the operation table (see the static block); this interface gives them their types.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging, @typescript-eslint/no-empty-object-type -- the methods' types, merged with the class that installs them
export interface AmazonMLClient extends ClientMethods {}

/**
 * A small, fast client for the Amazon Machine Learning API (2014-12-12, awsJson1_1 over HTTPS,
 * SigV4-signed with `aws4`, sent with undici on a keep-alive connection pool).
 *
 * Each call is sent once (except one retry after correcting clock skew: a signature or expiry
 * error whose `Date` header is 4 minutes or more away from local time); retrying is the waiter's
 * job, or wrap calls in p-retry using the errors' `retryable` flag.
 *
 * How a call fails (every error but the last three is an {@link AmazonMLError} with a stable `code`):
 * - a service error → the subclass named after its type (`ResourceNotFoundException`,
 *   `ThrottlingException`, … see `serviceErrors.ts`; `code` is the type); an unknown type → a base
 *   `AmazonMLError` whose `name` and `code` are that type;
 * - a response without a readable error type (an HTML page from a proxy, an empty body) →
 *   `HttpStatusError` named `Http<status>Error` (`Http503Error`), `retryable` for 429 and 5xx;
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

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging -- see the interface above
export class AmazonMLClient {
  readonly #transport: Transport;

  static {
    for (const row of CLIENT_OPERATIONS) {
      defineMethod(
        AmazonMLClient.prototype,
        row.method,
        row.arity === 1
          ? function (this: AmazonMLClient, input: unknown, options?: RequestOptions) {
              return this.#invoke(row, [input], options);
            }
          : function (this: AmazonMLClient, first: unknown, second: unknown, options?: RequestOptions) {
              return this.#invoke(row, [first, second], options);
            },
      );
    }
    for (const kind of RESOURCE_KINDS) {
      defineMethod(
        AmazonMLClient.prototype,
        `paginate${kind}s`,
        function (this: AmazonMLClient, input?: DescribeInput, options?: RequestOptions) {
          return this.paginate(kind, input, options);
        },
      );
    }
  }

  /**
   * Validates the configuration synchronously (types, URL, numbers); reading the environment and
   * the shared files happens at the first call, once.
   * @throws {TypeError | RangeError} for a malformed option, naming it.
   */
  constructor(config?: AmazonMLClientConfig) {
    const { config: checked, endpoint } = validateClientConfig(config);
    this.#transport = new Transport(checked, endpoint);
    setClientTelemetry(this, this.#transport.telemetry);
  }

  /** The effective endpoint and region (resolving env and profile on first use). Never credentials. */
  async resolveConfig(): Promise<ResolvedClientConfig> {
    const settings = this.#transport.settings;
    const resolved = settings.current ?? (await settings.resolve());
    return resolved.maxAttempts === undefined
      ? { endpoint: resolved.endpoint, region: resolved.region }
      : { endpoint: resolved.endpoint, region: resolved.region, maxAttempts: resolved.maxAttempts };
  }

  /**
   * The attempts per call configured by `AWS_MAX_ATTEMPTS` or the profile's `max_attempts`, once the
   * client's settings are resolved (after its first call); `undefined` before, or when neither is set.
   * Waits on this client without `retry.retries` retry a poll `maxAttempts − 1` times.
   */
  get maxAttempts(): number | undefined {
    return this.#transport.settings.current?.maxAttempts;
  }

  /**
   * Gets one resource of any kind by id (`GetBatchPrediction`, `GetDataSource`, …); the generic
   * call the waiter uses.
   * @throws {TypeError | RangeError} synchronously-checked bad `kind`, `id` or options (as a rejection).
   */
  get<K extends ResourceKind>(kind: K, id: string, options?: GetOptions): Promise<ResourceByKind[K]> {
    return this.#invokeFor(GET_OPERATIONS, kind, [id], options) as Promise<ResourceByKind[K]>;
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
    return this.#invokeFor(DESCRIBE_OPERATIONS, kind, [input], options) as Promise<DescribeOutput<K>>;
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
    DESCRIBE_OPERATIONS[checkKind(kind)].serialize([input], options);
    return this.#pages(kind, { ...input }, options);
  }

  /**
   * Closes the connection pool the client created (a user-supplied `dispatcher` is left open),
   * after in-flight requests finish. Idempotent; later calls reject with a `ClientClosedError`.
   */
  close(): Promise<void> {
    return this.#transport.close();
  }

  /** `true` once {@link AmazonMLClient.close} was called. */
  get closed(): boolean {
    return this.#transport.closed;
  }

  /** What `util.inspect` shows: the endpoint/region if known, never credentials. */
  [inspect.custom](_depth: number, options: InspectOptions, inspectFn: typeof inspect = inspect): string {
    return `AmazonMLClient ${inspectFn(this.toJSON(), options)}`;
  }

  /** A JSON form: the endpoint/region if known, never credentials. */
  toJSON(): Record<string, unknown> {
    return { ...this.#transport.settings.describe(), closed: this.closed };
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

  /** {@link AmazonMLClient.#invoke} for the row of `kind` in `table` (a rejection for a bad kind). */
  #invokeFor(
    table: Readonly<Record<ResourceKind, ClientOperation>>,
    kind: unknown,
    args: readonly unknown[],
    options: RequestOptions | undefined,
  ): Promise<unknown> {
    let row: ClientOperation;
    try {
      row = table[checkKind(kind)];
    } catch (error) {
      return rejection(error);
    }
    return this.#invoke(row, args, options);
  }

  /** Checks and serialises the arguments of `row`'s method (a rejection if they are bad), then sends it. */
  #invoke(
    row: ClientOperation,
    args: readonly unknown[],
    options: RequestOptions | undefined,
  ): Promise<unknown> {
    let body: string;
    try {
      body = row.serialize(args, options);
    } catch (error) {
      return rejection(error);
    }
    return this.#transport.call(row.operation, body, options?.signal, (json) => row.parse(json, args));
  }
}
