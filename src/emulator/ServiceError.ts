/**
 * An error the emulator answers with: an HTTP status, an AWS error type (sent as the `x-amzn-ErrorType`
 * header and the `__type` body member) and a message (the body's `message`). Handlers throw it; the
 * server turns it into the response. Messages are the ones AWS sends (reference §10.3) and never hold a
 * secret.
 */
export class ServiceError extends Error {
  override name = 'ServiceError';
  /** HTTP status of the response (400, 403, 404, 413, 500, …). */
  readonly statusCode: number;
  /** The AWS error type, e.g. `ResourceNotFoundException`. */
  readonly errorType: string;
  /** Extra response headers (e.g. `Retry-After`). */
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(statusCode: number, errorType: string, message: string, headers?: Record<string, string>) {
    super(message);
    this.statusCode = statusCode;
    this.errorType = errorType;
    this.headers = headers;
  }
}

/** The `AccessDeniedException` message of the real service for accounts that were never onboarded (two spaces before "Please"). */
export const NOT_ONBOARDED_MESSAGE =
  'Thank you for your interest in Amazon Machine Learning. AmazonML is no longer available to new customers.  Please consider using Amazon SageMaker.';

/** Factories for every error the emulator produces, with AWS's statuses and messages. */
export const serviceErrors = Object.freeze({
  resourceNotFound: (noun: string, id: string): ServiceError =>
    new ServiceError(404, 'ResourceNotFoundException', `No ${noun} found with id ${id}`),
  invalidInput: (message: string): ServiceError => new ServiceError(400, 'InvalidInputException', message),
  idempotentParameterMismatch: (message: string): ServiceError =>
    new ServiceError(400, 'IdempotentParameterMismatchException', message),
  internal: (): ServiceError =>
    new ServiceError(500, 'InternalServerException', 'An internal error occurred'),
  serviceUnavailable: (): ServiceError =>
    new ServiceError(503, 'ServiceUnavailableException', 'Service is unavailable, please retry later'),
  throttling: (headers?: Record<string, string>): ServiceError =>
    new ServiceError(400, 'ThrottlingException', 'Rate exceeded', headers),
  unrecognizedClient: (): ServiceError =>
    new ServiceError(
      400,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    ),
  signatureMismatch: (): ServiceError =>
    new ServiceError(
      400,
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    ),
  wrongService: (service: string): ServiceError =>
    new ServiceError(
      400,
      'InvalidSignatureException',
      `Credential should be scoped to correct service: '${service}'. `,
    ),
  wrongRegion: (): ServiceError =>
    new ServiceError(400, 'InvalidSignatureException', 'Credential should be scoped to a valid region. '),
  scopeDateMismatch: (scopeDate: string, amzDate: string): ServiceError =>
    new ServiceError(
      400,
      'InvalidSignatureException',
      `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
    ),
  signatureExpired: (amzDate: string, earliest: string, now: string): ServiceError =>
    new ServiceError(
      400,
      'InvalidSignatureException',
      `Signature expired: ${amzDate} is now earlier than ${earliest} (${now} - 15 min.)`,
    ),
  signatureNotYetCurrent: (amzDate: string, latest: string, now: string): ServiceError =>
    new ServiceError(
      400,
      'InvalidSignatureException',
      `Signature not yet current: ${amzDate} is still later than ${latest} (${now} + 15 min.)`,
    ),
  expiredToken: (): ServiceError =>
    new ServiceError(400, 'ExpiredTokenException', 'The security token included in the request is expired'),
  missingAuthenticationToken: (): ServiceError =>
    new ServiceError(400, 'MissingAuthenticationTokenException', 'Missing Authentication Token'),
  incompleteSignature: (message: string): ServiceError =>
    new ServiceError(400, 'IncompleteSignatureException', message),
  notOnboarded: (): ServiceError => new ServiceError(403, 'AccessDeniedException', NOT_ONBOARDED_MESSAGE),
  /** IAM's answer to a call no policy of the caller allows. */
  notAuthorized: (userArn: string, operation: string): ServiceError =>
    new ServiceError(
      403,
      'AccessDeniedException',
      `User: ${userArn} is not authorized to perform: machinelearning:${operation} because no identity-based policy allows the machinelearning:${operation} action`,
    ),
  unknownOperation: (message = 'Unknown operation'): ServiceError =>
    new ServiceError(400, 'UnknownOperationException', message),
  serialization: (message: string): ServiceError => new ServiceError(400, 'SerializationException', message),
  payloadTooLarge: (limit: number): ServiceError =>
    new ServiceError(413, 'RequestEntityTooLargeException', `Request body is larger than ${limit} bytes`),
  methodNotAllowed: (method: string): ServiceError =>
    new ServiceError(405, 'MethodNotAllowedException', `Method ${method} is not allowed; use POST`),
  notFoundPath: (): ServiceError =>
    new ServiceError(404, 'UnknownOperationException', 'Amazon ML accepts requests on the path / only'),
});
