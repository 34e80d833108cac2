import { afterEach, describe, expect, it } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import { createSeededRandom } from '../../src/emulator/createSeededRandom.js';
import type { ResourceKind } from '../../src/model/ResourceKind.js';
import { openWaitQueue, startWaitWorker } from '../../src/bullmq/index.js';
import type { AmazonMLClientLike } from '../../src/waiter/WaitOptions.js';
import { ResourceFailedError } from '../../src/waiter/ResourceFailedError.js';
import { useFleet } from './helpers/useFleet.js';

const env = useFleet();
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

interface Interval {
  readonly worker: string;
  readonly id: string;
  readonly start: number;
  end: number;
}

/** A client that records when each of its `Get…` requests starts and ends. */
function recordingClient(worker: string, base: AmazonMLClient, log: Interval[]): AmazonMLClientLike {
  return {
    get: async <K extends ResourceKind>(
      kind: K,
      id: string,
      options?: Parameters<AmazonMLClient['get']>[2],
    ) => {
      const entry: Interval = { worker, id, start: performance.now(), end: Number.POSITIVE_INFINITY };
      log.push(entry);
      try {
        return await base.get(kind, id, options);
      } finally {
        entry.end = performance.now();
      }
    },
  };
}

describe('fleet waits at scale', () => {
  it('two workers, 1,000 waits: no id is polled by two workers at once, every outcome is the emulator’s truth', async () => {
    const queueName = env.queueName();
    const queue = await openWaitQueue({ connection: env.connection, queueName });
    cleanup.push(() => queue.close());
    const log: Interval[] = [];
    const workers = [];
    for (const name of ['w1', 'w2']) {
      const base = new AmazonMLClient(env.clientConfig);
      cleanup.push(() => base.close());
      const worker = await startWaitWorker({
        connection: env.connection,
        queueName,
        client: recordingClient(name, base, log),
        concurrency: 50,
      });
      cleanup.push(() => worker.close());
      workers.push(worker);
    }

    const random = createSeededRandom(9);
    const ids: string[] = [];
    for (let n = 0; n < 1000; n++) {
      const id = `bp-scale-${n}`;
      ids.push(id);
      const fails = random() < 0.25;
      env.emulator.put('BatchPrediction', { BatchPredictionId: id }, [
        { status: 'PENDING', forMs: Math.round(random() * 300) },
        { status: 'INPROGRESS', forMs: Math.round(random() * 400) },
        fails
          ? { status: 'FAILED', message: `bad input ${n}` }
          : { status: 'COMPLETED', fields: { TotalRecordCount: n } },
      ]);
    }
    const settings = { minDelayMs: 50, maxDelayMs: 200, timeoutMs: 60_000 };
    await Promise.all(ids.map((id) => queue.enqueue('BatchPrediction', id, settings)));
    const outcomes = await Promise.all(
      ids.map((id) =>
        queue.result('BatchPrediction', id).then(
          (resource) => ({ id, ok: true as const, resource }),
          (error: unknown) => ({ id, ok: false as const, error }),
        ),
      ),
    );

    // Every outcome equals the emulator's truth.
    const wrong: string[] = [];
    for (const outcome of outcomes) {
      const truth = env.emulator.get('BatchPrediction', outcome.id) as {
        Status: string;
        Message?: string;
        TotalRecordCount?: number;
      };
      if (outcome.ok) {
        if (truth.Status !== 'COMPLETED' || outcome.resource.TotalRecordCount !== truth.TotalRecordCount)
          wrong.push(`${outcome.id}: COMPLETED, truth ${truth.Status}`);
      } else if (
        !(outcome.error instanceof ResourceFailedError) ||
        truth.Status !== 'FAILED' ||
        (outcome.error.lastResource as { Message?: string } | undefined)?.Message !== truth.Message
      ) {
        wrong.push(`${outcome.id}: ${String(outcome.error)}, truth ${truth.Status}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(outcomes.filter((o) => o.ok).length).toBeGreaterThan(600);

    // No two requests on one id overlap in time, whichever workers sent them.
    const byId = new Map<string, Interval[]>();
    for (const entry of log) byId.set(entry.id, [...(byId.get(entry.id) ?? []), entry]);
    const overlaps: string[] = [];
    for (const [id, entries] of byId) {
      entries.sort((a, b) => a.start - b.start);
      for (let i = 1; i < entries.length; i++) {
        if (entries[i]!.start < entries[i - 1]!.end) {
          const show = (e: Interval) => `${e.worker} ${e.start.toFixed(0)}–${e.end.toFixed(0)}`;
          overlaps.push(`${id}: ${entries.map(show).join(', ')}`);
        }
      }
    }
    expect(overlaps).toEqual([]);
    expect(byId.size).toBe(1000);
    // Both workers took part, and the requests counted in the waits are the requests sent.
    const [first, second] = workers.map((w) => w.stats());
    expect(first!.steps).toBeGreaterThan(100);
    expect(second!.steps).toBeGreaterThan(100);
    expect(first!.requests + second!.requests).toBe(log.length);
    expect(first!.completed + second!.completed + first!.failed + second!.failed).toBe(1000);
  }, 60_000);
});
