import { AmazonMLError, defineAmazonMLError, type AmazonMLErrorDetails } from './AmazonMLError.js';

/** The resource does not exist (HTTP 404). Right after a `Create…` call this can be eventual consistency. */
export const ResourceNotFoundException = defineAmazonMLError('ResourceNotFoundException');
export type ResourceNotFoundException = InstanceType<typeof ResourceNotFoundException>;

/** The request was invalid, typically an input value (HTTP 400). */
export const InvalidInputException = defineAmazonMLError('InvalidInputException');
export type InvalidInputException = InstanceType<typeof InvalidInputException>;

/** The service failed to process the request (HTTP 500); retryable. */
export const InternalServerException = defineAmazonMLError('InternalServerException');
export type InternalServerException = InstanceType<typeof InternalServerException>;

/** The request rate was too high (HTTP 400); retryable, throttling. */
export const ThrottlingException = defineAmazonMLError('ThrottlingException');
export type ThrottlingException = InstanceType<typeof ThrottlingException>;

/** Access was denied (HTTP 403 on Amazon ML, also sent to accounts that were never onboarded). */
export const AccessDeniedException = defineAmazonMLError('AccessDeniedException');
export type AccessDeniedException = InstanceType<typeof AccessDeniedException>;

/** A `Create…` request reused an id with different parameters (HTTP 400). */
export const IdempotentParameterMismatchException = defineAmazonMLError(
  'IdempotentParameterMismatchException',
);
export type IdempotentParameterMismatchException = InstanceType<typeof IdempotentParameterMismatchException>;

/** A service limit was exceeded (HTTP 417); retryable, throttling. */
export const LimitExceededException = defineAmazonMLError('LimitExceededException');
export type LimitExceededException = InstanceType<typeof LimitExceededException>;

/** The access key id or security token is not recognised (HTTP 400). */
export const UnrecognizedClientException = defineAmazonMLError('UnrecognizedClientException');
export type UnrecognizedClientException = InstanceType<typeof UnrecognizedClientException>;

/** The SigV4 signature did not match, was scoped wrongly, or expired (HTTP 400). */
export const InvalidSignatureException = defineAmazonMLError('InvalidSignatureException');
export type InvalidSignatureException = InstanceType<typeof InvalidSignatureException>;

/** The session token has expired (HTTP 400); the client drops cached provider credentials. */
export const ExpiredTokenException = defineAmazonMLError('ExpiredTokenException');
export type ExpiredTokenException = InstanceType<typeof ExpiredTokenException>;

/** The request carried no `Authorization` header (HTTP 400/403). */
export const MissingAuthenticationTokenException = defineAmazonMLError('MissingAuthenticationTokenException');
export type MissingAuthenticationTokenException = InstanceType<typeof MissingAuthenticationTokenException>;

/** The `Authorization` header was malformed (HTTP 400). */
export const IncompleteSignatureException = defineAmazonMLError('IncompleteSignatureException');
export type IncompleteSignatureException = InstanceType<typeof IncompleteSignatureException>;

/** The request body was not valid JSON for the operation (HTTP 400). */
export const SerializationException = defineAmazonMLError('SerializationException');
export type SerializationException = InstanceType<typeof SerializationException>;

/** The `X-Amz-Target` operation is unknown (HTTP 400). */
export const UnknownOperationException = defineAmazonMLError('UnknownOperationException');
export type UnknownOperationException = InstanceType<typeof UnknownOperationException>;

/** A front-end constraint check failed (HTTP 400). */
export const ValidationException = defineAmazonMLError('ValidationException');
export type ValidationException = InstanceType<typeof ValidationException>;

/** The service is temporarily unavailable (HTTP 503); retryable. */
export const ServiceUnavailableException = defineAmazonMLError('ServiceUnavailableException');
export type ServiceUnavailableException = InstanceType<typeof ServiceUnavailableException>;

/** The constructor shape shared by every service error class. */
export type ServiceErrorClass = new (message: string, details?: AmazonMLErrorDetails) => AmazonMLError;

/** Every service error class the client knows, keyed by error type (the class name). */
export const SERVICE_ERROR_CLASSES: ReadonlyMap<string, ServiceErrorClass> = new Map<
  string,
  ServiceErrorClass
>(
  [
    ResourceNotFoundException,
    InvalidInputException,
    InternalServerException,
    ThrottlingException,
    AccessDeniedException,
    IdempotentParameterMismatchException,
    LimitExceededException,
    UnrecognizedClientException,
    InvalidSignatureException,
    ExpiredTokenException,
    MissingAuthenticationTokenException,
    IncompleteSignatureException,
    SerializationException,
    UnknownOperationException,
    ValidationException,
    ServiceUnavailableException,
  ].map((ErrorClass) => [ErrorClass.name, ErrorClass]),
);

/**
 * Builds the error for a service error type: an instance of the matching class above, or a base
 * {@link AmazonMLError} whose `name` and `code` are the type when the type is unknown.
 */
export function createServiceError(
  errorType: string,
  message: string,
  details: AmazonMLErrorDetails,
): AmazonMLError {
  const ErrorClass = SERVICE_ERROR_CLASSES.get(errorType);
  return ErrorClass === undefined
    ? new AmazonMLError(errorType, message, details)
    : new ErrorClass(message, details);
}
