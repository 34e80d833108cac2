import { getEventListeners } from 'node:events';
import type { ServerResponse } from 'node:http';
import { Agent } from 'undici';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import { isAmazonMLError } from '../../src/client/AmazonMLError.js';
import { startCannedServer, TEST_CREDENTIALS, type CannedServer } from './helpers/cannedServer.js';

/** A server that holds every request until the test answers it, and records how many it held at once. */
let server: CannedServer;
let held: ServerResponse[];
let mostHeld: number;
const answer = (count = held.length): void => {
  for (const res of held.splice(0, count)) {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ BatchPredictionId: 'bp-1', Status: 'PENDING' }));
  }
};
/** Resolves once `held` holds `count` requests (checked every 5 ms). */
const heldCount = (count: number): Promise<void> =>
  vi.waitFor(
    () => {
      expect(held).toHaveLength(count);
    },
    { timeout: 30_000, interval: 5 },
  );
/** Resolves once the server has seen `count` requests (checked every 5 ms). */
const requestCount = (count: number): Promise<void> =>
  vi.waitFor(
    () => {
      expect(server.requests).toHaveLength(count);
    },
    { timeout: 30_000, interval: 5 },
  );

beforeEach(async () => {
  held = [];
  mostHeld = 0;
  server = await startCannedServer((res) => {
    held.push(res);
    mostHeld = Math.max(mostHeld, held.length);
  });
});
afterEach(async () => {
  answer();
  await server.close();
});

function client(extra: Record<string, unknown> = {}): AmazonMLClient {
  return new AmazonMLClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    env: {},
    ...extra,
  });
}

describe('maxConcurrentRequests (requests in flight per client)', () => {
  it('sends at most the limit at once; the rest wait in order and go as responses come back', async () => {
    const c = client({ maxConcurrentRequests: 3 });
    try {
      const ids = Array.from({ length: 8 }, (_, i) => `bp-${String(i)}`);
      const calls = ids.map((id) => c.getBatchPrediction(id));
      await heldCount(3);
      // Give queued calls every chance to slip through: nothing more arrives while three are held.
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(server.requests).toHaveLength(3);
      answer(2);
      await requestCount(5);
      answer();
      await requestCount(8);
      await heldCount(3);
      answer();
      await Promise.all(calls);
      expect(mostHeld).toBe(3);
      // First in, first out: the bodies arrive in call order.
      expect(
        server.requests.map((r) => (JSON.parse(r.body) as { BatchPredictionId: string }).BatchPredictionId),
      ).toEqual(ids);
    } finally {
      await c.close();
    }
  });

  it('defaults to 64, the size of the client pool', async () => {
    const c = client();
    try {
      const calls = Array.from({ length: 70 }, (_, i) => c.getBatchPrediction(`bp-${String(i)}`));
      await heldCount(64);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(server.requests).toHaveLength(64);
      answer();
      await heldCount(6);
      answer();
      await Promise.all(calls);
      expect(mostHeld).toBe(64);
    } finally {
      await c.close();
    }
  });

  it('a queued call whose signal aborts leaves the queue with the reason and sends nothing', async () => {
    const c = client({ maxConcurrentRequests: 1 });
    try {
      const first = c.getBatchPrediction('bp-first');
      await heldCount(1);
      const controller = new AbortController();
      const queued = c.getBatchPrediction('bp-queued', { signal: controller.signal });
      const after = c.getBatchPrediction('bp-after');
      const reason = new Error('no longer needed');
      controller.abort(reason);
      await expect(queued).rejects.toBe(reason);
      answer();
      await first;
      await heldCount(1);
      answer();
      await after;
      expect(server.requests.map((r) => r.body)).toEqual([
        '{"BatchPredictionId":"bp-first"}',
        '{"BatchPredictionId":"bp-after"}',
      ]);
    } finally {
      await c.close();
    }
  });

  it('calls sharing one signal (in flight and queued) hold one listener on it; its abort rejects them all', async () => {
    const c = client({ maxConcurrentRequests: 2 });
    try {
      const controller = new AbortController();
      const calls = Array.from({ length: 500 }, (_, i) =>
        c.getBatchPrediction(`bp-${i}`, { signal: controller.signal }),
      );
      await heldCount(2);
      // Node's EventTarget compares each new listener with all those on the signal: one each would be quadratic.
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
      const reason = new Error('batch cancelled');
      controller.abort(reason);
      const outcomes = await Promise.allSettled(calls);
      expect(outcomes.every((o) => o.status === 'rejected' && o.reason === reason)).toBe(true);
      expect(server.requests).toHaveLength(2);
      // Every call let go of the signal, and of its slot: a new call goes out at once.
      const later = new AbortController();
      const next = c.getBatchPrediction('bp-next', { signal: later.signal });
      await requestCount(3);
      expect(getEventListeners(later.signal, 'abort')).toHaveLength(1);
      answer();
      await expect(next).resolves.toMatchObject({ BatchPredictionId: 'bp-1' });
      expect(getEventListeners(later.signal, 'abort')).toHaveLength(0);
    } finally {
      await c.close();
    }
  });

  it('requestTimeoutMs counts from sending, not from queueing behind a slow request', async () => {
    const c = client({ maxConcurrentRequests: 1, requestTimeoutMs: 1_000 });
    try {
      const first = c.getBatchPrediction('bp-first');
      await heldCount(1);
      const queued = c.getBatchPrediction('bp-queued');
      // The first request is answered after 600 ms, the queued one 600 ms after it was sent: 1.2 s after it
      // was called (more than its 1 s deadline), but only 600 ms after it went out.
      await new Promise((resolve) => setTimeout(resolve, 600));
      answer();
      await first;
      await heldCount(1);
      await new Promise((resolve) => setTimeout(resolve, 600));
      answer();
      await expect(queued).resolves.toMatchObject({ BatchPredictionId: 'bp-1', Status: 'PENDING' });
    } finally {
      await c.close();
    }
  });

  it('close() rejects the queued calls at once with ClientClosedError; the call in flight completes', async () => {
    const c = client({ maxConcurrentRequests: 1 });
    const first = c.getBatchPrediction('bp-first');
    await heldCount(1);
    const queued = c.getBatchPrediction('bp-queued').catch((error: unknown) => error);
    const closing = c.close();
    const error = await queued;
    expect(isAmazonMLError(error) && error.name).toBe('ClientClosedError');
    answer();
    await expect(first).resolves.toMatchObject({ Status: 'PENDING' });
    await closing;
    expect(server.requests).toHaveLength(1);
  });

  it('a call waiting for a budget token holds its slot; closing the client then fails it without sending', async () => {
    const c = client({ maxConcurrentRequests: 2, maxRequestsPerSecond: 1 });
    const first = c.getBatchPrediction('bp-first');
    await heldCount(1);
    // The budget's one token is spent: this call holds the second slot while it waits about a second for a token.
    const waitingForToken = c.getBatchPrediction('bp-token').catch((error: unknown) => error);
    // Both slots are taken, so this one queues for a slot.
    const waitingForSlot = c.getBatchPrediction('bp-slot').catch((error: unknown) => error);
    const closing = c.close();
    const slotError = await waitingForSlot;
    expect(isAmazonMLError(slotError) && slotError.name).toBe('ClientClosedError');
    answer();
    await first;
    const tokenError = await waitingForToken;
    expect(isAmazonMLError(tokenError) && tokenError.name).toBe('ClientClosedError');
    await closing;
    expect(server.requests.map((r) => r.body)).toEqual(['{"BatchPredictionId":"bp-first"}']);
  });

  it('applies to a dispatcher of your own too; Infinity lifts it', async () => {
    const dispatcher = new Agent({ connections: 100 });
    try {
      for (const [limit, expected] of [
        [undefined, 64],
        [Number.POSITIVE_INFINITY, 80],
      ] as const) {
        mostHeld = 0;
        const c = client({ dispatcher, ...(limit === undefined ? {} : { maxConcurrentRequests: limit }) });
        let settled = 0;
        const calls = Array.from({ length: 80 }, (_, i) =>
          c.getBatchPrediction(`bp-${String(i)}`).finally(() => {
            settled++;
          }),
        );
        await heldCount(expected);
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(held).toHaveLength(expected);
        while (settled < calls.length) {
          answer();
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        await Promise.all(calls);
        expect(mostHeld).toBe(expected);
        await c.close();
      }
    } finally {
      await dispatcher.close();
    }
  });

  it('rejects a limit that is not an integer ≥ 1 or Infinity, naming the option and the value', () => {
    for (const bad of [0, -1, 2.5, Number.NaN, Number.NEGATIVE_INFINITY, '8', null]) {
      expect(() => client({ maxConcurrentRequests: bad })).toThrow(/`maxConcurrentRequests`/);
    }
    expect(() => client({ maxConcurrentRequests: 0 })).toThrow(/got 0/);
  });
});
