import { resourceKinds } from '../model/ResourceKind.js';
import { isResourceDeletedError } from '../waiter/ResourceDeletedError.js';
import { isResourceFailedError } from '../waiter/ResourceFailedError.js';
import { isWaitRequestError } from '../waiter/WaitRequestError.js';
import { isWaitTimeoutError } from '../waiter/WaitTimeoutError.js';
import { formatDuration } from '../waiter/WaiterError.js';
import { errorLine, isNotFoundError } from './describeError.js';
import { ExitCode } from './exitCodes.js';
import { formatDurationFlag } from './parseDuration.js';
import type { WaitState } from './WaitState.js';

/** How `aml-wait` tells the end of one wait that did not complete, in its own (flag) words. */
interface OutcomeText {
  /** The full sentence, for the line on stderr (after `<id>: `) and nothing cut. */
  readonly full: string;
  /** A short form for the table's MESSAGE column, which already shows the id, status and time. */
  readonly short: string;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** `Message` and `LogUri` of a resource, if any. */
function serviceMessage(resource: unknown): { message: string; log: string } {
  const { Message: message, LogUri: log } = (resource ?? {}) as { Message?: unknown; LogUri?: unknown };
  return {
    message: typeof message === 'string' ? message.trim().replace(/[.!]+$/, '') : '',
    log: typeof log === 'string' ? log : '',
  };
}

/**
 * Describes how `state`'s wait ended when it did not complete — what happened, once, in the words of the
 * command line (`--timeout 5s`, `--kind ml-model`) — or `undefined` when there is nothing to say (completed,
 * interrupted, or `--once` on a resource still running).
 *
 * "after" always says what it measures: the time `aml-wait` waited, not the job's run time.
 */
export function describeOutcome(state: WaitState): OutcomeText | undefined {
  const text = outcomeText(state);
  // One line each, whatever the service put in a message: a colour then ends before the line does.
  const oneLine = (value: string): string => value.replace(/\s*[\r\n]+\s*/g, ' ');
  return text === undefined ? undefined : { full: oneLine(text.full), short: oneLine(text.short) };
}

function outcomeText(state: WaitState): OutcomeText | undefined {
  const outcome = state.outcome;
  if (outcome === undefined || outcome.ok || outcome.error === undefined) return undefined;
  if (outcome.exitCode === ExitCode.INTERRUPTED) return undefined;
  const error = outcome.error;
  const waited = `after ${formatDuration(state.elapsedMs)} of waiting`;
  const requests = plural(state.attempts, 'request');
  const noun = resourceKinds[state.kind].noun;

  if (isResourceFailedError(error)) {
    const { message, log } = serviceMessage(error.lastResource ?? state.resource);
    const reason = message === '' ? 'the service gave no message' : message;
    return {
      full: `FAILED: ${reason}${log === '' ? '' : ` (log: ${log})`}; seen ${waited}.`,
      short: reason,
    };
  }
  if (isResourceDeletedError(error)) {
    const before = error.history.at(-2)?.status;
    const deleted = `deleted${before === undefined ? '' : ` while ${before}`}`;
    return { full: `${deleted}, so it can never complete; seen ${waited}.`, short: deleted };
  }
  if (isWaitTimeoutError(error)) {
    const flag = `--timeout ${formatDurationFlag(error.timeoutMs)}`;
    const last = error.lastStatus;
    const where = last === undefined ? 'before any status was seen' : `while still ${last}`;
    const lastFailed = error.cause === undefined ? '' : `; the last failed: ${errorLine(error.cause)}`;
    return {
      full: `gave up ${where}: ${flag} ran out (${requests} sent${lastFailed}).`,
      short: `gave up ${where} (${flag})`,
    };
  }
  if (isNotFoundError(error) || (isWaitRequestError(error) && isNotFoundError(error.cause))) {
    const elsewhere = state.foundAs;
    const hint =
      elsewhere === undefined
        ? ''
        : `; ${state.id} is ${articled(resourceKinds[elsewhere.kind].noun)} (${elsewhere.status}): use --kind ${resourceKinds[elsewhere.kind].slug}`;
    return {
      full: `not found: no ${noun} has this id (${requests} ${waited})${hint}.`,
      short: `not found${hint}`,
    };
  }
  if (isWaitRequestError(error)) {
    const cause = errorLine(error.cause);
    const full = error.retriesExhausted ? `${cause} (still failing after ${requests})` : cause;
    return { full: withStop(full), short: full };
  }
  const line = errorLine(error);
  return { full: withStop(line), short: line };
}

function articled(noun: string): string {
  return `${/^[aeiou]/i.test(noun) || noun.startsWith('ML') ? 'an' : 'a'} ${noun}`;
}

function withStop(text: string): string {
  return /[.!?)]$/.test(text) ? text : `${text}.`;
}
