import pRetry, { AbortError } from 'p-retry';
import { isAmazonMLError } from '../client/AmazonMLError.js';
import { isEntityStatus } from '../model/EntityStatus.js';
import type { Logger } from '../model/Logger.js';
import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';
import { resourceKinds } from '../model/ResourceKind.js';
import { retryDelay } from './backoff.js';
import { ResourceDeletedError } from './ResourceDeletedError.js';
import { ResourceFailedError } from './ResourceFailedError.js';
import type { ResolvedWaitOptions } from './resolveWaitOptions.js';
import { sleep } from './sleep.js';
import { checkpointOf, startState, type ParsedCheckpoint, type WaitCheckpoint } from './WaitCheckpoint.js';
import type {
  PollEvent,
  RetryEvent,
  TransitionEvent,
  WaitEvent,
  WaitEventBase,
  WaitScheduledEvent,
} from './WaitEvent.js';
import { LIST_TRUST_DELAYS, SharedPolls } from './SharedPolls.js';
import type { AmazonMLClientLike } from './WaitOptions.js';
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

/**
 * @internal The state of one wait (one subscription): what was seen, how many requests were sent, and
 * the rules that turn a poll's outcome into the next step. The RxJS stream (`waitStream`) drives it.
 */
export class WaitSession<K extends ResourceKind> {
  readonly #o: ResolvedWaitOptions<K>;
  readonly #log: Logger;
  /** `clock.now()` at the start and at the deadline (the state holds them in wall-clock time). */
  readonly #startedAt: number;
  readonly #deadlineAt: number;
  /**
   * Everything a checkpoint is made of, as one immutable value replaced on each change: an event keeps the
   * value current when it was emitted, and its checkpoint is built from it on demand.
   */
  #state: ParsedCheckpoint<K>;
  readonly #warnedStatuses = new Set<string>();
  readonly #shared: SharedPolls;
  readonly #unregister: () => void;

  readonly #client: AmazonMLClientLike;

  constructor(options: ResolvedWaitOptions<K>, client: AmazonMLClientLike) {
    this.#o = options;
    this.#client = client;
    this.#shared = SharedPolls.of(client);
    const bindings = { kind: options.kind, id: options.id };
    this.#log = options.logger.child ? options.logger.child(bindings) : options.logger;
    this.#unregister = this.#shared.register(options.kind, options.id, options.polling, {
      clock: options.clock,
      minDelayMs: options.minDelayMs,
      maxDelayMs: options.maxDelayMs,
      logger: options.logger,
    });
    const wallNow = options.clock.wallNow();
    // A resumed wait keeps its deadline and history: wall-clock times mapped onto this clock.
    const offset = options.clock.now() - wallNow;
    this.#state = startState(options, wallNow);
    this.#startedAt = this.#state.startedAtMs + offset;
    this.#deadlineAt = this.#state.deadlineAtMs + offset;
  }

  /** Milliseconds to sleep before the first poll: the time left until a resumed checkpoint's next poll. */
  initialDelayMs(): number {
    const next = this.#state.nextPollAtMs;
    if (next === null) return 0;
    const remaining = Math.min(next, this.#state.deadlineAtMs) - this.#o.clock.wallNow();
    return remaining > 0 ? Math.round(remaining) : 0;
  }

  #update(change: Partial<ParsedCheckpoint<K>>): void {
    this.#state = { ...this.#state, ...change };
  }

  /** Freezes an event after giving it a lazy, non-enumerable `checkpoint` of the state at this moment. */
  #seal<E extends WaitEvent<K>>(event: Omit<E, 'checkpoint'>): E {
    const state = this.#state;
    let cached: WaitCheckpoint<K> | undefined;
    Object.defineProperty(event, 'checkpoint', {
      enumerable: false,
      get: () => (cached ??= checkpointOf(state)),
    });
    return Object.freeze(event) as E;
  }

  /** Whole milliseconds since the wait started. */
  #elapsed(): number {
    return Math.round(this.#o.clock.now() - this.#startedAt);
  }

  #base(): Omit<WaitEventBase<K>, 'checkpoint'> {
    return { kind: this.#o.kind, id: this.#o.id, attempt: this.#state.attempts, elapsedMs: this.#elapsed() };
  }

  #context(cause?: unknown): WaiterErrorContext<K> {
    const { kind, id, lastResource, history, attempts } = this.#state;
    const context = { kind, id, lastResource, history, attempts, elapsedMs: this.#elapsed() };
    return cause === undefined ? context : { ...context, cause };
  }

  /** Ends the session: the resource is no longer watched through the shared client state. */
  end(): void {
    this.#unregister();
  }

  /** The event announcing a sleep of `delayMs` before the next poll. */
  waitEvent(delayMs: number): WaitScheduledEvent<K> {
    const nextPollAtMs = this.#o.clock.wallNow() + delayMs;
    this.#update({ lastDelayMs: delayMs, nextPollAtMs });
    const event = this.#seal<WaitScheduledEvent<K>>({
      type: 'wait',
      ...this.#base(),
      delayMs,
      nextPollAt: new Date(nextPollAtMs),
    });
    this.#log.debug(
      { attempt: event.attempt, delayMs, elapsedMs: event.elapsedMs },
      'sleeping until the next poll',
    );
    return event;
  }

  /**
   * Polls once (retrying transient failures), emitting `retry`, `poll` and `transition` events. Resolves
   * with the delay before the next poll, or `null` once the resource is COMPLETED. Rejects with a
   * `WaiterError` for every other end, or with `signal.reason` when `signal` aborts.
   */
  async poll(emit: (event: WaitEvent<K>) => void, signal: AbortSignal): Promise<number | null> {
    this.#update({ polls: this.#state.polls + 1, nextPollAtMs: null });
    let resource: ResourceByKind[K];
    try {
      resource = await this.#getWithRetries(emit, signal);
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      return this.#onPollError(error, emit);
    }
    return this.#onResource(resource, emit);
  }

  #onPollError(error: unknown, emit: (event: WaitEvent<K>) => void): number {
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
      emit(this.#seal<RetryEvent<K>>({ type: 'retry', ...this.#base(), error, delayMs }));
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

  #onResource(resource: ResourceByKind[K], emit: (event: WaitEvent<K>) => void): number | null {
    const status = (resource as { Status?: unknown }).Status;
    const from = this.#state.history.at(-1)?.status ?? null;
    const changed = typeof status === 'string' && status !== from;
    // One state for both events: the poll's checkpoint already holds the status it saw, dated once.
    this.#update(
      changed
        ? {
            lastResource: resource,
            history: [
              ...this.#state.history,
              Object.freeze({ status, at: new Date(this.#o.clock.wallNow()) }),
            ],
          }
        : { lastResource: resource },
    );
    emit(this.#seal<PollEvent<K>>({ type: 'poll', ...this.#base(), resource }));
    if (changed) {
      this.#log.info(
        { attempt: this.#state.attempts, from, status, elapsedMs: this.#elapsed() },
        'status changed',
      );
      emit(
        this.#seal<TransitionEvent<K>>({ type: 'transition', ...this.#base(), from, to: status, resource }),
      );
    }
    if (!isEntityStatus(status) && !this.#warnedStatuses.has(String(status))) {
      this.#warnedStatuses.add(String(status));
      this.#log.warn({ status }, `unknown ${resourceKinds[this.#o.kind].noun} status; polling on`);
    }
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
    const attempts = (this.#client as { readonly maxAttempts?: unknown }).maxAttempts;
    return typeof attempts === 'number' ? Math.min(MAX_RETRIES, attempts - 1) : this.#o.retries;
  }

  #countAttempt(): void {
    this.#update({ attempts: this.#state.attempts + 1 });
  }

  async #getWithRetries(
    emit: (event: WaitEvent<K>) => void,
    signal: AbortSignal,
  ): Promise<ResourceByKind[K]> {
    const { kind, id, clock, random } = this.#o;
    let retryNumber = 0;
    // How old a state this poll accepts from another wait's request or from a list pass: any state up to
    // minDelayMs old for the first poll (a late wait gets the current status at once), half the last delay
    // after that, and none for the final poll at the deadline.
    const maxAgeMs =
      clock.now() >= this.#deadlineAt
        ? 0
        : this.#state.lastDelayMs === 0
          ? this.#o.minDelayMs
          : this.#state.lastDelayMs / 2;
    return pRetry(
      async () => {
        try {
          const read = await this.#shared.get(kind, id, {
            signal,
            maxAgeMs,
            clock,
            listTrustMs: LIST_TRUST_DELAYS * this.#o.maxDelayMs,
          });
          if (read.requested) this.#countAttempt();
          return read.resource;
        } catch (error) {
          this.#countAttempt();
          if (signal.aborted || !isRetryable(error)) {
            throw new AbortError(error instanceof Error ? error : new Error(String(error)));
          }
          throw error;
        }
      },
      {
        // Without `retry.retries`, the client's AWS_MAX_ATTEMPTS / max_attempts decides, once its settings
        // are known (after its first request): p-retry may go up to the most allowed, `shouldRetry` stops.
        retries: this.#o.retriesGiven ? this.#o.retries : MAX_RETRIES,
        minTimeout: 0,
        maxTimeout: 0,
        signal,
        // p-retry counts the retries and stops on abort; the delay is ours, so that it honours Retry-After,
        // is clamped to the deadline and runs on the injected clock.
        shouldRetry: async ({ error }) => {
          const remaining = this.#deadlineAt - clock.now();
          if (remaining <= 0 || retryNumber >= this.#retries()) return false;
          retryNumber++;
          const details = isAmazonMLError(error) ? error : undefined;
          const computed = retryDelay(retryNumber, {
            minTimeoutMs: this.#o.retryMinTimeoutMs,
            maxTimeoutMs: this.#o.retryMaxTimeoutMs,
            throttling: details?.throttling ?? false,
            retryAfterMs: details?.retryAfterMs,
            random,
          });
          const delayMs = Math.min(computed, Math.ceil(remaining));
          this.#log.warn(
            { attempt: this.#state.attempts, delayMs, err: describeError(error) },
            'poll failed; retrying',
          );
          emit(this.#seal<RetryEvent<K>>({ type: 'retry', ...this.#base(), error, delayMs }));
          await sleep(clock, delayMs, signal);
          return true;
        },
      },
    );
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
