import type { ResourceKind } from '../model/ResourceKind.js';
import type { WaitEvent } from '../waiter/WaitEvent.js';
import { isNotFoundError } from './describeError.js';
import type { ExitCode } from './exitCodes.js';

/** How one id's wait ended. */
export interface WaitOutcome {
  /** `true` only for `COMPLETED`. */
  readonly ok: boolean;
  /** This id's exit code. */
  readonly exitCode: ExitCode;
  /** The error the wait ended with (absent on success). */
  readonly error?: unknown;
}

/**
 * What `aml-wait` knows about one id while and after waiting: the last status and resource, the number
 * of polls, the time of the next poll. `run` updates it from the wait's events; the progress view and
 * the summary read it.
 */
export class WaitState {
  readonly kind: ResourceKind;
  readonly id: string;
  /** Clock time (`Clock.now()`) when the wait started (see {@link WaitState.begin}). */
  startedAt: number;
  /** Last status seen, `null` before the first response. */
  status: string | null = null;
  /** Last resource seen. */
  resource: unknown = undefined;
  /** Successful polls so far. */
  polls = 0;
  /** Requests sent so far (retries included). */
  attempts = 0;
  /** Milliseconds since the start, as of the last event or the end. */
  elapsedMs = 0;
  /** Clock time of the next poll, while sleeping; `null` while a request is in flight. */
  nextPollAt: number | null = null;
  /** The last transient error, until the next successful poll. */
  lastRetryError: unknown = undefined;
  /** `true` while the service answers that no resource of this kind has the id (within `notFoundGraceMs`). */
  notFound = false;
  /** Set when the id was not found as its kind but exists as another: that kind and its status. */
  foundAs: { readonly kind: ResourceKind; readonly status: string } | undefined = undefined;
  /** Set once the wait has ended. */
  outcome: WaitOutcome | undefined = undefined;

  constructor(kind: ResourceKind, id: string, startedAt: number) {
    this.kind = kind;
    this.id = id;
    this.startedAt = startedAt;
  }

  /** Marks the start of the wait (its first request) at clock time `now`. */
  begin(now: number): void {
    this.startedAt = now;
  }

  /** Folds one event into the state; `now` is the clock's current time. */
  apply(event: WaitEvent, now: number): void {
    this.elapsedMs = event.elapsedMs;
    this.attempts = event.attempt;
    switch (event.type) {
      case 'poll':
        this.polls++;
        this.resource = event.resource;
        this.lastRetryError = undefined;
        this.notFound = false;
        this.nextPollAt = null;
        break;
      case 'transition':
        this.status = event.to;
        this.resource = event.resource;
        break;
      case 'retry':
        this.lastRetryError = event.error;
        this.notFound = isNotFoundError(event.error);
        this.nextPollAt = now + event.delayMs;
        break;
      case 'wait':
        this.nextPollAt = now + event.delayMs;
        break;
    }
  }

  /** Records the end of the wait. */
  finish(outcome: WaitOutcome, elapsedMs: number): void {
    this.outcome = outcome;
    this.elapsedMs = elapsedMs;
    this.nextPollAt = null;
  }
}
