import { AmazonMLError, codeGuard, defineAmazonMLError, type AmazonMLErrorDetails } from './AmazonMLError.js';

/**
 * The request could not be sent or its answer not read because of the network: a reset, a refused
 * connection, a DNS failure, a broken socket (retryable). Node's or undici's own code (`ECONNRESET`) is on
 * the `cause`.
 */
export const NetworkError = defineAmazonMLError('NetworkError', 'NETWORK_ERROR', { retryable: true });
export type NetworkError = InstanceType<typeof NetworkError>;

/** The request did not complete within `requestTimeoutMs` (retryable). */
export const RequestTimeoutError = defineAmazonMLError('RequestTimeoutError', 'REQUEST_TIMEOUT', {
  retryable: true,
});
export type RequestTimeoutError = InstanceType<typeof RequestTimeoutError>;

/** A call made after `AmazonMLClient.close()`, or queued when it was called (not retryable). */
export const ClientClosedError = defineAmazonMLError('ClientClosedError', 'CLIENT_CLOSED', {
  retryable: false,
});
export type ClientClosedError = InstanceType<typeof ClientClosedError>;

/** A 2xx answer whose body is not a JSON object (not retryable). */
export const InvalidResponseError = defineAmazonMLError('InvalidResponseError', 'INVALID_RESPONSE', {
  retryable: false,
});
export type InvalidResponseError = InstanceType<typeof InvalidResponseError>;

/** Any other failure to send the request (a dispatcher that throws, a bad TLS setting…; not retryable). */
export const RequestError = defineAmazonMLError('RequestError', 'REQUEST_ERROR', { retryable: false });
export type RequestError = InstanceType<typeof RequestError>;

/**
 * A non-2xx answer with no readable error type (an HTML 503 from a proxy, an empty body): named from its
 * status (`Http503Error`), retryable for 429 and every 5xx.
 */
export class HttpStatusError extends AmazonMLError {
  declare readonly code: 'HTTP_ERROR';

  constructor(message: string, details: AmazonMLErrorDetails & { readonly statusCode: number }) {
    const status = details.statusCode;
    super(
      `Http${status}Error`,
      message,
      { retryable: status === 429 || (status >= 500 && status <= 599), ...details },
      'HTTP_ERROR',
    );
  }
}

/** `true` for a {@link NetworkError} (also from another copy of this package). */
export const isNetworkError = codeGuard<NetworkError>('NETWORK_ERROR');
/** `true` for a {@link RequestTimeoutError} (also from another copy of this package). */
export const isRequestTimeoutError = codeGuard<RequestTimeoutError>('REQUEST_TIMEOUT');
/** `true` for a {@link ClientClosedError} (also from another copy of this package). */
export const isClientClosedError = codeGuard<ClientClosedError>('CLIENT_CLOSED');
/** `true` for an {@link InvalidResponseError} (also from another copy of this package). */
export const isInvalidResponseError = codeGuard<InvalidResponseError>('INVALID_RESPONSE');
/** `true` for a {@link RequestError} (also from another copy of this package). */
export const isRequestError = codeGuard<RequestError>('REQUEST_ERROR');
/** `true` for an {@link HttpStatusError} (also from another copy of this package). */
export const isHttpStatusError = codeGuard<HttpStatusError>('HTTP_ERROR');
