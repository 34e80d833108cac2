/**
 * The exit codes of `aml-wait`: the one list that `--help`, README.md and docs/cli.md show (a test compares
 * the Markdown tables with {@link exitCodeTable}). They differ from the AWS CLI's waiter, which exits 255 when
 * it gives up.
 */
export const ExitCode = {
  OK: 0,
  RESOURCE_FAILED: 1,
  USAGE: 2,
  REQUEST_FAILED: 3,
  INTERNAL: 70,
  IN_PROGRESS: 75,
  TIMEOUT: 124,
  INTERRUPTED: 130,
  TERMINATED: 143,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** What each code means, in the order the tables list them (plain text; `code` spans in backticks). */
export const EXIT_CODE_MEANINGS: readonly (readonly [code: ExitCode, meaning: string])[] = [
  [ExitCode.OK, 'every resource is `COMPLETED`'],
  [ExitCode.RESOURCE_FAILED, 'a resource ended `FAILED` or `DELETED`'],
  [ExitCode.USAGE, 'usage error (unknown option, bad value, bad id): nothing was sent'],
  [
    ExitCode.REQUEST_FAILED,
    'request, authentication or configuration error: 403, bad credentials, no region, an id not found (of any kind), retries of one poll exhausted',
  ],
  [
    ExitCode.IN_PROGRESS,
    '`--once` only: a resource is still `PENDING` or `INPROGRESS` (`EX_TEMPFAIL`: try again later)',
  ],
  [ExitCode.TIMEOUT, '`--timeout` ran out (the convention of GNU `timeout(1)`)'],
  [
    ExitCode.INTERRUPTED,
    'interrupted by Ctrl-C / SIGINT (the waits are cancelled; a second Ctrl-C exits at once)',
  ],
  [ExitCode.TERMINATED, 'terminated by SIGTERM (a cancelled CI job, `kill`)'],
  [ExitCode.INTERNAL, 'internal error: a bug in `aml-wait` (the stack goes to stderr); please report it'],
];

/**
 * Which code wins when several resources end differently: an interruption first, then a request error
 * (that resource's state is unknown), then `FAILED`/`DELETED` (definitive), then a timeout or "still in
 * progress", and success only when every resource completed.
 */
const PRECEDENCE: readonly ExitCode[] = [
  ExitCode.INTERRUPTED,
  ExitCode.USAGE,
  ExitCode.REQUEST_FAILED,
  ExitCode.RESOURCE_FAILED,
  ExitCode.TIMEOUT,
  ExitCode.IN_PROGRESS,
  ExitCode.OK,
];

/** The sentence on how several ids combine, for `--help` and the docs. */
export const EXIT_CODE_PRECEDENCE = `With several ids the first of ${PRECEDENCE.filter(
  (code) => code !== ExitCode.USAGE && code !== ExitCode.OK,
).join(', ')} that applies to any id wins, else 0.`;

/** The process exit code for a set of per-resource codes (see {@link ExitCode} for the precedence). */
export function combineExitCodes(codes: Iterable<ExitCode>): ExitCode {
  let best: ExitCode = ExitCode.OK;
  for (const code of codes) {
    if (PRECEDENCE.indexOf(code) < PRECEDENCE.indexOf(best)) best = code;
  }
  return best;
}

/** The exit codes as `--help` prints them: `  0    every resource is COMPLETED`, one per line. */
export function exitCodeHelp(): string {
  return EXIT_CODE_MEANINGS.map(
    ([code, meaning]) => `  ${String(code).padEnd(5)}${meaning.replaceAll('`', '')}`,
  ).join('\n');
}

/** The exit codes as the Markdown table of README.md and docs/cli.md (before Prettier pads its columns). */
export function exitCodeTable(): string[][] {
  return EXIT_CODE_MEANINGS.map(([code, meaning]) => [String(code), meaning]);
}
