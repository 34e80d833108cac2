import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import type { Emulator } from '../../src/emulator/Emulator.js';
import { startEmulator } from '../../src/emulator/startEmulator.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
  emulator.put('BatchPrediction', { BatchPredictionId: 'bp-budget' }, [{ status: 'PENDING' }]);
});
afterAll(async () => {
  await emulator.close();
});

function client(maxRequestsPerSecond: number) {
  return new AmazonMLClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: emulator.credentials,
    maxRequestsPerSecond,
  });
}

describe('maxRequestsPerSecond (client-wide request budget)', () => {
  it('lets a burst through, then spaces the rest at the rate, across concurrent callers', async () => {
    const c = client(20);
    try {
      emulator.reset();
      emulator.put('BatchPrediction', { BatchPredictionId: 'bp-budget' }, [{ status: 'PENDING' }]);
      const started = performance.now();
      await Promise.all(Array.from({ length: 30 }, () => c.getBatchPrediction('bp-budget')));
      const elapsed = performance.now() - started;
      // 20 at once, then 10 more at 20/s: at least ~500 ms.
      expect(elapsed).toBeGreaterThanOrEqual(450);
      expect(emulator.requests()).toHaveLength(30);
    } finally {
      await c.close();
    }
  });

  it('slows down after throttling responses', async () => {
    const c = client(50);
    try {
      emulator.reset();
      emulator.put('BatchPrediction', { BatchPredictionId: 'bp-budget' }, [{ status: 'PENDING' }]);
      emulator.addFault({ kind: 'throttle', operation: 'GetBatchPrediction', times: 3 });
      const outcomes = await Promise.allSettled(
        Array.from({ length: 3 }, () => c.getBatchPrediction('bp-budget')),
      );
      expect(outcomes.every((o) => o.status === 'rejected')).toBe(true);
      // Three throttles: 50 → 25 → 12.5 → 6.25 requests/s, and the burst is spent: 5 more calls take ≥ ~0.6 s.
      const started = performance.now();
      await Promise.all(Array.from({ length: 5 }, () => c.getBatchPrediction('bp-budget')));
      expect(performance.now() - started).toBeGreaterThanOrEqual(500);
    } finally {
      await c.close();
    }
  });

  it('a call waiting for budget leaves the queue when its signal aborts, and sends nothing', async () => {
    const c = client(1);
    try {
      emulator.reset();
      emulator.put('BatchPrediction', { BatchPredictionId: 'bp-budget' }, [{ status: 'PENDING' }]);
      await c.getBatchPrediction('bp-budget');
      const controller = new AbortController();
      const queued = c.getBatchPrediction('bp-budget', { signal: controller.signal });
      controller.abort('no longer needed');
      await expect(queued).rejects.toBe('no longer needed');
      await new Promise((resolve) => setTimeout(resolve, 1200));
      expect(emulator.requests()).toHaveLength(1);
    } finally {
      await c.close();
    }
  });

  it('rejects a bad budget by name before any request', () => {
    expect(() => client(0)).toThrow('Expected `maxRequestsPerSecond` to be a finite number > 0, got 0');
    expect(() => client(Number.NaN)).toThrow(
      'Expected `maxRequestsPerSecond` to be a finite number > 0, got NaN',
    );
  });
});
