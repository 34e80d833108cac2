import { describeValue } from '../model/describeValue.js';
import { isValidEntityId } from '../model/entityId.js';
import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';
import { isResourceKind } from '../model/ResourceKind.js';
import { TIMESTAMP_MEMBERS } from '../model/wireShapes.js';

/** The version of {@link WaitCheckpoint} this library writes and reads. */
export const CHECKPOINT_VERSION = 1;

/**
 * A wait's state as a plain JSON value: enough to continue the same wait — same deadline, same history,
 * same place in the delay schedule — in another process or on another machine, with `resumeWait`.
 * Times are ISO 8601 wall-clock strings (deadlines survive restarts and machines, monotonic clocks don't).
 */
export interface WaitCheckpoint<K extends ResourceKind = ResourceKind> {
  readonly version: typeof CHECKPOINT_VERSION;
  readonly kind: K;
  readonly id: string;
  /** When the wait first started. */
  readonly startedAt: string;
  /** The absolute deadline (`startedAt` + `timeoutMs`). */
  readonly deadlineAt: string;
  readonly timeoutMs: number;
  /** Requests sent so far. */
  readonly attempts: number;
  /** Polls made so far (the position in the delay schedule). */
  readonly polls: number;
  /** The delay slept before the last poll, in ms (0 before the first). */
  readonly lastDelayMs: number;
  /** When the next poll is due, if one is scheduled. */
  readonly nextPollAt: string | null;
  /** Each status observed, in order. */
  readonly history: readonly { readonly status: string; readonly at: string }[];
  /** The last successful response, timestamps as ISO strings. */
  readonly lastResource: Readonly<Record<string, unknown>> | null;
}

/**
 * @internal The state of a wait that has not polled yet, started at `nowMs` (epoch ms): what a new wait,
 * and a wait enqueued for a fleet, start from.
 */
function freshWaitState<K extends ResourceKind>(
  kind: K,
  id: string,
  timeoutMs: number,
  nowMs: number,
): ParsedCheckpoint<K> {
  return {
    kind,
    id,
    startedAtMs: nowMs,
    deadlineAtMs: nowMs + timeoutMs,
    timeoutMs,
    attempts: 0,
    polls: 0,
    lastDelayMs: 0,
    nextPollAtMs: null,
    history: [],
    lastResource: undefined,
  };
}

/** @internal Where a wait starts: the checkpoint it resumes, or a fresh state started at `nowMs`. */
export function startState<K extends ResourceKind>(
  options: {
    readonly kind: K;
    readonly id: string;
    readonly timeoutMs: number;
    readonly checkpoint: ParsedCheckpoint<K> | undefined;
  },
  nowMs: number,
): ParsedCheckpoint<K> {
  return options.checkpoint ?? freshWaitState(options.kind, options.id, options.timeoutMs, nowMs);
}

/**
 * @internal The one place a checkpoint is built: from one state of a wait (a session's, or a parsed
 * checkpoint's), so every field describes the same moment.
 */
export function checkpointOf<K extends ResourceKind>(state: ParsedCheckpoint<K>): WaitCheckpoint<K> {
  return {
    version: CHECKPOINT_VERSION,
    kind: state.kind,
    id: state.id,
    startedAt: new Date(state.startedAtMs).toISOString(),
    deadlineAt: new Date(state.deadlineAtMs).toISOString(),
    timeoutMs: state.timeoutMs,
    attempts: state.attempts,
    polls: state.polls,
    lastDelayMs: state.lastDelayMs,
    nextPollAt: state.nextPollAtMs === null ? null : new Date(state.nextPollAtMs).toISOString(),
    history: state.history.map(({ status, at }) => ({ status, at: at.toISOString() })),
    lastResource: resourceToJson(state.lastResource),
  };
}

/**
 * @internal The checkpoint of a wait that has not polled yet, started at `nowMs` (epoch ms): what a wait
 * enqueued for a fleet starts from.
 */
export function newWaitCheckpoint<K extends ResourceKind>(
  kind: K,
  id: string,
  timeoutMs: number,
  nowMs: number = Date.now(),
): WaitCheckpoint<K> {
  return checkpointOf(freshWaitState(kind, id, timeoutMs, nowMs));
}

/**
 * A checkpoint after {@link parseCheckpoint}: validated, times as epoch milliseconds and `Date`s. It is
 * also the state a running wait keeps (one immutable value, replaced on each change).
 */
export interface ParsedCheckpoint<K extends ResourceKind = ResourceKind> {
  readonly kind: K;
  readonly id: string;
  readonly startedAtMs: number;
  readonly deadlineAtMs: number;
  readonly timeoutMs: number;
  readonly attempts: number;
  readonly polls: number;
  readonly lastDelayMs: number;
  readonly nextPollAtMs: number | null;
  readonly history: readonly { readonly status: string; readonly at: Date }[];
  /** Revived from JSON: timestamps are `Date`s again. */
  readonly lastResource: ResourceByKind[K] | undefined;
}

/** Resource → JSON-safe object (`Date` → ISO string, recursively). */
export function resourceToJson(resource: unknown): Record<string, unknown> | null {
  if (resource === undefined || resource === null) return null;
  return JSON.parse(JSON.stringify(resource)) as Record<string, unknown>;
}

/** JSON object → resource (ISO strings of timestamp members → `Date`, recursively), as the client returns it. */
export function reviveResource(value: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) {
    if (TIMESTAMP_MEMBERS.has(key) && typeof member === 'string') out[key] = new Date(member);
    else if (typeof member === 'object' && member !== null && !Array.isArray(member)) {
      out[key] = reviveResource(member as Record<string, unknown>);
    } else out[key] = member;
  }
  return out;
}

function fail(field: string, problem: string, value: unknown): never {
  throw new TypeError(
    `Invalid checkpoint: expected \`checkpoint.${field}\` to be ${problem}, got ${describeValue(value)}.`,
  );
}

function time(field: string, value: unknown): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) fail(field, 'an ISO 8601 date string', value);
  return ms;
}

function count(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    fail(field, 'an integer ≥ 0', value);
  return value;
}

/**
 * Validates a checkpoint (an object, or its JSON text) and parses its times. A checkpoint from another
 * version, another program, or a corrupted store gets a `TypeError` naming the bad field.
 */
export function parseCheckpoint(input: unknown): ParsedCheckpoint {
  let value = input;
  if (typeof value === 'string') {
    const text: string = value;
    try {
      value = JSON.parse(text) as unknown;
    } catch {
      throw new TypeError(
        `Invalid checkpoint: expected \`checkpoint\` to be a checkpoint or its JSON text, got '${text.slice(0, 80)}', which is not JSON.`,
      );
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('', 'an object', value);
  const c = value as Record<string, unknown>;
  if (c.version !== CHECKPOINT_VERSION) fail('version', `${CHECKPOINT_VERSION}`, c.version);
  if (!isResourceKind(c.kind)) fail('kind', 'a resource kind', c.kind);
  if (!isValidEntityId(c.id)) fail('id', '1-64 characters of [a-zA-Z0-9_.-]', c.id);
  const startedAtMs = time('startedAt', c.startedAt);
  const deadlineAtMs = time('deadlineAt', c.deadlineAt);
  if (deadlineAtMs < startedAtMs) fail('deadlineAt', 'after `startedAt`', c.deadlineAt);
  const timeoutMs = count('timeoutMs', c.timeoutMs);
  const attempts = count('attempts', c.attempts);
  const polls = count('polls', c.polls);
  const lastDelayMs = count('lastDelayMs', c.lastDelayMs);
  const nextPollAtMs = c.nextPollAt === null ? null : time('nextPollAt', c.nextPollAt);
  if (!Array.isArray(c.history)) fail('history', 'an array', c.history);
  const history = (c.history as unknown[]).map((entry, index) => {
    if (typeof entry !== 'object' || entry === null) fail(`history[${index}]`, 'an object', entry);
    const { status, at } = entry as { status?: unknown; at?: unknown };
    if (typeof status !== 'string' || status === '') fail(`history[${index}].status`, 'a status', status);
    return Object.freeze({ status, at: new Date(time(`history[${index}].at`, at)) });
  });
  let lastResource: ResourceByKind[ResourceKind] | undefined;
  if (c.lastResource !== null) {
    if (typeof c.lastResource !== 'object' || Array.isArray(c.lastResource)) {
      fail('lastResource', 'an object or null', c.lastResource);
    }
    lastResource = reviveResource(c.lastResource as Record<string, unknown>);
  }
  return Object.freeze({
    kind: c.kind,
    id: c.id,
    startedAtMs,
    deadlineAtMs,
    timeoutMs,
    attempts,
    polls,
    lastDelayMs,
    nextPollAtMs,
    history: Object.freeze(history),
    lastResource,
  });
}
