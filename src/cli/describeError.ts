/** The JSON form of a transient error in a `retry` event: never a stack, never a secret. */
interface ErrorSummary {
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

/** `true` for the service's `ResourceNotFoundException` (no resource of the kind asked has the id). */
export function isNotFoundError(error: unknown): boolean {
  return summarizeError(error).name === 'ResourceNotFoundException';
}

/** The library's option names that are flags of `aml-wait`. */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = {
  region: '--region',
  endpoint: '--endpoint',
  profile: '--profile',
  timeoutMs: '--timeout',
  minDelayMs: '--min-delay',
  maxDelayMs: '--max-delay',
};

/**
 * A library message in the words of the command line: "the `region` option" and "option `region`" become
 * `--region`; a step that names an option the command line has no flag for (`option \`credentials\` (not
 * set)`) is left out of a "Tried: a; b; c" list.
 */
function cliWords(message: string): string {
  return message
    .replace(/(?:option `(\w+)` \(not set\)|the `(\w+)` option \(not set\)); /gi, (all, a, b) =>
      FLAG_OF_OPTION[String(a ?? b)] === undefined ? '' : all,
    )
    .replace(/\b(?:[Tt]he `(\w+)` option|[Oo]ption `(\w+)`)/g, (all, a, b) => {
      const flag = FLAG_OF_OPTION[String(a ?? b)];
      return flag === undefined ? all : `\`${flag}\``;
    });
}

/**
 * One line for people: a `WaiterError`'s message as is (it already says what happened to which id),
 * other errors as `Name: message`; library option names become the flags of `aml-wait` ({@link cliWords}).
 */
export function errorLine(error: unknown): string {
  const { name, message } = summarizeError(error);
  const isWaiterError = (error as { isAmlWaiterError?: unknown } | null)?.isAmlWaiterError === true;
  // The name adds nothing when the message already says it (`NetworkError` and "… network error: …").
  const inWords = name.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const saysItAlready =
    message.startsWith(name) || message.toLowerCase().includes(inWords) || name === 'ConfigurationError';
  const line = isWaiterError || name === 'Error' || saysItAlready ? message : `${name}: ${message}`;
  return cliWords(line);
}
