import type { WaitEvent } from '../waiter/WaitEvent.js';
import { errorToJson, summarizeError } from './describeError.js';
import type { WaitState } from './WaitState.js';

/**
 * The `--json` form of a wait event: `type`, `kind`, `id`, `attempt`, `elapsedMs`, then the type's
 * fields. Resource timestamps become ISO strings (through `Date#toJSON`), `nextPollAt` too; a `retry`
 * event's error becomes `{ name, message, statusCode? }`.
 */
export function eventToJson(event: WaitEvent): Record<string, unknown> {
  const base = {
    type: event.type,
    kind: event.kind,
    id: event.id,
    attempt: event.attempt,
    elapsedMs: event.elapsedMs,
  };
  switch (event.type) {
    case 'poll':
      return { ...base, resource: event.resource };
    case 'transition':
      return { ...base, from: event.from, to: event.to, resource: event.resource };
    case 'retry':
      return { ...base, error: summarizeError(event.error), delayMs: event.delayMs };
    case 'wait':
      return { ...base, delayMs: event.delayMs, nextPollAt: event.nextPollAt.toISOString() };
  }
}

/**
 * The `--json` line that ends one id: `{ type: "result", id, kind, ok, status, elapsedMs, attempts,
 * resource?, error?, foundAs?, exitCode }`. `status` is the last status seen (`null` if none), `error` the
 * error's `toJSON()` (a `WaiterError`'s includes `code`).
 */
export function resultToJson(state: WaitState): Record<string, unknown> {
  const outcome = state.outcome;
  const line: Record<string, unknown> = {
    type: 'result',
    id: state.id,
    kind: state.kind,
    ok: outcome?.ok ?? false,
    status: state.status,
    elapsedMs: state.elapsedMs,
    attempts: state.attempts,
  };
  if (state.resource !== undefined) line.resource = state.resource;
  if (outcome?.error !== undefined) line.error = errorToJson(outcome.error);
  // Not found as its kind but found as another: which, for a `--kind` fix.
  if (state.foundAs !== undefined) line.foundAs = state.foundAs;
  line.exitCode = outcome?.exitCode ?? null;
  return line;
}

/** Serializes one object as one line of NDJSON. */
export function jsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}
