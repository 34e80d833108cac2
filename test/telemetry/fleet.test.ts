import { context, SpanKind, trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openWaitQueue, startWaitWorker, type WaitWorker } from '../../src/bullmq/index.js';
import { useFleet } from '../bullmq/helpers/useFleet.js';
import { childrenOf, eventsOf, onlySpan, useOpenTelemetry } from './helpers/openTelemetryKit.js';

const env = useFleet();
const otel = useOpenTelemetry();
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe('a fleet wait is one trace across workers', { timeout: 40_000 }, () => {
  it("the producer's waitFor span is the root; every poll, on either worker, is its child and links to the one before", async () => {
    const queueName = env.queueName();
    const queue = await openWaitQueue({ connection: env.connection, queueName, telemetry: otel.providers });
    cleanup.push(() => queue.close());
    const startWorker = async (name: string, options: object): Promise<WaitWorker> => {
      const worker = await startWaitWorker({
        connection: env.connection,
        queueName,
        name,
        client: env.clientConfig, // the worker's own client: it reports its requests as the worker does
        ...options,
      });
      cleanup.push(() => worker.close());
      return worker;
    };
    const workerA = await startWorker('worker-a', { telemetry: otel.providers });
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-fleet-trace' }, [{ status: 'PENDING' }]);

    const pipeline = otel.tracerProvider.getTracer('pipeline').startSpan('pipeline');
    const outcome = context.with(trace.setSpan(context.active(), pipeline), () =>
      queue.waitFor('BatchPrediction', 'bp-fleet-trace', {
        minDelayMs: 100,
        maxDelayMs: 100,
        timeoutMs: 30_000,
      }),
    );
    // Two polls on worker A.
    await vi.waitFor(
      async () => {
        expect((await queue.checkpoint('BatchPrediction', 'bp-fleet-trace'))?.polls).toBeGreaterThanOrEqual(
          2,
        );
      },
      { timeout: 15_000, interval: 20 },
    );
    await workerA.close();
    // The second worker is turned on the way a deployment does it: AML_WAITER_TELEMETRY=1 and the global providers.
    trace.setGlobalTracerProvider(otel.tracerProvider);
    process.env.AML_WAITER_TELEMETRY = '1';
    try {
      await startWorker('worker-b', {});
    } finally {
      delete process.env.AML_WAITER_TELEMETRY;
    }
    env.emulator.script('BatchPrediction', 'bp-fleet-trace', [
      { status: 'INPROGRESS', forMs: 300 },
      { status: 'COMPLETED' },
    ]);
    await expect(outcome).resolves.toMatchObject({ Status: 'COMPLETED' });
    pipeline.end();
    trace.disable();

    const spans = await otel.spans();
    const wait = onlySpan(spans, 'aml-waiter.wait');
    expect(wait.parentSpanContext?.spanId).toBe(pipeline.spanContext().spanId);
    expect(wait.attributes).toMatchObject({
      'aml_waiter.kind': 'BatchPrediction',
      'aml_waiter.id': 'bp-fleet-trace',
      'aml_waiter.fleet': true,
      'aml_waiter.outcome': 'completed',
      'messaging.destination.name': queueName,
    });
    const polls = childrenOf(spans, wait);
    expect(polls.length).toBeGreaterThanOrEqual(4);
    expect(new Set(polls.map((span) => span.name))).toEqual(new Set(['aml-waiter.poll']));
    expect(new Set(polls.map((span) => span.kind))).toEqual(new Set([SpanKind.CONSUMER]));
    // Every span of the wait is in the pipeline's trace.
    expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(
      new Set([pipeline.spanContext().traceId]),
    );
    const workers = polls.map((span) => span.attributes['aml_waiter.worker']);
    expect(workers[0]).toBe('worker-a');
    expect(workers.at(-1)).toBe('worker-b');
    expect(new Set(workers)).toEqual(new Set(['worker-a', 'worker-b']));
    // Each poll links to the previous one, across the change of worker.
    expect(polls[0]?.links).toEqual([]);
    polls.slice(1).forEach((span, index) => {
      expect(span.links.map((link) => link.context.spanId)).toEqual([polls[index]?.spanContext().spanId]);
    });
    // Each poll's request is its child; the last poll saw COMPLETED, the others asked for another poll.
    for (const poll of polls) {
      expect(childrenOf(spans, poll).map((span) => span.name)).toEqual([
        'MachineLearning.GetBatchPrediction',
      ]);
    }
    expect(polls.slice(0, -1).map((span) => span.attributes['aml_waiter.outcome'])).toEqual(
      polls.slice(0, -1).map(() => 'wait'),
    );
    const last = polls.at(-1);
    expect(last?.attributes['aml_waiter.outcome']).toBe('completed');
    expect(eventsOf(last!).map(([name, attributes]) => [name, attributes?.['aml_waiter.to']])).toEqual([
      ['transition', 'COMPLETED'],
    ]);
    const transitions = polls.flatMap((span) =>
      eventsOf(span).map(([, attributes]) => attributes?.['aml_waiter.to']),
    );
    expect(transitions).toEqual(['PENDING', 'INPROGRESS', 'COMPLETED']);
  });
  it('a producer that joins a queued wait, or awaits result() alone, links to the trace of the one that queued it; each records its wait duration', async () => {
    const queueName = env.queueName();
    const first = await openWaitQueue({ connection: env.connection, queueName, telemetry: otel.providers });
    const second = await openWaitQueue({ connection: env.connection, queueName, telemetry: otel.providers });
    const third = await openWaitQueue({ connection: env.connection, queueName, telemetry: otel.providers });
    cleanup.push(
      () => first.close(),
      () => second.close(),
      () => third.close(),
    );
    env.emulator.put('BatchPrediction', { BatchPredictionId: 'bp-fleet-join' }, [{ status: 'PENDING' }]);
    const settings = { minDelayMs: 100, maxDelayMs: 100, timeoutMs: 30_000 };
    // No worker yet: the job stays queued while the other producers arrive.
    const queued = first.waitFor('BatchPrediction', 'bp-fleet-join', settings);
    await vi.waitFor(async () => {
      expect(await first.checkpoint('BatchPrediction', 'bp-fleet-join')).toBeDefined();
    });
    const joined = second.waitFor('BatchPrediction', 'bp-fleet-join', settings);
    const alone = third.result('BatchPrediction', 'bp-fleet-join');
    const worker = await startWaitWorker({
      connection: env.connection,
      queueName,
      client: env.clientConfig,
      telemetry: otel.providers,
    });
    cleanup.push(() => worker.close());
    env.emulator.script('BatchPrediction', 'bp-fleet-join', [{ status: 'COMPLETED' }]);
    for (const outcome of [queued, joined, alone])
      await expect(outcome).resolves.toMatchObject({ Status: 'COMPLETED' });

    const waits = (await otel.spans()).filter((span) => span.name === 'aml-waiter.wait');
    expect(waits).toHaveLength(3);
    const [root, ...others] = waits.sort(
      (a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1],
    );
    // The first producer's span is the root of the job's trace and links to nothing; the others are roots of
    // traces of their own, each linking to it.
    expect(root?.links).toEqual([]);
    for (const span of others) {
      expect(span.spanContext().traceId).not.toBe(root?.spanContext().traceId);
      expect(span.links.map((link) => [link.context.spanId, link.attributes])).toEqual([
        [root?.spanContext().spanId, { 'aml_waiter.link': 'enqueued_wait' }],
      ]);
    }
    // Every producer records its wait as a single-process wait does, and none stays in progress.
    const durations = await otel.metric('aml_waiter.wait.duration');
    expect(durations).toEqual([
      {
        attributes: { 'aml_waiter.kind': 'BatchPrediction', 'aml_waiter.outcome': 'completed' },
        value: { count: 3, sum: expect.any(Number) as number },
      },
    ]);
    expect(await otel.metric('aml_waiter.wait.active')).toEqual([
      { attributes: { 'aml_waiter.kind': 'BatchPrediction' }, value: 0 },
    ]);
  });
});
