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
export function isThrottlingName(name: string, statusCode: number | undefined): boolean {
  return statusCode === 429 || THROTTLING_NAMES.has(name);
}

/** `true` when an error of this name or status is worth retrying as is. */
export function isTransientName(name: string, statusCode: number | undefined): boolean {
  return TRANSIENT_NAMES.has(name) || (statusCode !== undefined && TRANSIENT_STATUS.has(statusCode));
}

/**
 * Base class of every error the Amazon ML client raises for a failed call: service errors (one
 * subclass per error type, named after it), responses with no readable error type (named from the
 * status, e.g. `Http503Error`), network failures and request timeouts.
 *
 * `retryable` says whether sending the same request again may succeed (throttling, 5xx, network,
 * timeouts); `throttling` whether the service asked us to slow down. The message never holds a secret.
 */
export class AmazonMLError extends Error {
  override name = 'AmazonMLError';
  /** Brand for {@link isAmazonMLError}, which also works across duplicate installs. */
  readonly isAmazonMLError = true as const;
  /** The error type (`ResourceNotFoundException`); equal to `name`. */
  readonly errorType: string;
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;
  readonly operation: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly retryable: boolean;
  readonly throttling: boolean;

  constructor(errorType: string, message: string, details: AmazonMLErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = errorType;
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

/** `true` for any {@link AmazonMLError}, including one from another copy of this package. */
export function isAmazonMLError(error: unknown): error is AmazonMLError {
  return (
    error instanceof AmazonMLError ||
    (typeof error === 'object' &&
      error !== null &&
      (error as { isAmazonMLError?: unknown }).isAmazonMLError === true)
  );
}
