import { describe, expect, it } from 'vitest';
import { RequestSlots } from '../../src/client/RequestSlots.js';

const closed = (operation: string): Error => new Error(`closed: ${operation}`);

describe('RequestSlots', () => {
  it('hands out free slots at once, without a promise, up to the limit', () => {
    const slots = new RequestSlots(2);
    expect(slots.acquire('A', undefined)).toBeUndefined();
    expect(slots.acquire('B', undefined)).toBeUndefined();
    expect(slots.acquire('C', undefined)).toBeInstanceOf(Promise);
    expect(slots.inFlight).toBe(2);
    expect(slots.queued).toBe(1);
  });

  it('a release hands the slot to the first waiter, in order; with nobody waiting the slot is free', async () => {
    const slots = new RequestSlots(1);
    expect(slots.acquire('A', undefined)).toBeUndefined();
    const order: string[] = [];
    const b = slots.acquire('B', undefined)!.then(() => order.push('B'));
    const c = slots.acquire('C', undefined)!.then(() => order.push('C'));
    slots.release();
    await b;
    expect(order).toEqual(['B']);
    expect(slots.inFlight).toBe(1);
    slots.release();
    await c;
    slots.release();
    expect(order).toEqual(['B', 'C']);
    expect(slots.inFlight).toBe(0);
    expect(slots.queued).toBe(0);
    expect(slots.acquire('D', undefined)).toBeUndefined();
  });

  it('a free slot is not taken past waiters already in the queue', () => {
    const slots = new RequestSlots(1);
    expect(slots.acquire('A', undefined)).toBeUndefined();
    void slots.acquire('B', undefined);
    slots.release(); // to B
    expect(slots.inFlight).toBe(1);
    expect(slots.acquire('C', undefined)).toBeInstanceOf(Promise);
  });

  it('an abort takes a waiter out of any place in the queue and rejects it with the reason', async () => {
    const slots = new RequestSlots(1);
    expect(slots.acquire('A', undefined)).toBeUndefined();
    const controllers = [new AbortController(), new AbortController(), new AbortController()];
    const settled: string[] = [];
    const waits = controllers.map((controller, i) =>
      slots.acquire(`W${String(i)}`, controller.signal)!.then(
        () => settled.push(`W${String(i)} got the slot`),
        (error: unknown) => settled.push(`W${String(i)} ${(error as Error).message}`),
      ),
    );
    controllers[1]!.abort(new Error('aborted'));
    controllers[0]!.abort(new Error('aborted'));
    expect(slots.queued).toBe(1);
    slots.release();
    await Promise.all(waits);
    expect(settled).toEqual(['W1 aborted', 'W0 aborted', 'W2 got the slot']);
    // The handed-over waiter no longer listens: a late abort changes nothing.
    controllers[2]!.abort(new Error('late'));
    expect(slots.inFlight).toBe(1);
  });

  it('close rejects every waiter with the error made for its operation and keeps the slots in flight', async () => {
    const slots = new RequestSlots(1);
    expect(slots.acquire('A', undefined)).toBeUndefined();
    const b = slots.acquire('GetBatchPrediction', undefined)!;
    const c = slots.acquire('GetMLModel', undefined)!;
    slots.close(closed);
    await expect(b).rejects.toThrow('closed: GetBatchPrediction');
    await expect(c).rejects.toThrow('closed: GetMLModel');
    expect(slots.queued).toBe(0);
    expect(slots.inFlight).toBe(1);
    slots.release();
    expect(slots.inFlight).toBe(0);
  });

  it('after close, acquire rejects at once, even with a slot free', async () => {
    const slots = new RequestSlots(2);
    slots.close(closed);
    await expect(slots.acquire('GetEvaluation', undefined)).rejects.toThrow('closed: GetEvaluation');
    expect(slots.inFlight).toBe(0);
    expect(slots.queued).toBe(0);
  });

  it('an already aborted signal is rejected at once and never queued, even with a slot free', async () => {
    const reason = new Error('gone');
    for (const busy of [false, true]) {
      const slots = new RequestSlots(1);
      if (busy) expect(slots.acquire('A', undefined)).toBeUndefined();
      await expect(slots.acquire('B', AbortSignal.abort(reason))).rejects.toBe(reason);
      expect(slots.queued).toBe(0);
      expect(slots.inFlight).toBe(busy ? 1 : 0);
    }
  });

  it('Infinity means no limit', () => {
    const slots = new RequestSlots(Number.POSITIVE_INFINITY);
    for (let i = 0; i < 1_000; i++) expect(slots.acquire('A', undefined)).toBeUndefined();
    expect(slots.inFlight).toBe(1_000);
  });
});
