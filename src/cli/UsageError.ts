/**
 * A command-line mistake found before any request: an unknown flag, a bad value, a bad id. `aml-wait`
 * prints the message with the usage line and exits 2.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError' as const;
  /** Stable code, as in Node's own `ERR_*` codes. */
  readonly code = 'ERR_AML_WAIT_USAGE' as const;
}
