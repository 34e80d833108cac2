import { describe, expect, it } from 'vitest';
import { RequestBudget } from '../../src/client/RequestBudget.js';
import { VirtualClock } from '../../src/model/VirtualClock.js';

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('RequestBudget', () => {
  it('lets a burst through, then one request per 1/rate seconds, in order', async () => {
    const clock = new VirtualClock();
    const budget = new RequestBudget({ maxRequestsPerSecond: 10, clock });
    const granted: number[] = [];
    const all = Array.from({ length: 13 }, (_, i) => budget.take().then(() => granted.push(i)));
    await settle();
    expect(granted).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(budget.queued).toBe(3);
    clock.advance(100);
    await settle();
    expect(granted.slice(10)).toEqual([10]);
    clock.advance(200);
    await Promise.all(all);
    expect(granted.slice(10)).toEqual([10, 11, 12]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('halves the rate on throttling and regains a tenth of the maximum per quiet second', () => {
    const clock = new VirtualClock();
    const budget = new RequestBudget({ maxRequestsPerSecond: 100, clock });
    budget.onThrottled();
    expect(budget.rate).toBe(50);
    budget.onThrottled();
    expect(budget.rate).toBe(25);
    clock.advance(1000);
    expect(budget.rate).toBe(35);
    clock.advance(10_000);
    expect(budget.rate).toBe(100);
  });

  it('never drops below minRequestsPerSecond', () => {
    const budget = new RequestBudget({
      maxRequestsPerSecond: 8,
      minRequestsPerSecond: 2,
      clock: new VirtualClock(),
    });
    for (let i = 0; i < 10; i++) budget.onThrottled();
    expect(budget.rate).toBe(2);
  });

  it('a queued request whose signal aborts leaves the queue with the reason, and no timer is left', async () => {
    const clock = new VirtualClock();
    const budget = new RequestBudget({ maxRequestsPerSecond: 1, clock });
    await budget.take();
    const controller = new AbortController();
    const queued = budget.take(controller.signal);
    expect(budget.queued).toBe(1);
    controller.abort('gone');
    await expect(queued).rejects.toBe('gone');
    expect(budget.queued).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects a bad maximum by name', () => {
    expect(() => new RequestBudget({ maxRequestsPerSecond: 0 })).toThrow(
      'Expected `maxRequestsPerSecond` to be a finite number > 0, got 0.',
    );
  });
});
