/*
 * About 550 lines, on purpose: one wait's state machine — its state, the loop, a poll with its retries,
 * and the rules that turn an outcome into the next step. Each part reads and changes the same state;
 * spread over files they would each need the whole of it.
 */
import { AsyncResource } from 'node:async_hooks';
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
import { followAbort } from './followAbort.js';
import { offAbort, onAbort } from '../client/onAbort.js';
import { sleep } from './sleep.js';
import { QueuedSleep, SleepQueue } from './SleepQueue.js';
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
 *
 * The loop is a chain of callbacks, not an `async` function: a wait sleeps for seconds between polls, and
 * whatever lives that long (a promise per sleep, its closures, the suspended frames of an `await`) is
 * promoted to the old generation and dies there, which is what a process with thousands of waits pays for
 * in peak heap. A sleep is the wait's place in the clock's {@link SleepQueue} (one clock timer for all
 * waits), made once per wait; a poll that a state young enough answers (`reader.peek`, most polls under
 * list polling) allocates no promise at all. Only a poll that sends a request goes through promises, and
 * only a failed one through p-retry.
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
   * Everything a checkpoint is made of, changed in place as the wait goes on; an event for a listener
   * takes a copy (its checkpoint is built from that copy on demand). `history` is replaced, never changed,
   * so a copy keeps the history it was taken with.
   */
  readonly #state: { -readonly [P in keyof ParsedCheckpoint<K>]: ParsedCheckpoint<K>[P] };
  #warnedStatuses: Set<string> | undefined;
  #signal: AbortSignal | undefined;
  #resolve: ((resource: ResourceByKind[K]) => void) | undefined;
  #reject: ((reason: unknown) => void) | undefined;
  /** Set once the wait has an outcome: every callback still under way then does nothing. */
  #done = false;
  /** The sleep between polls, queued on the clock's {@link SleepQueue} (made once, reused for each sleep). */
  readonly #sleeping: QueuedSleep;
  readonly #sleeps: SleepQueue;
  /** The reader told of a change while no sleep ran: the next sleep ends at once. */
  #pending = false;
  /** What the reader last told of (the listed resource of the change). */
  #heard: unknown;
  /**
   * The wait's async context (its trace, the caller's AsyncLocalStorage): a poll woken by the clock or by
   * a list pass runs in it, not in the context of whatever fired the clock or ran the pass.
   */
  #scope: AsyncResource | undefined;
  /** The current poll: how old a state it accepts, and the attempts before it. */
  #maxAgeMs = 0;
  #attemptsBefore = 0;

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
    this.#sleeping = new QueuedSleep(this.#onTimer);
    this.#sleeps = SleepQueue.of(options.clock);
    this.#log = options.logger.child
      ? options.logger.child({ kind: options.kind, id: options.id })
      : options.logger;
    const wallNow = options.clock.wallNow();
    // A resumed wait keeps its deadline and history: wall-clock times mapped onto this clock.
    const offset = options.clock.now() - wallNow;
    this.#state = { ...startState(options, wallNow) };
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
  run(signal: AbortSignal | undefined): Promise<ResourceByKind[K]> {
    return new Promise<ResourceByKind[K]>((resolve, reject) => {
      this.#signal = signal;
      this.#resolve = resolve;
      this.#reject = reject;
      if (signal?.aborted === true) {
        this.#finish(false, signal.reason);
        return;
      }
      // One entry in the signal's fan-out, not a listener of its own: thousands of waits may share the signal.
      // A read's request is sent with it, so an abort cancels that request too (the client follows the signal).
      if (signal !== undefined) onAbort(signal, this.#onAbort);
      try {
        this.#scope = new AsyncResource('aml-waiter.wait');
        this.#reader.onChange?.(this.#onChange);
        const delayMs = this.#initialDelayMs();
        if (delayMs > 0) this.#sleep(delayMs);
        else this.#poll(false);
      } catch (error) {
        this.#finish(false, error);
      }
    });
  }

  /** The reader learnt of a change (a list pass showed it): a sleep ends now, a read under way is noted. */
  readonly #onChange = (listed: unknown): void => {
    if (this.#done) return;
    this.#heard = listed;
    if (!this.#sleeping.queued) {
      this.#pending = true;
      return;
    }
    this.#sleeps.remove(this.#sleeping);
    // Told from inside a list pass: poll a moment later, in this wait's own async context (its trace,
    // the caller's AsyncLocalStorage), not in the pass's.
    (this.#scope as AsyncResource).runInAsyncScope(queueMicrotask, undefined, this.#pollNow);
  };

  /** Polls now (after a sleep, or when woken); whatever escapes the poll ends the wait. */
  readonly #pollNow = (): void => {
    try {
      this.#poll(true);
    } catch (error) {
      this.#finish(false, error);
    }
  };

  /**
   * The sleep is over. Called by the sleep queue, in whatever context armed the clock's timer (an injected
   * clock's timers need not keep one at all): the poll runs in the wait's own.
   */
  readonly #onTimer = (): void => {
    if (!this.#done) (this.#scope as AsyncResource).runInAsyncScope(this.#pollNow);
  };

  readonly #onAbort = (): void => {
    this.#finish(false, (this.#signal as AbortSignal).reason);
  };

  /** Sleeps `delayMs` on the clock (at once, if a change was heard since the last read began), then polls. */
  #sleep(delayMs: number): void {
    if (this.#pending) {
      this.#pending = false;
      queueMicrotask(this.#pollNow);
      return;
    }
    this.#sleeps.add(this.#sleeping, delayMs);
  }

  /**
   * Ends the wait, once: lets go of the timer, the signal and the reader (a wait started right after on the
   * same id does not inherit this one's state; an abort has cancelled the request under way already),
   * tells the observer, and resolves with `value` or rejects with it. An abort wins over an outcome
   * reached in the same turn (a listener may abort while it is told of the outcome).
   */
  #finish(ok: boolean, value: unknown): void {
    if (this.#done) return;
    this.#done = true;
    const signal = this.#signal;
    if (signal?.aborted === true) {
      ok = false;
      value = signal.reason;
    }
    this.#sleeps.remove(this.#sleeping);
    if (signal !== undefined) offAbort(signal, this.#onAbort);
    this.#reader.close();
    if (ok) {
      this.#observer?.end(this);
      this.#resolve?.(value as ResourceByKind[K]);
    } else {
      this.#observer?.end(this, value);
      this.#reject?.(value);
    }
  }

  /** After a poll: the next one in `next` ms, or the outcome (`null`: COMPLETED). */
  #afterPoll(next: number | null): void {
    if (next === null) {
      this.#finish(true, this.#state.lastResource);
      return;
    }
    // The state heard while the read was out is the one the read returned: nothing new to wake for.
    if (this.#pending && sameResourceState(this.#heard, this.#state.lastResource)) this.#pending = false;
    const nextPollAtMs = this.#o.clock.wallNow() + next;
    this.#state.lastDelayMs = next;
    this.#state.nextPollAtMs = nextPollAtMs;
    // Built only for a listener: the promise face has none, and this runs on every poll.
    if (this.#emit !== undefined)
      this.#send({ type: 'wait', delayMs: next, nextPollAt: new Date(nextPollAtMs) });
    // Not even the line's fields are built for the silent logger (the default): this runs on every poll.
    if (this.#o.logger !== silentLogger)
      this.#log.debug({ attempt: this.#state.attempts, delayMs: next }, 'sleeping until the next poll');
    if (!this.#done) this.#sleep(next);
  }

  /** Milliseconds to sleep before the first poll: the time left until a resumed checkpoint's next poll. */
  #initialDelayMs(): number {
    const next = this.#state.nextPollAtMs;
    if (next === null) return 0;
    const remaining = Math.min(next, this.#state.deadlineAtMs) - this.#o.clock.wallNow();
    return remaining > 0 ? Math.round(remaining) : 0;
  }

  /**
   * Emits an event, frozen, with the fields every event carries and a lazy, non-enumerable `checkpoint`
   * of the state at this moment. Nothing is built when nobody listens.
   */
  #send(body: EventBody<K>): void {
    const emit = this.#emit;
    // Nothing is emitted once the wait is aborted (a listener may abort it while it emits).
    if (emit === undefined || this.#signal?.aborted === true) return;
    // A copy: the state goes on changing, the event's checkpoint is of this moment.
    const state = { ...this.#state };
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
   * Polls once: from a state young enough when the reader has one at hand (no promise, no request), else
   * with a read, whose transient failures p-retry retries; then takes the next step. The first poll always
   * reads, so that its events come after `run` has returned (to a listener attached right after the start).
   */
  #poll(later: boolean): void {
    if (this.#done) return;
    const state = this.#state;
    state.polls++;
    state.nextPollAtMs = null;
    const { clock, minDelayMs } = this.#o;
    // How old a state this poll accepts from another wait's request or from a list pass: up to minDelayMs
    // for the first poll (a late wait gets the current status at once), half the last delay after that,
    // and none for the final poll at the deadline.
    const lastDelayMs = state.lastDelayMs;
    this.#maxAgeMs = clock.now() >= this.#deadlineAt ? 0 : lastDelayMs === 0 ? minDelayMs : lastDelayMs / 2;
    this.#attemptsBefore = state.attempts;
    // A change heard from now on may come too late for this poll's read: it ends the next sleep at once —
    // unless the read returned that very state.
    this.#pending = false;
    if (later) {
      const fresh = this.#reader.peek?.(this.#maxAgeMs);
      // Not requested: not an attempt.
      if (fresh !== undefined) {
        this.#step(fresh, this.#attemptsBefore);
        return;
      }
    }
    this.#reader.read(this.#maxAgeMs, this.#signal).then(this.#onRead, this.#onReadFailure);
  }

  readonly #onRead = (read: ResourceRead<K>): void => {
    // A read served without a request (shared, or from a list pass) is not an attempt.
    if (!this.#done) this.#step(read.resource, this.#attemptsBefore + (read.requested ? 1 : 0));
  };

  readonly #onReadFailure = (failure: unknown): void => {
    if (!this.#done) void this.#retry(failure, this.#maxAgeMs, this.#attemptsBefore);
  };

  /** Records a read resource after `attempts` requests in all, and takes the next step (or ends the wait). */
  #step(resource: ResourceByKind[K], attempts: number): void {
    try {
      this.#afterPoll(this.#onResource(resource, attempts));
    } catch (error) {
      this.#finish(false, error);
    }
  }

  /**
   * The poll's first read failed: p-retry retries it (a poll that succeeds at once, nearly all of them,
   * doesn't pay for it). Its attempt 1 is that failure, replayed, so its attempt number stays the only
   * count.
   */
  async #retry(failure: unknown, maxAgeMs: number, attemptsBefore: number): Promise<void> {
    // p-retry and the sleep between attempts listen to a signal: this poll's own, which follows the
    // caller's through its fan-out (the caller's may have thousands of waits on it).
    const follower = this.#signal === undefined ? undefined : followAbort(this.#signal);
    const signal = follower?.controller.signal;
    let attempt = 1;
    let read: ResourceRead<K>;
    try {
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
    } catch (error) {
      // An abort has ended the wait already.
      if (this.#done) return;
      this.#state.attempts = attemptsBefore + attempt;
      try {
        this.#afterPoll(this.#onPollError(error));
      } catch (ended) {
        this.#finish(false, ended);
      }
      return;
    } finally {
      follower?.unfollow();
    }
    if (!this.#done) this.#step(read.resource, attemptsBefore + attempt - (read.requested ? 0 : 1));
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
    this.#state.attempts = attemptsBefore + attemptNumber;
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
    // Attempts, resource and history change together, before either event: the poll's checkpoint already
    // holds the status it saw, dated once.
    const state = this.#state;
    state.attempts = attempts;
    state.lastResource = resource;
    // A new array, exactly as long as it needs to be (it lives as long as the wait).
    if (changed)
      state.history = state.history.concat(Object.freeze({ status, at: new Date(this.#o.clock.wallNow()) }));
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
