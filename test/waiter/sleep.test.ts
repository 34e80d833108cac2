import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import { Alarm, sleep } from '../../src/waiter/sleep.js';

describe('sleep with an alarm (how a list pass wakes a waiting poll)', () => {
  it('ends at once when the alarm rings, leaving no timer and no listener', async () => {
    const clock = new VirtualClock();
    const alarm = new Alarm();
    const controller = new AbortController();
    let done = false;
    const slept = sleep(clock, 5_000, controller.signal, alarm).then(() => (done = true));
    expect(clock.pendingTimers).toBe(1);
    clock.advance(1_000);
    await Promise.resolve();
    expect(done).toBe(false);
    alarm.ring();
    await slept;
    expect(clock.now()).toBe(1_000);
    expect(clock.pendingTimers).toBe(0);
    expect(alarm.wake).toBeUndefined();
    // The signal's listener is gone too.
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('a ring while no sleep runs ends the next sleep at once, and only that one', async () => {
    const clock = new VirtualClock();
    const alarm = new Alarm();
    alarm.ring();
    await sleep(clock, 5_000, undefined, alarm);
    expect(clock.now()).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    let done = false;
    const next = sleep(clock, 5_000, undefined, alarm).then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    clock.advance(5_000);
    await next;
    expect(done).toBe(true);
  });

  it('an abort still wins: the sleep rejects with the reason and the alarm is let go', async () => {
    const clock = new VirtualClock();
    const alarm = new Alarm();
    const controller = new AbortController();
    const slept = sleep(clock, 5_000, controller.signal, alarm);
    controller.abort(new Error('stop'));
    await expect(slept).rejects.toThrow('stop');
    expect(alarm.wake).toBeUndefined();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(clock.pendingTimers).toBe(0);
  });
});
