import { offAbort, onAbort } from './onAbort.js';

/** A call waiting for a slot: a node of the FIFO (a doubly linked list, so an abort leaves it in O(1)). */
interface SlotWaiter {
  readonly operation: string;
  readonly resolve: () => void;
  readonly reject: (reason: Error) => void;
  readonly signal: AbortSignal | undefined;
  /** Only for a call with a signal. */
  readonly onAbort: (() => void) | undefined;
  prev: SlotWaiter | undefined;
  next: SlotWaiter | undefined;
}

/**
 * The client-wide limit on requests in flight (`maxConcurrentRequests`). A call takes a slot before it
 * signs and sends its request and gives it back when the response is read, so the calls over the limit
 * wait here, in order, holding nothing but a pending promise: not a signed request in the dispatcher's
 * queue (which would age its signature and spend its request deadline while it waits).
 * @internal
 */
export class RequestSlots {
  /** The most requests in flight at once (`Infinity`: no limit). */
  readonly limit: number;
  #inFlight = 0;
  #closedReason: ((operation: string) => Error) | undefined;
  #queued = 0;
  #head: SlotWaiter | undefined;
  #tail: SlotWaiter | undefined;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Requests holding a slot. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Calls waiting for a slot. */
  get queued(): number {
    return this.#queued;
  }

  /**
   * Takes a slot: returns `undefined` when one was free (taken at once, nothing allocated), else a
   * promise that resolves when one is handed over, or rejects with `signal.reason` if the signal aborts
   * first (the call then leaves the queue). Each slot taken must be given back with {@link release}.
   */
  acquire(operation: string, signal: AbortSignal | undefined): Promise<void> | undefined {
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    if (this.#closedReason !== undefined) return Promise.reject(this.#closedReason(operation));
    if (this.#inFlight < this.limit && this.#queued === 0) {
      this.#inFlight++;
      return undefined;
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: SlotWaiter = {
        operation,
        resolve,
        reject,
        signal,
        onAbort:
          signal === undefined
            ? undefined
            : () => {
                this.#unlink(waiter);
                reject(signal.reason as Error);
              },
        prev: this.#tail,
        next: undefined,
      };
      if (this.#tail === undefined) this.#head = waiter;
      else this.#tail.next = waiter;
      this.#tail = waiter;
      this.#queued++;
      // One entry in the signal's fan-out: thousands of queued calls may share one signal.
      if (signal !== undefined && waiter.onAbort !== undefined) onAbort(signal, waiter.onAbort);
    });
  }

  /** Gives a slot back: to the first waiting call, if any. */
  release(): void {
    const next = this.#head;
    if (next === undefined) {
      this.#inFlight--;
      return;
    }
    this.#unlink(next);
    next.resolve();
  }

  /**
   * The client was closed: rejects every waiting call, and every later {@link acquire}, with the error
   * `reasonFor(operation)` makes. Slots in flight stay taken until released.
   */
  close(reasonFor: (operation: string) => Error): void {
    this.#closedReason = reasonFor;
    for (let waiter = this.#head; waiter !== undefined; waiter = this.#head) {
      this.#unlink(waiter);
      waiter.reject(reasonFor(waiter.operation));
    }
  }

  #unlink(waiter: SlotWaiter): void {
    if (waiter.signal !== undefined && waiter.onAbort !== undefined) offAbort(waiter.signal, waiter.onAbort);
    if (waiter.prev === undefined) this.#head = waiter.next;
    else waiter.prev.next = waiter.next;
    if (waiter.next === undefined) this.#tail = waiter.prev;
    else waiter.next.prev = waiter.prev;
    waiter.prev = undefined;
    waiter.next = undefined;
    this.#queued--;
  }
}
