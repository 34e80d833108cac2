import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, type Clock } from '../../src/model/Clock.js';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import { QueuedSleep, SleepQueue } from '../../src/waiter/SleepQueue.js';

/** Sleeps that note, in `woken`, their name and the clock's time when they wake. */
function sleepers(clock: Clock, names: readonly string[]) {
  const woken: [string, number][] = [];
  const sleeps = Object.fromEntries(
    names.map((name) => [name, new QueuedSleep(() => woken.push([name, clock.now()]))]),
  ) as Record<string, QueuedSleep>;
  return { woken, sleeps };
}

describe('SleepQueue: the sleeps of all waits on a clock behind one timer', () => {
  it('wakes each sleep at its due time, ties in the order queued, with one clock timer at a time', () => {
    const clock = new VirtualClock();
    const queue = SleepQueue.of(clock);
    const { woken, sleeps } = sleepers(clock, ['a', 'b', 'c', 'd', 'e']);
    queue.add(sleeps.a!, 3_000);
    queue.add(sleeps.b!, 1_000);
    queue.add(sleeps.c!, 2_000);
    queue.add(sleeps.d!, 1_000);
    queue.add(sleeps.e!, 5_000);
    expect(queue.size).toBe(5);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(10_000);
    expect(woken).toEqual([
      ['b', 1_000],
      ['d', 1_000],
      ['c', 2_000],
      ['a', 3_000],
      ['e', 5_000],
    ]);
    expect(queue.size).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    // The clock was armed for each due time in turn, never for a sleep already over.
    expect(clock.scheduled).toEqual([3_000, 1_000, 1_000, 1_000, 2_000]);
  });

  it('a sleep taken out does not wake; the timer goes with the last one', () => {
    const clock = new VirtualClock();
    const queue = SleepQueue.of(clock);
    const { woken, sleeps } = sleepers(clock, ['a', 'b', 'c']);
    queue.add(sleeps.a!, 1_000);
    queue.add(sleeps.b!, 2_000);
    queue.add(sleeps.c!, 3_000);
    queue.remove(sleeps.b!);
    expect(sleeps.b!.queued).toBe(false);
    clock.advance(1_500);
    queue.remove(sleeps.c!);
    expect(clock.pendingTimers).toBe(0);
    clock.advance(10_000);
    expect(woken).toEqual([['a', 1_000]]);
    // Taking out what is not queued is nothing.
    queue.remove(sleeps.c!);
    expect(queue.size).toBe(0);
  });

  it('a sleep queued again is moved, and one queued by a wake-up waits for its own time', () => {
    const clock = new VirtualClock();
    const queue = SleepQueue.of(clock);
    const woken: [string, number][] = [];
    const again = new QueuedSleep(() => {
      woken.push(['again', clock.now()]);
      if (woken.length < 3) queue.add(again, 1_000);
    });
    const moved = new QueuedSleep(() => woken.push(['moved', clock.now()]));
    queue.add(moved, 500);
    queue.add(moved, 2_500);
    queue.add(again, 1_000);
    clock.advance(10_000);
    expect(woken).toEqual([
      ['again', 1_000],
      ['again', 2_000],
      ['moved', 2_500],
      ['again', 3_000],
    ]);
  });

  it('removes from anywhere in a large heap and still wakes the rest in order', () => {
    const clock = new VirtualClock();
    const queue = SleepQueue.of(clock);
    const woken: number[] = [];
    const sleeps = Array.from({ length: 200 }, (_, i) => new QueuedSleep(() => woken.push(i)));
    // Due times in a scrambled order: (i · 37) mod 200 seconds.
    sleeps.forEach((sleep, i) => {
      queue.add(sleep, ((i * 37) % 200) * 1_000 + 1_000);
    });
    for (let i = 0; i < 200; i += 3) queue.remove(sleeps[i]!);
    clock.advance(300_000);
    const expected = sleeps
      .map((_, i) => i)
      .filter((i) => i % 3 !== 0)
      .sort((x, y) => ((x * 37) % 200) - ((y * 37) % 200));
    expect(woken).toEqual(expected);
  });

  it('a sleep longer than a real timer can run is armed in steps', () => {
    const clock = new VirtualClock();
    const queue = SleepQueue.of(clock);
    const { woken, sleeps } = sleepers(clock, ['long']);
    queue.add(sleeps.long!, MAX_TIMER_MS + 5);
    clock.advance(MAX_TIMER_MS);
    expect(woken).toEqual([]);
    clock.advance(5);
    expect(woken).toEqual([['long', MAX_TIMER_MS + 5]]);
    expect(clock.scheduled).toEqual([MAX_TIMER_MS, 5]);
  });

  it('a timer that fires a moment before the clock reads its due time still ends the sleeps due by then', () => {
    // Node arms a timer from the event loop's cached time, so it may fire before performance.now() reaches
    // the due time: the sleep is over then, as a timer of its own would have been.
    let now = 0;
    let fire: (() => void) | undefined;
    const early: Clock = {
      now: () => now,
      wallNow: () => now,
      setTimeout: (callback) => {
        fire = callback;
        return 1;
      },
      clearTimeout: () => undefined,
    };
    const queue = SleepQueue.of(early);
    const { woken, sleeps } = sleepers(early, ['a', 'b']);
    queue.add(sleeps.a!, 1_000);
    queue.add(sleeps.b!, 1_002);
    now = 999.4;
    fire?.();
    expect(woken).toEqual([['a', 999.4]]);
    expect(queue.size).toBe(1);
  });
});
