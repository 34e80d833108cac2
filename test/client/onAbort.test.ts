import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { offAbort, onAbort } from '../../src/client/onAbort.js';

describe('onAbort: the fan-out behind one listener', () => {
  it('a follower that throws stops none of the others; its error is thrown again in a microtask', () => {
    const shared = new AbortController();
    const called: string[] = [];
    const broken = new Error('a span processor failed');
    const reported: (() => void)[] = [];
    const spy = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((callback) => {
      reported.push(callback);
    });
    try {
      onAbort(shared.signal, () => called.push('first'));
      onAbort(shared.signal, () => {
        called.push('second');
        throw broken;
      });
      onAbort(shared.signal, () => called.push('third'));
      shared.abort();
    } finally {
      spy.mockRestore();
    }
    expect(called).toEqual(['first', 'second', 'third']);
    expect(reported).toHaveLength(1);
    expect(() => {
      reported[0]!();
    }).toThrow(broken);
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
  });

  it('a follower taken off by another while the abort is dispatched is not called', () => {
    const shared = new AbortController();
    const called: string[] = [];
    const later = (): void => {
      called.push('later');
    };
    onAbort(shared.signal, () => {
      called.push('first');
      offAbort(shared.signal, later);
    });
    onAbort(shared.signal, later);
    shared.abort();
    expect(called).toEqual(['first']);
    expect(getEventListeners(shared.signal, 'abort')).toHaveLength(0);
  });

  it('a signal-like object that dispatches abort twice calls each follower once', () => {
    // The client accepts any object with `addEventListener` (`once` may be ignored by it).
    const listeners: (() => void)[] = [];
    const signal = {
      aborted: false,
      addEventListener: (_type: string, listener: () => void) => listeners.push(listener),
      removeEventListener: () => undefined,
    } as unknown as AbortSignal;
    let calls = 0;
    onAbort(signal, () => {
      calls++;
    });
    for (const listener of [...listeners, ...listeners]) listener();
    expect(calls).toBe(1);
  });
});
