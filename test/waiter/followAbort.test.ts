import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { followAbort } from '../../src/waiter/followAbort.js';

describe('followAbort: many waits on one signal', () => {
  it('puts one listener on the shared signal, however many follow it, and takes it off after the last', () => {
    const shared = new AbortController();
    const followers = Array.from({ length: 10_000 }, () => followAbort(shared.signal));
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
    for (const { unfollow } of followers.slice(0, 9_999)) unfollow();
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
    followers[9_999]!.unfollow();
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    // A new follower after all left gets a listener again, and the abort reaches it.
    const late = followAbort(shared.signal);
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(1);
    shared.abort(new Error('late'));
    expect(late.controller.signal.reason).toEqual(new Error('late'));
    expect(followers[0]!.controller.signal.aborted).toBe(false);
  });

  it('an abort reaches every follower still following, with its reason, in order; unfollowed ones stay quiet', () => {
    const shared = new AbortController();
    const order: number[] = [];
    const followers = Array.from({ length: 5 }, (_, i) => {
      const follower = followAbort(shared.signal);
      follower.controller.signal.addEventListener('abort', () => order.push(i));
      return follower;
    });
    followers[2]!.unfollow();
    const reason = new Error('stop');
    shared.abort(reason);
    expect(order).toEqual([0, 1, 3, 4]);
    expect(followers.map((f): unknown => f.controller.signal.reason)).toEqual([
      reason,
      reason,
      undefined,
      reason,
      reason,
    ]);
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
    // Unfollowing after the abort is harmless.
    for (const { unfollow } of followers) unfollow();
  });

  it('a signal already aborted aborts the controller at once and adds no listener', () => {
    const reason = new Error('before');
    const signal = AbortSignal.abort(reason);
    const { controller, unfollow } = followAbort(signal);
    expect(controller.signal.reason).toBe(reason);
    expect(getEventListeners(signal, 'abort')).toHaveLength(0);
    unfollow();
  });
});
