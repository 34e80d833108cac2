import { AmazonMLError, type AmazonMLErrorDetails } from './AmazonMLError.js';
import * as serviceErrors from './serviceErrors.js';

/** The constructor shape shared by every service error class. */
type ServiceErrorClass = new (message: string, details?: AmazonMLErrorDetails) => AmazonMLError;

/** Every service error class the client knows, keyed by error type (the class name). */
export const SERVICE_ERROR_CLASSES: ReadonlyMap<string, ServiceErrorClass> = new Map<
  string,
  ServiceErrorClass
>(Object.values(serviceErrors).map((ErrorClass) => [ErrorClass.name, ErrorClass]));

/**
 * Builds the error for a service error type: an instance of the matching class of `serviceErrors.ts`, or
 * a base {@link AmazonMLError} whose `name` and `code` are the type when the type is unknown.
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
