/** A pino-style log method: bindings first, message second. */
export type LogFn = (bindings: Record<string, unknown>, message?: string) => void;

/**
 * The logger shape `aml-waiter` accepts: a pino instance, `console`, or anything with these four
 * methods. It never receives credentials, signatures or the `Authorization` header.
 */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child?: ((bindings: Record<string, unknown>) => Logger) | undefined;
}

const noop: LogFn = () => undefined;

/** A logger that drops everything (the default). */
export const silentLogger: Logger = Object.freeze({ debug: noop, info: noop, warn: noop, error: noop });
