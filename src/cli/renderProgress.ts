import { formatDuration } from '../waiter/WaiterError.js';
import { ExitCode } from './exitCodes.js';
import { errorLine, summarizeError } from './describeError.js';
import { describeOutcome } from './describeOutcome.js';
import { statusStyle } from './formatSummary.js';
import type { Style, Styler } from './Styler.js';
import type { WaitState } from './WaitState.js';

/** The spinner of the live view, one frame per redraw. */
const SPINNER_FRAMES: readonly string[] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/** A piece of a line, with an optional colour, so lines can be cut to width before colouring. */
type Segment = readonly [text: string, style?: Style | undefined];

function render(segments: readonly Segment[], style: Styler, width: number): string {
  let room = width;
  let out = '';
  for (const [text, format] of segments) {
    if (room <= 0) break;
    const cut = text.length > room ? `${text.slice(0, Math.max(0, room - 1))}…` : text;
    room -= cut.length;
    out += format === undefined ? cut : style(format, cut);
  }
  return out;
}

function symbolFor(state: WaitState, frame: number): Segment {
  const outcome = state.outcome;
  if (outcome === undefined) return [SPINNER_FRAMES[frame % SPINNER_FRAMES.length] ?? '-', 'cyan'];
  switch (outcome.exitCode) {
    case ExitCode.OK:
      return ['✔', 'green'];
    case ExitCode.TIMEOUT:
    case ExitCode.IN_PROGRESS:
      return ['⏱', 'yellow'];
    case ExitCode.INTERRUPTED:
      return ['■', 'gray'];
    case ExitCode.TERMINATED:
      return ['■', 'gray'];
    case ExitCode.RESOURCE_FAILED:
    case ExitCode.USAGE:
    case ExitCode.REQUEST_FAILED:
    case ExitCode.INTERNAL:
      return ['✖', 'red'];
  }
}

/** A countdown that stays short: `42s`, `12m05s`, `3h07m`. */
export function countdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  if (total < 60) return `${total}s`;
  const two = (n: number): string => String(n).padStart(2, '0');
  if (total < 3600) return `${Math.floor(total / 60)}m${two(total % 60)}s`;
  const minutes = Math.ceil(total / 60);
  return `${Math.floor(minutes / 60)}h${two(minutes % 60)}m`;
}

function activity(state: WaitState, now: number): Segment {
  const outcome = state.outcome;
  if (outcome !== undefined) {
    if (outcome.exitCode === ExitCode.TIMEOUT) return ['timed out', 'yellow'];
    if (outcome.exitCode === ExitCode.INTERRUPTED) return ['interrupted', 'gray'];
    return ['', undefined];
  }
  if (state.nextPollAt === null || state.nextPollAt <= now) return ['polling…', 'gray'];
  const wait = countdown(state.nextPollAt - now);
  if (state.notFound) return [`asking again in ${wait}`, 'gray'];
  if (state.lastRetryError !== undefined) {
    return [`retry in ${wait} (${summarizeError(state.lastRetryError).name})`, 'yellow'];
  }
  return [`next poll in ${wait}`, 'gray'];
}

/**
 * One line of the live view for `state` at clock time `now`: a spinner (or the outcome's symbol), the
 * id, the status, the elapsed time, the polls so far and when the next poll is; cut to `width` columns
 * (on the plain text, before colouring) so the terminal never wraps it.
 */
export function liveLine(
  state: WaitState,
  options: { now: number; frame: number; idWidth: number; style: Styler; width: number },
): string {
  const { now, frame, idWidth, style, width } = options;
  const elapsed = state.outcome === undefined ? now - state.startedAt : state.elapsedMs;
  const status = statusText(state);
  const polls = countText(state);
  const [activityText, activityStyle] = activity(state, now);
  const segments: Segment[] = [
    symbolFor(state, frame),
    [` ${state.id.padEnd(idWidth)}  `],
    [status.padEnd(10), statusStyle(state.status)],
    [`  ${formatDuration(elapsed).padEnd(10)}  ${polls.padEnd(11)}`],
  ];
  if (activityText !== '') segments.push(['  '], [activityText, activityStyle]);
  return render(segments, style, width).trimEnd();
}

/** The status column: the last status seen, else `not found` while the service says so, else `waiting`. */
export function statusText(state: WaitState): string {
  return state.status ?? (state.notFound ? 'not found' : 'waiting');
}

/** `7 polls` (successful responses) once a status was seen; before, the requests really sent: `3 requests`. */
function countText(state: WaitState): string {
  const [count, word] = state.status === null ? [state.attempts, 'request'] : [state.polls, 'poll'];
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/** The plain line for a status change: `bp-1: PENDING → INPROGRESS (12.3 s, 4 polls)`. */
export function transitionLine(state: WaitState, from: string | null, to: string, style: Styler): string {
  const change = from === null ? style(statusStyle(to), to) : `${from} → ${style(statusStyle(to), to)}`;
  const polls = `${state.polls} ${state.polls === 1 ? 'poll' : 'polls'}`;
  return `${state.id}: ${change} (${formatDuration(state.elapsedMs)}, ${polls})`;
}

/** The plain line that says a long wait is alive: `bp-1: still INPROGRESS (12 min 3 s, 15 polls)`. */
export function heartbeatLine(state: WaitState): string {
  const polls = `${state.polls} ${state.polls === 1 ? 'poll' : 'polls'}`;
  return `${state.id}: still ${state.status ?? 'not visible'} (${formatDuration(state.elapsedMs)}, ${polls})`;
}

/**
 * The plain line for a transient failure: `bp-1: ThrottlingException: Rate exceeded; retrying in 1.0 s`; for an
 * id the service does not know (yet): `bp-1: not found yet (request 3); asking again in 4.0 s`.
 */
export function retryLine(state: WaitState, error: unknown, delayMs: number, style: Styler): string {
  if (state.notFound) {
    return style(
      'yellow',
      `${state.id}: not found yet (request ${state.attempts}); asking again in ${formatDuration(delayMs)}`,
    );
  }
  return style('yellow', `${state.id}: ${errorLine(error)}; retrying in ${formatDuration(delayMs)}`);
}

/** The line for a wait that did not complete ({@link describeOutcome}), or `undefined` when there is nothing to say. */
export function outcomeLine(state: WaitState, style: Styler): string | undefined {
  const text = describeOutcome(state);
  return text === undefined ? undefined : style('red', `${state.id}: ${text.full}`);
}
