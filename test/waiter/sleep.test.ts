import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS } from '../../src/model/Clock.js';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import { sleep } from '../../src/waiter/sleep.js';

describe('sleep (between the retries of one poll)', () => {
  it('resolves after the delay on the clock, and not before', async () => {
    const clock = new VirtualClock();
    let done = false;
    const slept = sleep(clock, 5_000, undefined).then(() => (done = true));
    clock.advance(4_999);
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(1);
    await slept;
    expect(clock.now()).toBe(5_000);
    expect(clock.pendingTimers).toBe(0);
  });

  it('sleeps longer than one real timer can, in steps', async () => {
    const clock = new VirtualClock();
    let done = false;
    const slept = sleep(clock, MAX_TIMER_MS + 10, undefined).then(() => (done = true));
    clock.advance(MAX_TIMER_MS);
    await Promise.resolve();
    expect(done).toBe(false);
    expect(clock.pendingTimers).toBe(1);
    clock.advance(10);
    await slept;
    expect(clock.now()).toBe(MAX_TIMER_MS + 10);
  });

  it('an abort rejects with the reason at once, leaving no timer and no listener', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const slept = sleep(clock, 5_000, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    clock.advance(1_000);
    controller.abort(new Error('stop'));
    await expect(slept).rejects.toThrow('stop');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(clock.pendingTimers).toBe(0);
    expect(clock.now()).toBe(1_000);
  });

  it('an ended sleep takes its listener off the signal', async () => {
    const clock = new VirtualClock();
    const controller = new AbortController();
    const slept = sleep(clock, 100, controller.signal);
    clock.advance(100);
    await slept;
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('an already aborted signal rejects without arming a timer', async () => {
    const clock = new VirtualClock();
    await expect(sleep(clock, 100, AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    expect(clock.pendingTimers).toBe(0);
  });
});
