import { AmazonMLError, type AmazonMLErrorDetails } from './AmazonMLError.js';

/** The resource does not exist (HTTP 404). Right after a `Create…` call this can be eventual consistency. */
export class ResourceNotFoundException extends AmazonMLError {
  declare readonly name: 'ResourceNotFoundException';
  declare readonly errorType: 'ResourceNotFoundException';
  constructor(message: string, details: AmazonMLErrorDetails = {}) {
    super('ResourceNotFoundException', message, details);
  }
}

/** The request was invalid, typically an input value (HTTP 400). */
export class InvalidInputException extends AmazonMLError {
  declare readonly name: 'InvalidInputException';
  declare readonly errorType: 'InvalidInputException';
  constructor(message: string, details: AmazonMLErrorDetails = {}) {
    super('InvalidInputException', message, details);
  }
}

/** The service failed to process the request (HTTP 500); retryable. */
export class InternalServerException extends AmazonMLError {
  declare readonly name: 'InternalServerException';
  declare readonly errorType: 'InternalServerException';
  constructor(message: string, details: AmazonMLErrorDetails = {}) {
    super('InternalServerException', message, details);
  }
}

/** The request rate was too high (HTTP 400); retryable, throttling. */
export class ThrottlingException extends AmazonMLError {
  declare readonly name: 'ThrottlingException';
  declare readonly errorType: 'ThrottlingException';
  constructor(message: string, details: AmazonMLErrorDetails = {}) {
    super('ThrottlingException', message, details);
  }
}

/** Access was denied (HTTP 403 on Amazon ML, also sent to accounts that were never onboarded). */
export class AccessDeniedException extends AmazonMLError {
  declare readonly name: 'AccessDeniedException';
  declare readonly errorType: 'AccessDeniedException';
  constructor(message: string, details: AmazonMLErrorDetails = {}) {
    super('AccessDeniedException', message, details);
  }
}

/** A `Create…` request reused an id with different parameters (HTTP 400). */
export class IdempotentParameterMismatchException extends AmazonMLError {
  declare readonly name: 'IdempotentParameterMismatchException';
  declare readonly errorType: 'IdempotentParameterMismatchException';
  constructor(message: string, details: AmazonMLErrorDetails = {}) {
    super('IdempotentParameterMismatchException', message, details);
  }
}

/** A service limit was exceeded (HTTP 417); retryable, throttling. */
export class LimitExceededException extends AmazonMLError {
  declare readonly name: 'LimitExceededException';
  declare readonly errorType: 'LimitExceededException';
  constructor(message: string, details: AmazonMLErrorDetails = {}) {
    super('LimitExceededException', message, details);
  }
}

/** The access key id or security token is not recognised (HTTP 400). */
export class UnrecognizedClientException extends AmazonMLError {
  declare readonly name: 'UnrecognizedClientException';
  declare readonly errorType: 'UnrecognizedClientException';
  constructor(message: string, details: AmazonMLErrorDetails = {}) {
    super('UnrecognizedClientException', message, details);
  }
}

/** The SigV4 signature did not match, was scoped wrongly, or expired (HTTP 400). */
export class InvalidSignatureException extends AmazonMLError {
  declare readonly name: 'InvalidSignatureException';
  declare readonly errorType: 'InvalidSignatureException';
  constructor(message: string, details: AmazonMLErrorDetails = {}) {
    super('InvalidSignatureException', message, details);
  }
}

/** The session token has expired (HTTP 400); the client drops cached provider credentials. */
export class ExpiredTokenException extends AmazonMLError {
  declare readonly name: 'ExpiredTokenException';
  declare readonly errorType: 'ExpiredTokenException';
  constructor(message: string, details: AmazonMLErrorDetails = {}) {
    super('ExpiredTokenException', message, details);
  }
}

/** The request carried no `Authorization` header (HTTP 400/403). */
export class MissingAuthenticationTokenException extends AmazonMLError {
  declare readonly name: 'MissingAuthenticationTokenException';
  declare readonly errorType: 'MissingAuthenticationTokenException';
  constructor(message: string, details: AmazonMLErrorDetails = {}) {
    super('MissingAuthenticationTokenException', message, details);
  }
}

/** The `Authorization` header was malformed (HTTP 400). */
export class IncompleteSignatureException extends AmazonMLError {
  declare readonly name: 'IncompleteSignatureException';
  declare readonly errorType: 'IncompleteSignatureException';
  constructor(message: string, details: AmazonMLErrorDetails = {}) {
    super('IncompleteSignatureException', message, details);
  }
}

/** The request body was not valid JSON for the operation (HTTP 400). */
export class SerializationException extends AmazonMLError {
  declare readonly name: 'SerializationException';
  declare readonly errorType: 'SerializationException';
  constructor(message: string, details: AmazonMLErrorDetails = {}) {
    super('SerializationException', message, details);
  }
}

/** The `X-Amz-Target` operation is unknown (HTTP 400). */
export class UnknownOperationException extends AmazonMLError {
  declare readonly name: 'UnknownOperationException';
  declare readonly errorType: 'UnknownOperationException';
  constructor(message: string, details: AmazonMLErrorDetails = {}) {
    super('UnknownOperationException', message, details);
  }
}

/** A front-end constraint check failed (HTTP 400). */
export class ValidationException extends AmazonMLError {
  declare readonly name: 'ValidationException';
  declare readonly errorType: 'ValidationException';
  constructor(message: string, details: AmazonMLErrorDetails = {}) {
    super('ValidationException', message, details);
  }
}

/** The service is temporarily unavailable (HTTP 503); retryable. */
export class ServiceUnavailableException extends AmazonMLError {
  declare readonly name: 'ServiceUnavailableException';
  declare readonly errorType: 'ServiceUnavailableException';
  constructor(message: string, details: AmazonMLErrorDetails = {}) {
    super('ServiceUnavailableException', message, details);
  }
}

/** The constructor shape shared by every service error class. */
export type ServiceErrorClass = new (message: string, details?: AmazonMLErrorDetails) => AmazonMLError;

/** Every service error class the client knows, keyed by error type (the class name). */
export const SERVICE_ERROR_CLASSES: ReadonlyMap<string, ServiceErrorClass> = new Map<
  string,
  ServiceErrorClass
>([
  ['ResourceNotFoundException', ResourceNotFoundException],
  ['InvalidInputException', InvalidInputException],
  ['InternalServerException', InternalServerException],
  ['ThrottlingException', ThrottlingException],
  ['AccessDeniedException', AccessDeniedException],
  ['IdempotentParameterMismatchException', IdempotentParameterMismatchException],
  ['LimitExceededException', LimitExceededException],
  ['UnrecognizedClientException', UnrecognizedClientException],
  ['InvalidSignatureException', InvalidSignatureException],
  ['ExpiredTokenException', ExpiredTokenException],
  ['MissingAuthenticationTokenException', MissingAuthenticationTokenException],
  ['IncompleteSignatureException', IncompleteSignatureException],
  ['SerializationException', SerializationException],
  ['UnknownOperationException', UnknownOperationException],
  ['ValidationException', ValidationException],
  ['ServiceUnavailableException', ServiceUnavailableException],
]);

/**
 * Builds the error for a service error type: an instance of the matching class above, or a base
 * {@link AmazonMLError} whose `name` is the type when the type is unknown.
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
