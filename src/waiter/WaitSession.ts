/*
 * About 400 lines, on purpose: one wait's state machine — its immutable state, the loop, a poll with its
 * retries, and the rules that turn an outcome into the next step. Each part reads and replaces the same
 * state; spread over files they would each need the whole of it.
 */
import pRetry from 'p-retry';
import { isAmazonMLError } from '../client/AmazonMLError.js';
import { isEntityStatus } from '../model/EntityStatus.js';
import { silentLogger, type Logger } from '../model/Logger.js';
import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';
import { resourceKinds } from '../model/ResourceKind.js';
import { retryDelay } from './backoff.js';
import type { ResourceRead, ResourceReader } from './ResourceReader.js';
import { ResourceDeletedError } from './ResourceDeletedError.js';
import { ResourceFailedError } from './ResourceFailedError.js';
import type { ResolvedWaitOptions } from './resolveWaitOptions.js';
import { sameResourceState } from './sameResourceState.js';
import { Alarm, sleep } from './sleep.js';
import { checkpointOf, startState, type ParsedCheckpoint, type WaitCheckpoint } from './WaitCheckpoint.js';
import type { WaitEvent } from './WaitEvent.js';
import type { WaitObserver, WaitTally } from './WaitObserver.js';
import type { WaiterErrorContext } from './WaiterError.js';
import { WaitRequestError } from './WaitRequestError.js';
import { WaitTimeoutError } from './WaitTimeoutError.js';

/** `true` when sending the same request again may succeed. */
function isRetryable(error: unknown): boolean {
  return isAmazonMLError(error) && error.retryable;
}

function isNotFound(error: unknown): boolean {
  return isAmazonMLError(error, 'ResourceNotFoundException');
}

/** Where a wait sends its events; `undefined` when nobody listens (the promise face), so none are built. */
export type EmitEvent<K extends ResourceKind> = ((event: WaitEvent<K>) => void) | undefined;

/** What the part of an event that every type shares, minus its lazy checkpoint. */
type EventBody<K extends ResourceKind> =
  WaitEvent<K> extends infer E
    ? E extends WaitEvent<K>
      ? Omit<E, 'checkpoint' | 'kind' | 'id' | 'attempt' | 'elapsedMs'>
      : never
    : never;

/**
 * @internal One wait: its state (what was seen, how many requests were sent), the loop that sleeps and
 * polls until the resource is terminal, and the rules that turn a poll's outcome into the next step. It
 * reads through a {@link ResourceReader} and knows nothing of how reads are shared.
 */
export class WaitSession<K extends ResourceKind> implements WaitTally {
  readonly #o: ResolvedWaitOptions<K>;
  readonly #reader: ResourceReader<K>;
  readonly #emit: EmitEvent<K>;
  readonly #observer: WaitObserver | undefined;
  readonly #log: Logger;
  /** `clock.now()` at the start and at the deadline (the state holds them in wall-clock time). */
  readonly #startedAt: number;
  readonly #deadlineAt: number;
  /**
   * Everything a checkpoint is made of, as one immutable value replaced on each change: an event keeps the
   * value current when it was emitted, and its checkpoint is built from it on demand.
   */
  #state: ParsedCheckpoint<K>;
  #warnedStatuses: Set<string> | undefined;
  #signal: AbortSignal | undefined;
  /** Wakes the sleep between polls when the reader learns of a change (a list pass); none without one. */
  readonly #alarm: Alarm | undefined;
  /** What the reader last told of (the listed resource that rang the alarm). */
  #heard: unknown;

  constructor(
    options: ResolvedWaitOptions<K>,
    reader: ResourceReader<K>,
    emit: EmitEvent<K>,
    observer?: WaitObserver,
  ) {
    this.#o = options;
    this.#reader = reader;
    this.#emit = emit;
    this.#observer = observer;
    if (reader.onChange !== undefined) {
      const alarm = new Alarm();
      this.#alarm = alarm;
      reader.onChange((listed) => {
        this.#heard = listed;
        alarm.ring();
      });
    }
    this.#log = options.logger.child
      ? options.logger.child({ kind: options.kind, id: options.id })
      : options.logger;
    const wallNow = options.clock.wallNow();
    // A resumed wait keeps its deadline and history: wall-clock times mapped onto this clock.
    const offset = options.clock.now() - wallNow;
    this.#state = startState(options, wallNow);
    this.#startedAt = this.#state.startedAtMs + offset;
    this.#deadlineAt = this.#state.deadlineAtMs + offset;
  }

  /** Poll cycles this session has run (not those of the wait a checkpoint resumes). */
  get polls(): number {
    return this.#state.polls - (this.#o.checkpoint?.polls ?? 0);
  }

  get attempts(): number {
    return this.#state.attempts;
  }

  get status(): string | undefined {
    return this.#state.history.at(-1)?.status;
  }

  get lastResource(): unknown {
    return this.#state.lastResource;
  }

  /**
   * The wait loop: sleep (none before the first poll, unless a checkpoint says when it is due; cut short
   * when the reader learns of a status change), poll, and again, until the resource is COMPLETED
   * (resolves with it) or the wait ends otherwise (rejects with a `WaiterError`, or with `signal.reason`
   * once `signal` aborts).
   */
  async run(signal: AbortSignal | undefined): Promise<ResourceByKind[K]> {
    this.#signal = signal;
    const { clock } = this.#o;
    for (let delayMs = this.#initialDelayMs(); ;) {
      if (delayMs > 0) await sleep(clock, delayMs, signal, this.#alarm);
      // A change heard from now on may come too late for this poll's read: it ends the next sleep at
      // once — unless the read returned that very state.
      if (this.#alarm !== undefined) this.#alarm.pending = false;
      const next = await this.#poll(signal);
      if (next === null) return this.#state.lastResource as ResourceByKind[K];
      if (this.#alarm?.pending === true && sameResourceState(this.#heard, this.#state.lastResource))
        this.#alarm.pending = false;
      const nextPollAtMs = clock.wallNow() + next;
      this.#update({ lastDelayMs: next, nextPollAtMs });
      // Built only for a listener: the promise face has none, and this runs on every poll.
      if (this.#emit !== undefined)
        this.#send({ type: 'wait', delayMs: next, nextPollAt: new Date(nextPollAtMs) });
      // Not even the line's fields are built for the silent logger (the default): this runs on every poll.
      if (this.#o.logger !== silentLogger)
        this.#log.debug({ attempt: this.#state.attempts, delayMs: next }, 'sleeping until the next poll');
      delayMs = next;
    }
  }

  /** Milliseconds to sleep before the first poll: the time left until a resumed checkpoint's next poll. */
  #initialDelayMs(): number {
    const next = this.#state.nextPollAtMs;
    if (next === null) return 0;
    const remaining = Math.min(next, this.#state.deadlineAtMs) - this.#o.clock.wallNow();
    return remaining > 0 ? Math.round(remaining) : 0;
  }

  #update(change: Partial<ParsedCheckpoint<K>>): void {
    this.#state = { ...this.#state, ...change };
  }

  /**
   * Emits an event, frozen, with the fields every event carries and a lazy, non-enumerable `checkpoint`
   * of the state at this moment. Nothing is built when nobody listens.
   */
  #send(body: EventBody<K>): void {
    const emit = this.#emit;
    // Nothing is emitted once the wait is aborted (a listener may abort it while it emits).
    if (emit === undefined || this.#signal?.aborted === true) return;
    const state = this.#state;
    const event = {
      ...body,
      kind: state.kind,
      id: state.id,
      attempt: state.attempts,
      elapsedMs: this.#elapsed(),
    } as WaitEvent<K>;
    let cached: WaitCheckpoint<K> | undefined;
    Object.defineProperty(event, 'checkpoint', {
      enumerable: false,
      get: () => (cached ??= checkpointOf(state)),
    });
    emit(Object.freeze(event));
  }

  /** Tells the observer and the listener that this poll is retried after `delayMs`. */
  #retried(error: unknown, delayMs: number): void {
    if (this.#signal?.aborted !== true) this.#observer?.retry(error, delayMs, this.#state.attempts);
    this.#send({ type: 'retry', error, delayMs });
  }

  /** Whole milliseconds since the wait started. */
  #elapsed(): number {
    return Math.round(this.#o.clock.now() - this.#startedAt);
  }

  #context(cause?: unknown): WaiterErrorContext<K> {
    const { kind, id, lastResource, history, attempts } = this.#state;
    const context = { kind, id, lastResource, history, attempts, elapsedMs: this.#elapsed() };
    return cause === undefined ? context : { ...context, cause };
  }

  /**
   * Polls once, retrying transient failures. Resolves with the delay before the next poll, or `null`
   * once the resource is COMPLETED; rejects with a `WaiterError` for every other end, or with
   * `signal.reason` once `signal` aborts.
   */
  async #poll(signal: AbortSignal | undefined): Promise<number | null> {
    this.#update({ polls: this.#state.polls + 1, nextPollAtMs: null });
    const { clock, minDelayMs } = this.#o;
    // How old a state this poll accepts from another wait's request or from a list pass: up to minDelayMs
    // for the first poll (a late wait gets the current status at once), half the last delay after that,
    // and none for the final poll at the deadline.
    const lastDelayMs = this.#state.lastDelayMs;
    const maxAgeMs = clock.now() >= this.#deadlineAt ? 0 : lastDelayMs === 0 ? minDelayMs : lastDelayMs / 2;
    const attemptsBefore = this.#state.attempts;
    let attempt = 1;
    let read: ResourceRead<K>;
    try {
      try {
        read = await this.#reader.read(maxAgeMs, signal);
      } catch (failure) {
        // p-retry takes over when the first try fails (a poll that succeeds at once, nearly all of them,
        // doesn't pay for it): its attempt 1 is that failure, replayed, so its attempt number stays the
        // only count.
        read = await pRetry(
          (attemptNumber) => {
            attempt = attemptNumber;
            // The reader's own rejection, as it came (an abort reason may be any value).
            // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
            return attemptNumber === 1 ? Promise.reject(failure) : this.#reader.read(maxAgeMs, signal);
          },
          {
            // Without `retry.retries`, the client's AWS_MAX_ATTEMPTS / max_attempts decides, once its
            // settings are known (after its first request): p-retry may go up to the most allowed,
            // shouldRetry stops.
            retries: this.#o.retriesGiven ? this.#o.retries : MAX_RETRIES,
            signal,
            // p-retry sleeps with the real setTimeout, which an injected clock can't drive: its own delay
            // stays zero, and shouldRetry sleeps on the clock instead.
            minTimeout: 0,
            shouldRetry: ({ error, attemptNumber }) =>
              this.#retryAfter(error, attemptNumber, attemptsBefore, signal),
          },
        );
      }
    } catch (error) {
      if (signal?.aborted === true) throw signal.reason;
      this.#update({ attempts: attemptsBefore + attempt });
      return this.#onPollError(error);
    }
    // A read served without a request (shared, or from a list pass) is not an attempt.
    return this.#onResource(read.resource, attemptsBefore + attempt - (read.requested ? 0 : 1));
  }

  /**
   * p-retry's `shouldRetry`: decides whether attempt `attemptNumber` of this poll is retried and, if so,
   * emits the `retry` event and sleeps the delay on the clock — equal jitter, a floor for throttling,
   * `Retry-After` honoured, clamped to the deadline — before answering `true`.
   */
  async #retryAfter(
    error: Error,
    attemptNumber: number,
    attemptsBefore: number,
    signal: AbortSignal | undefined,
  ): Promise<boolean> {
    const { clock } = this.#o;
    const remaining = this.#deadlineAt - clock.now();
    if (signal?.aborted === true || !isRetryable(error) || remaining <= 0) return false;
    if (attemptNumber > this.#retries()) return false;
    this.#update({ attempts: attemptsBefore + attemptNumber });
    const details = isAmazonMLError(error) ? error : undefined;
    const delayMs = Math.min(
      retryDelay(attemptNumber, {
        minTimeoutMs: this.#o.retryMinTimeoutMs,
        maxTimeoutMs: this.#o.retryMaxTimeoutMs,
        throttling: details?.throttling ?? false,
        retryAfterMs: details?.retryAfterMs,
        random: this.#o.random,
      }),
      Math.ceil(remaining),
    );
    this.#log.warn(
      { attempt: this.#state.attempts, delayMs, err: describeError(error) },
      'poll failed; retrying',
    );
    this.#retried(error, delayMs);
    await sleep(clock, delayMs, signal);
    return true;
  }

  #onPollError(error: unknown): number {
    if (isNotFound(error) && this.#elapsed() < this.#o.notFoundGraceMs) {
      const next = this.#nextDelay();
      if (next === null)
        throw new WaitTimeoutError({ ...this.#context(error), timeoutMs: this.#state.timeoutMs });
      // Poll again no later than the end of the grace window, so a mistyped id fails on time.
      const graceLeft = Math.ceil(this.#o.notFoundGraceMs - (this.#o.clock.now() - this.#startedAt));
      const delayMs = Math.max(1, Math.min(next, graceLeft));
      this.#log.info(
        { attempt: this.#state.attempts, delayMs, err: describeError(error) },
        'not found yet; within notFoundGraceMs',
      );
      this.#retried(error, delayMs);
      return delayMs;
    }
    if (isRetryable(error) && this.#o.clock.now() >= this.#deadlineAt) {
      this.#log.warn(
        { attempt: this.#state.attempts, err: describeError(error) },
        'the last poll before the deadline failed',
      );
      throw new WaitTimeoutError({ ...this.#context(error), timeoutMs: this.#state.timeoutMs });
    }
    this.#log.error({ attempt: this.#state.attempts, err: describeError(error) }, 'polling failed');
    throw new WaitRequestError({ ...this.#context(error), retriesExhausted: isRetryable(error) });
  }

  /** A successful read, after `attempts` requests in all: records it, emits, and decides the next step. */
  #onResource(read: ResourceByKind[K], attempts: number): number | null {
    const previous = this.#state.lastResource;
    // An unchanged resource: keep the object held since the last poll (see sameResourceState).
    const resource = previous !== undefined && sameResourceState(previous, read) ? previous : read;
    const status = (resource as { Status?: unknown }).Status;
    const from = this.#state.history.at(-1)?.status ?? null;
    const changed = typeof status === 'string' && status !== from;
    // One new state per read — attempts, resource and history together — for both events: the poll's
    // checkpoint already holds the status it saw, dated once.
    this.#update(
      changed
        ? {
            attempts,
            lastResource: resource,
            history: [
              ...this.#state.history,
              Object.freeze({ status, at: new Date(this.#o.clock.wallNow()) }),
            ],
          }
        : { attempts, lastResource: resource },
    );
    this.#send({ type: 'poll', resource });
    if (changed) {
      this.#log.info(
        { attempt: this.#state.attempts, from, status, elapsedMs: this.#elapsed() },
        'status changed',
      );
      if (this.#signal?.aborted !== true)
        this.#observer?.transition(from, status, this.#state.attempts, this.#elapsed());
      this.#send({ type: 'transition', from, to: status, resource });
    }
    if (!isEntityStatus(status)) this.#warnUnknown(String(status));
    switch (status) {
      case 'COMPLETED':
        return null;
      case 'FAILED':
        throw new ResourceFailedError(this.#context());
      case 'DELETED':
        throw new ResourceDeletedError(this.#context());
      default:
        break;
    }
    const delayMs = this.#nextDelay();
    if (delayMs === null)
      throw new WaitTimeoutError({ ...this.#context(), timeoutMs: this.#state.timeoutMs });
    return delayMs;
  }

  #warnUnknown(status: string): void {
    this.#warnedStatuses ??= new Set();
    if (this.#warnedStatuses.has(status)) return;
    this.#warnedStatuses.add(status);
    this.#log.warn({ status }, `unknown ${resourceKinds[this.#o.kind].noun} status; polling on`);
  }

  /** The delay before the next poll, clamped so the last poll lands on the deadline; `null` once it has passed. */
  #nextDelay(): number | null {
    const { minDelayMs, maxDelayMs, random, backoff } = this.#o;
    const remaining = this.#deadlineAt - this.#o.clock.now();
    if (remaining <= 0) return null;
    const proposed = backoff(this.#state.polls, { minDelayMs, maxDelayMs, random });
    const delay = Math.round(
      Math.min(maxDelayMs, Math.max(minDelayMs, Number.isFinite(proposed) ? proposed : maxDelayMs)),
    );
    // Don't leave a sliver shorter than minDelayMs before the deadline: make this the final poll instead.
    // Whole milliseconds, rounded up, so the final poll is never before the deadline.
    return remaining - delay < minDelayMs ? Math.ceil(remaining) : delay;
  }

  /** Retries allowed per poll: `retry.retries`, else the client's configured attempts − 1, else the default. */
  #retries(): number {
    if (this.#o.retriesGiven) return this.#o.retries;
    const attempts = this.#reader.maxAttempts();
    return attempts === undefined ? this.#o.retries : Math.min(MAX_RETRIES, attempts - 1);
  }
}

/** The most `retry.retries` can be (and the most `AWS_MAX_ATTEMPTS` − 1 gives). */
const MAX_RETRIES = 100;

/** A log-safe summary of an error (the client's errors never hold secrets). */
function describeError(error: unknown): Record<string, unknown> {
  if (isAmazonMLError(error)) {
    return {
      name: error.name,
      message: error.message,
      statusCode: error.statusCode,
      requestId: error.requestId,
    };
  }
  return error instanceof Error ? { name: error.name, message: error.message } : { message: String(error) };
}
