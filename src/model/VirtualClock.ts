import type { Clock } from './Clock.js';

interface Timer {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/** Options of {@link VirtualClock}. */
export interface VirtualClockOptions {
  /** Wall-clock time (epoch ms) at virtual time 0. Default: the real `Date.now()` at creation. */
  readonly startWallMs?: number | undefined;
  /**
   * When `true`, the clock jumps to the next timer by itself as soon as the process has nothing else
   * to do for a moment (no pending I/O callbacks in the current turn), so code that sleeps for hours
   * finishes in milliseconds while real sockets still work. Default `false`: call
   * {@link VirtualClock.advance} yourself.
   */
  readonly autoAdvance?: boolean | undefined;
}

/**
 * A {@link Clock} whose time only moves when told to (or, with `autoAdvance`, whenever every
 * waiter sharing it is asleep). Use it to run waits, and the emulator's lifecycles, in virtual time.
 *
 * @example
 * ```ts
 * import { VirtualClock, startEmulator } from 'aml-waiter/emulator';
 * const clock = new VirtualClock({ autoAdvance: true });
 * const emu = await startEmulator({ clock });
 * ```
 */
export class VirtualClock implements Clock {
  #now = 0;
  #nextId = 1;
  #timers: Timer[] = [];
  #autoScheduled = false;
  readonly #startWallMs: number;
  #autoAdvance: boolean;
  /** Every delay passed to {@link VirtualClock.setTimeout}, in order (for exact schedule assertions). */
  readonly scheduled: number[] = [];

  constructor(options: VirtualClockOptions = {}) {
    this.#startWallMs = options.startWallMs ?? Date.now();
    this.#autoAdvance = options.autoAdvance ?? false;
  }

  now(): number {
    return this.#now;
  }

  wallNow(): number {
    return this.#startWallMs + this.#now;
  }

  /** Number of timers waiting to fire. */
  get pendingTimers(): number {
    return this.#timers.length;
  }

  setTimeout(callback: () => void, delayMs: number): unknown {
    const delay = Math.max(0, Number.isFinite(delayMs) ? delayMs : 0);
    this.scheduled.push(delay);
    const timer: Timer = { id: this.#nextId++, at: this.#now + delay, callback };
    // Keep timers sorted by due time, then by creation order.
    const later = this.#timers.findIndex((other) => other.at > timer.at);
    this.#timers.splice(later === -1 ? this.#timers.length : later, 0, timer);
    this.#scheduleAuto();
    return timer.id;
  }

  clearTimeout(handle: unknown): void {
    const index = this.#timers.findIndex((timer) => timer.id === handle);
    if (index !== -1) this.#timers.splice(index, 1);
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (;;) {
      const next = this.#timers[0];
      if (next === undefined || next.at > target) break;
      this.#timers.shift();
      this.#now = Math.max(this.#now, next.at);
      next.callback();
    }
    this.#now = target;
  }

  /** Jumps to the earliest pending timer and fires it (and any due at the same instant). Returns `false` if none. */
  runNext(): boolean {
    const next = this.#timers[0];
    if (next === undefined) return false;
    this.advance(next.at - this.#now);
    return true;
  }

  /** Turns automatic advancing on or off. */
  setAutoAdvance(enabled: boolean): void {
    this.#autoAdvance = enabled;
    this.#scheduleAuto();
  }

  #scheduleAuto(): void {
    if (!this.#autoAdvance || this.#autoScheduled || this.#timers.length === 0) return;
    this.#autoScheduled = true;
    // Two setImmediate turns let promise chains and already-readable sockets settle first.
    setImmediate(() => {
      setImmediate(() => {
        this.#autoScheduled = false;
        if (this.#autoAdvance) this.runNext();
        this.#scheduleAuto();
      });
    });
  }
}
