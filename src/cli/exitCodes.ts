/**
 * The exit codes of `aml-wait`. They differ from the AWS CLI's waiter, which exits 255 when it gives up.
 *
 * | code | meaning |
 * |---|---|
 * | 0 | every resource is `COMPLETED` |
 * | 1 | a resource ended `FAILED` or `DELETED` |
 * | 2 | usage error (unknown flag, bad value, bad id), nothing was sent |
 * | 3 | request, auth or configuration error (403, bad credentials, no region…) |
 * | 75 | `--once` only: a resource is still `PENDING`/`INPROGRESS` (`EX_TEMPFAIL`: try again later) |
 * | 124 | `--timeout` ran out (the GNU `timeout(1)` convention) |
 * | 130 | interrupted by SIGINT (128 + 2) |
 */
export const ExitCode = {
  OK: 0,
  RESOURCE_FAILED: 1,
  USAGE: 2,
  REQUEST_FAILED: 3,
  IN_PROGRESS: 75,
  TIMEOUT: 124,
  INTERRUPTED: 130,
} as const;

/** One of the values of {@link ExitCode}. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

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

/** The process exit code for a set of per-resource codes (see {@link ExitCode} for the precedence). */
export function combineExitCodes(codes: Iterable<ExitCode>): ExitCode {
  let best: ExitCode = ExitCode.OK;
  for (const code of codes) {
    if (PRECEDENCE.indexOf(code) < PRECEDENCE.indexOf(best)) best = code;
  }
  return best;
}
