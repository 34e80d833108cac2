// The service error classes the client knows, one per error type; this file exports nothing else, so that
// the public entry re-exports it whole.
import { defineAmazonMLError } from './AmazonMLError.js';

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
