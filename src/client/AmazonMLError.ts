import { brandGuard } from './brandGuard.js';

/** What the client knows about the HTTP exchange that produced an {@link AmazonMLError}. */
export interface AmazonMLErrorDetails {
  /** The HTTP status, when a response arrived. */
  readonly statusCode?: number | undefined;
  /** `x-amzn-RequestId` of the response, when a response arrived. */
  readonly requestId?: string | undefined;
  /** The operation that failed (`GetBatchPrediction`). */
  readonly operation?: string | undefined;
  /** Milliseconds the server asked us to wait (`Retry-After` / `x-amz-retry-after`), if it did. */
  readonly retryAfterMs?: number | undefined;
  /** The underlying error (a network error, a JSON parse error), if any. */
  readonly cause?: unknown;
  /**
   * Overrides the `retryable` flag derived from the name and status (used for responses with no
   * readable error type, which are retryable for 429 and every 5xx).
   */
  readonly retryable?: boolean | undefined;
}

const THROTTLING_NAMES: ReadonlySet<string> = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

const TRANSIENT_NAMES: ReadonlySet<string> = new Set([
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'NetworkError',
  'RequestTimeoutError',
]);

const TRANSIENT_STATUS: ReadonlySet<number> = new Set([500, 502, 503, 504]);

/** `true` when an error of this name or status is throttling (retry, slowly). */
function isThrottlingName(name: string, statusCode: number | undefined): boolean {
  return statusCode === 429 || THROTTLING_NAMES.has(name);
}

/** `true` when an error of this name or status is worth retrying as is. */
function isTransientName(name: string, statusCode: number | undefined): boolean {
  return TRANSIENT_NAMES.has(name) || (statusCode !== undefined && TRANSIENT_STATUS.has(statusCode));
}

/**
 * Base class of every error the Amazon ML client raises for a failed call: service errors (one
 * subclass per error type, named after it: `ResourceNotFoundException`, …), a response with no readable
 * error type ({@link HttpStatusError}, named from the status: `Http503Error`), and the transport's
 * failures (`NetworkError`, `RequestTimeoutError`, `ClientClosedError`, `InvalidResponseError`,
 * `RequestError`).
 *
 * `code` is stable: a service error's type (`ThrottlingException`), or the transport failure's code
 * (`NETWORK_ERROR`, `REQUEST_TIMEOUT`, `CLIENT_CLOSED`, `INVALID_RESPONSE`, `REQUEST_ERROR`,
 * `HTTP_ERROR`); Node's own code (`ECONNRESET`) stays on the `cause`. `retryable` says whether sending
 * the same request again may succeed (throttling, 5xx, network, timeouts); `throttling` whether the
 * service asked us to slow down. The message never holds a secret.
 */
export class AmazonMLError extends Error {
  override name = 'AmazonMLError';
  /** Brand for {@link isAmazonMLError}, which also works across duplicate installs. */
  readonly isAmazonMLError = true as const;
  /** Stable code: the service's error type, or the transport failure's code (`NETWORK_ERROR`, …). */
  readonly code: string;
  /** The error type (`ResourceNotFoundException`); equal to `name`. */
  readonly errorType: string;
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;
  readonly operation: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly retryable: boolean;
  readonly throttling: boolean;

  /**
   * @param errorType the error type, which is also the `name` (`ThrottlingException`).
   * @param code the stable code; by default the error type.
   */
  constructor(
    errorType: string,
    message: string,
    details: AmazonMLErrorDetails = {},
    code: string = errorType,
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = errorType;
    this.code = code;
    this.errorType = errorType;
    this.statusCode = details.statusCode;
    this.requestId = details.requestId;
    this.operation = details.operation;
    this.retryAfterMs = details.retryAfterMs;
    this.throttling = isThrottlingName(errorType, details.statusCode);
    this.retryable = details.retryable ?? (this.throttling || isTransientName(errorType, details.statusCode));
  }

  /** A JSON form with the useful fields (no stack, no secrets). */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      statusCode: this.statusCode,
      requestId: this.requestId,
      operation: this.operation,
      retryable: this.retryable,
      throttling: this.throttling,
      retryAfterMs: this.retryAfterMs,
    };
  }
}

const isBrandedAmazonMLError = brandGuard(
  AmazonMLError,
  'isAmazonMLError',
  (code) => typeof code === 'string',
);

/**
 * `true` for any {@link AmazonMLError}, including one from another copy of this package; with `code`,
 * only for one with that code (`isAmazonMLError(error, 'ResourceNotFoundException')`).
 */
export function isAmazonMLError(error: unknown): error is AmazonMLError;
export function isAmazonMLError<C extends string>(
  error: unknown,
  code: C,
): error is AmazonMLError & { readonly code: C };
export function isAmazonMLError(error: unknown, code?: string): error is AmazonMLError {
  return isBrandedAmazonMLError(error) && (code === undefined || error.code === code);
}

/**
 * The guard of one `code` (`isNetworkError`, …): {@link isAmazonMLError} with that code.
 * @internal
 */
export function codeGuard<T extends AmazonMLError>(code: string): (error: unknown) => error is T {
  return (error: unknown): error is T => isAmazonMLError(error, code);
}

/** An {@link AmazonMLError} subclass made by {@link defineAmazonMLError}: its `name` and `code` are fixed. */
export interface AmazonMLErrorClass<N extends string, C extends string = N> {
  new (
    message: string,
    details?: AmazonMLErrorDetails,
  ): AmazonMLError & {
    readonly name: N;
    readonly errorType: N;
    readonly code: C;
  };
  readonly prototype: AmazonMLError;
}

/**
 * Makes the {@link AmazonMLError} subclass named `name` (the class's own name too), with the stable
 * `code` (by default the name) and a default `retryable` (by default derived from the name and status).
 * The service error classes and the transport's failures are all made here.
 * @internal
 */
export function defineAmazonMLError<N extends string, C extends string = N>(
  name: N,
  code?: C,
  defaults: { readonly retryable?: boolean } = {},
): AmazonMLErrorClass<N, C> {
  const errorCode: string = code ?? name;
  const ErrorClass = class extends AmazonMLError {
    constructor(message: string, details: AmazonMLErrorDetails = {}) {
      super(
        name,
        message,
        details.retryable === undefined && defaults.retryable !== undefined
          ? { ...details, retryable: defaults.retryable }
          : details,
        errorCode,
      );
    }
  };
  Object.defineProperty(ErrorClass, 'name', { value: name });
  return ErrorClass as unknown as AmazonMLErrorClass<N, C>;
}
