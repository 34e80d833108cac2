/** The JSON form of a transient error in a `retry` event: never a stack, never a secret. */
export interface ErrorSummary {
  readonly name: string;
  readonly message: string;
  readonly statusCode?: number;
}

/** Reduces any thrown value to `{ name, message, statusCode? }`. */
export function summarizeError(error: unknown): ErrorSummary {
  if (error instanceof Error || (typeof error === 'object' && error !== null && 'message' in error)) {
    const { name, message, statusCode } = error as {
      name?: unknown;
      message?: unknown;
      statusCode?: unknown;
    };
    const summary = {
      name: typeof name === 'string' ? name : 'Error',
      message: typeof message === 'string' ? message : String(message),
    };
    return typeof statusCode === 'number' ? { ...summary, statusCode } : summary;
  }
  return { name: 'Error', message: String(error) };
}

/**
 * The JSON form of the error a wait ended with: the error's own `toJSON()` when it has one
 * (`WaiterError`, `AmazonMLError`, `ConfigurationError` all do, without secrets), else {@link summarizeError}.
 */
export function errorToJson(error: unknown): unknown {
  if (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { toJSON?: unknown }).toJSON === 'function'
  ) {
    return (error as { toJSON: () => unknown }).toJSON();
  }
  return summarizeError(error);
}

/**
 * One line for people: a `WaiterError`'s message as is (it already says what happened to which id),
 * other errors as `Name: message`.
 */
export function errorLine(error: unknown): string {
  const { name, message } = summarizeError(error);
  const isWaiterError = (error as { isAmlWaiterError?: unknown } | null)?.isAmlWaiterError === true;
  return isWaiterError || name === 'Error' || message.startsWith(name) ? message : `${name}: ${message}`;
}
