import { EventEmitter } from 'eventemitter3';
import type { Logger } from '../model/Logger.js';
import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';
import { followAbort } from './followAbort.js';
import { resolveWaitOptions } from './resolveWaitOptions.js';
import { checkpointOf, startState, type WaitCheckpoint } from './WaitCheckpoint.js';
import type { WaitEvent, WaitEventMap } from './WaitEvent.js';
import type { WaitOptions } from './WaitOptions.js';
import { runWait } from './runWait.js';

type Listener = (...args: never[]) => unknown;

/** Without a logger, a throwing listener still says so: as a process warning (on stderr by default). */
const warningLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (bindings, message) => {
    process.emitWarning(`${message ?? 'error'}: ${String(bindings.err)}`, 'AmlWaiterListenerWarning');
  },
};
type Names<K extends ResourceKind> = EventEmitter.EventNames<WaiterEvents<K>>;

/** The events a {@link Waiter} emits: the four {@link WaitEvent} types by name. */
export type WaiterEvents<K extends ResourceKind = ResourceKind> = {
  [T in keyof WaitEventMap<K>]: (event: WaitEventMap<K>[T]) => void;
};

/**
 * One wait as a typed event emitter (eventemitter3) that is also async-iterable. Polling starts at
 * creation. A listener that throws is logged and never breaks the poller or the other listeners.
 *
 * @example
 * ```ts
 * import { createBatchPredictionWaiter } from 'aml-waiter';
 * const waiter = createBatchPredictionWaiter('bp-123');
 * waiter.on('transition', ({ from, to }) => console.log(`${from} → ${to}`));
 * const done = await waiter.result;
 * ```
 */
export class Waiter<K extends ResourceKind = ResourceKind> extends EventEmitter<WaiterEvents<K>> {
  readonly kind: K;
  readonly id: string;
  /** Resolves with the COMPLETED resource; rejects with a `WaiterError`, `signal.reason`, or an `AbortError` after {@link Waiter.cancel}. */
  readonly result: Promise<ResourceByKind[K]>;
  readonly #events: WaitEvent<K>[] = [];
  readonly #wakers = new Set<() => void>();
  readonly #controller: AbortController;
  readonly #logger: Logger;
  readonly #wrappers = new WeakMap<Listener, Listener>();
  #settled: { ok: true } | { ok: false; error: unknown } | undefined;
  readonly #initialCheckpoint: WaitCheckpoint<K>;

  constructor(kind: K, id: string, options: WaitOptions = {}) {
    super();
    // Validate the caller's options (signal included) first, then poll under our own signal so cancel() works.
    const checked = resolveWaitOptions(kind, id, options);
    const { controller, unfollow } = followAbort(options.signal);
    this.#controller = controller;
    const resolved = { ...checked, signal: controller.signal };
    this.#initialCheckpoint = checkpointOf(startState(resolved, resolved.clock.wallNow()));
    this.kind = kind;
    this.id = id;
    this.#logger = options.logger ?? warningLogger;

    this.result = runWait(
      resolved,
      (event) => {
        this.#events.push(event);
        this.#wake();
        this.#safeEmit(event);
      },
      this.#controller.signal,
    ).then(
      (resource) => {
        unfollow();
        this.#settled = { ok: true };
        this.#wake();
        return resource;
      },
      (error: unknown) => {
        unfollow();
        this.#settled = { ok: false, error };
        this.#wake();
        throw error;
      },
    );
    // Callers who only iterate or listen must not get an unhandled rejection.
    this.result.catch(() => undefined);
  }

  /**
   * Stops polling: the in-flight request is cancelled and `result` rejects with `reason` (default: a
   * `DOMException` named `AbortError`). Does nothing once the wait has ended.
   */
  cancel(reason: unknown = new DOMException(`The wait for ${this.id} was cancelled.`, 'AbortError')): void {
    if (this.#settled !== undefined) return;
    this.#controller.abort(reason);
  }

  /** Every event since creation, in order; ends after the terminal one, or throws the wait's error. */
  async *[Symbol.asyncIterator](): AsyncGenerator<WaitEvent<K>, void, undefined> {
    let index = 0;
    for (;;) {
      for (let event = this.#events[index]; event !== undefined; event = this.#events[index]) {
        index++;
        yield event;
      }
      const settled = this.#settled;
      if (settled !== undefined) {
        if (!settled.ok) throw settled.error;
        return;
      }
      await new Promise<void>((resolve) => this.#wakers.add(resolve));
    }
  }

  /**
   * The wait's state as of its latest event (or its start), as a plain JSON value to store and pass to
   * `resumeWait` later, in this process or another.
   */
  checkpoint(): WaitCheckpoint<K> {
    return this.#events.at(-1)?.checkpoint ?? this.#initialCheckpoint;
  }

  /** `true` once the wait has ended (in any way). */
  get settled(): boolean {
    return this.#settled !== undefined;
  }

  #wake(): void {
    const wakers = [...this.#wakers];
    this.#wakers.clear();
    for (const wake of wakers) wake();
  }

  #safeEmit(event: WaitEvent<K>): void {
    (this.emit as (type: string, event: WaitEvent<K>) => boolean)(event.type, event);
  }

  #wrap(listener: Listener): Listener {
    let wrapper = this.#wrappers.get(listener);
    if (wrapper === undefined) {
      const logger = this.#logger;
      const { kind, id } = this;
      wrapper = function (this: unknown, ...args: never[]): void {
        try {
          const returned = listener.apply(this, args);
          if (returned instanceof Promise) {
            returned.catch((error: unknown) => {
              logger.error({ kind, id, err: String(error) }, 'an async event listener rejected');
            });
          }
        } catch (error) {
          logger.error({ kind, id, err: String(error) }, 'an event listener threw');
        }
      };
      this.#wrappers.set(listener, wrapper);
    }
    return wrapper;
  }

  override on<T extends Names<K>>(
    event: T,
    fn: EventEmitter.EventListener<WaiterEvents<K>, T>,
    context?: unknown,
  ): this {
    return super.on(event, this.#wrap(fn) as typeof fn, context);
  }

  override addListener<T extends Names<K>>(
    event: T,
    fn: EventEmitter.EventListener<WaiterEvents<K>, T>,
    context?: unknown,
  ): this {
    return this.on(event, fn, context);
  }

  override once<T extends Names<K>>(
    event: T,
    fn: EventEmitter.EventListener<WaiterEvents<K>, T>,
    context?: unknown,
  ): this {
    return super.once(event, this.#wrap(fn) as typeof fn, context);
  }

  override off<T extends Names<K>>(
    event: T,
    fn?: EventEmitter.EventListener<WaiterEvents<K>, T>,
    context?: unknown,
    once?: boolean,
  ): this {
    const wrapper = fn === undefined ? undefined : (this.#wrappers.get(fn) as typeof fn | undefined);
    return super.off(event, wrapper ?? fn, context, once);
  }

  override removeListener<T extends Names<K>>(
    event: T,
    fn?: EventEmitter.EventListener<WaiterEvents<K>, T>,
    context?: unknown,
    once?: boolean,
  ): this {
    return this.off(event, fn, context, once);
  }
}

/**
 * Creates a {@link Waiter} for any Amazon ML resource. Invalid arguments throw here, synchronously.
 */
export function createWaiter<K extends ResourceKind>(kind: K, id: string, options?: WaitOptions): Waiter<K> {
  return new Waiter(kind, id, options);
}
