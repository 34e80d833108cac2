import { MAX_TIMER_MS, type Clock } from '../model/Clock.js';

/**
 * @internal One wait's place in a {@link SleepQueue}, made once per wait and queued for each of its sleeps.
 * `wake` is called when the sleep is over.
 */
export class QueuedSleep {
  /** `clock.now()` when the sleep is over. */
  due = 0;
  /** Order among sleeps due at the same time: the one queued first wakes first. */
  seq = 0;
  /** Position in the queue's heap; -1 while not queued. */
  index = -1;

  readonly wake: () => void;

  constructor(wake: () => void) {
    this.wake = wake;
  }

  get queued(): boolean {
    return this.index !== -1;
  }
}

const queues = new WeakMap<Clock, SleepQueue>();

/**
 * @internal The sleeps of every wait on one clock, behind a single clock timer armed for the earliest. A wait
 * sleeps for seconds between polls, and what it holds that long is promoted to the old generation and dies
 * there: a timer per sleep (Node's `Timeout`, ~150 bytes with its async ids) added up to more than the wait's
 * own state at 10,000 waits. Here a sleep costs no allocation: its {@link QueuedSleep} is reused, and the
 * heap's arrays grow once.
 *
 * Sleeps due at the same time wake in the order they were queued. A clock's timer may fire a moment before the
 * clock reads its due time (Node arms timers from the event loop's cached time): the sleeps due by the time
 * the timer was armed for are over then, as a timer of their own would have been.
 */
export class SleepQueue {
  readonly #clock: Clock;
  /** A binary min-heap on (due, seq). */
  readonly #heap: QueuedSleep[] = [];
  #seq = 0;
  #timer: unknown;
  /** The time the armed timer stands for (at most {@link MAX_TIMER_MS} ahead: longer sleeps take steps). */
  #armedFor = 0;
  /** Set while due sleeps are woken: arming waits until they all have been. */
  #waking = false;

  private constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** The queue of `clock` (one per clock object). */
  static of(clock: Clock): SleepQueue {
    let queue = queues.get(clock);
    if (queue === undefined) {
      queue = new SleepQueue(clock);
      queues.set(clock, queue);
    }
    return queue;
  }

  /** Sleeps queued (for tests and diagnostics). */
  get size(): number {
    return this.#heap.length;
  }

  /** Queues `sleep` to wake `delayMs` from now (a sleep already queued is moved). */
  add(sleep: QueuedSleep, delayMs: number): void {
    if (sleep.queued) this.remove(sleep);
    sleep.due = this.#clock.now() + Math.max(0, delayMs);
    sleep.seq = this.#seq++;
    sleep.index = this.#heap.length;
    this.#heap.push(sleep);
    this.#up(sleep.index);
    if (sleep.index === 0 && !this.#waking) this.#arm();
  }

  /** Takes `sleep` out of the queue, if it is there; the clock's timer goes with the last sleep. */
  remove(sleep: QueuedSleep): void {
    const at = sleep.index;
    if (at === -1) return;
    sleep.index = -1;
    const last = this.#heap.pop() as QueuedSleep;
    if (last !== sleep) {
      this.#place(last, at);
      this.#down(at);
      this.#up(last.index);
    }
    if (this.#heap.length === 0 && this.#timer !== undefined) {
      this.#clock.clearTimeout(this.#timer);
      this.#timer = undefined;
    }
  }

  /** Arms the clock for the earliest sleep (or a step towards it). */
  #arm(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    const first = this.#heap[0];
    if (first === undefined) return;
    const now = this.#clock.now();
    const step = Math.min(Math.max(0, first.due - now), MAX_TIMER_MS);
    this.#armedFor = now + step;
    this.#timer = this.#clock.setTimeout(this.#fire, step);
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    const now = Math.max(this.#clock.now(), this.#armedFor);
    this.#waking = true;
    try {
      // Woken one by one from the top: a wake may queue its next sleep (later than now) or take another out.
      for (let first = this.#heap[0]; first !== undefined && first.due <= now; first = this.#heap[0]) {
        this.remove(first);
        first.wake();
      }
    } finally {
      this.#waking = false;
      this.#arm();
    }
  };

  #up(at: number): void {
    const heap = this.#heap;
    const sleep = heap[at] as QueuedSleep;
    while (at > 0) {
      const parentAt = (at - 1) >> 1;
      const parent = heap[parentAt] as QueuedSleep;
      if (!before(sleep, parent)) break;
      this.#place(parent, at);
      at = parentAt;
    }
    this.#place(sleep, at);
  }

  #down(at: number): void {
    const heap = this.#heap;
    const sleep = heap[at] as QueuedSleep;
    const half = heap.length >> 1;
    while (at < half) {
      let childAt = 2 * at + 1;
      const right = childAt + 1;
      if (right < heap.length && before(heap[right] as QueuedSleep, heap[childAt] as QueuedSleep))
        childAt = right;
      const child = heap[childAt] as QueuedSleep;
      if (!before(child, sleep)) break;
      this.#place(child, at);
      at = childAt;
    }
    this.#place(sleep, at);
  }

  #place(sleep: QueuedSleep, at: number): void {
    this.#heap[at] = sleep;
    sleep.index = at;
  }
}

function before(a: QueuedSleep, b: QueuedSleep): boolean {
  return a.due < b.due || (a.due === b.due && a.seq < b.seq);
}
