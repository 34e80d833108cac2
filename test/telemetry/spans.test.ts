import { context, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import { BasicTracerProvider } from '@opentelemetry/sdk-trace-base';
import { lastValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it, vi } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import {
  createBatchPredictionWaiter,
  waitForBatchPrediction,
  watchBatchPrediction,
} from '../../src/waiter/batchPrediction.js';
import { waitForMLModel } from '../../src/waiter/mlModel.js';
import type { WaitEvent } from '../../src/waiter/WaitEvent.js';
import { useEmulator } from '../helpers/emulatorFixture.js';
import { childrenOf, eventsOf, onlySpan, useOpenTelemetry } from './helpers/openTelemetryKit.js';

const env = useEmulator();
const otel = useOpenTelemetry();

function lifecycle(id: string, ...steps: Parameters<typeof env.emulator.script>[2]) {
  env.emulator.put(
    'BatchPrediction',
    { BatchPredictionId: id, MLModelId: 'ml-x', BatchPredictionDataSourceId: 'ds-x' },
    steps,
  );
}

/** A wait that owns its client and reports both to the test's providers. */
const traced = () => ({
  client: env.config,
  clock: env.clock,
  random: () => 0,
  telemetry: otel.providers,
});

describe('the span tree of a wait (real OpenTelemetry SDK, emulator)', () => {
  it('throttled, retried, completed: one wait span under the caller, a client span per request, events per retry and transition', async () => {
    lifecycle(
      'bp-traced',
      { status: 'PENDING', forMs: 3000 },
      { status: 'INPROGRESS', forMs: 4000 },
      { status: 'COMPLETED' },
    );
    env.emulator.addFault({ kind: 'throttle', operation: 'GetBatchPrediction', times: 2 });
    const tracer = otel.tracerProvider.getTracer('pipeline');
    const job = tracer.startSpan('nightly-job');
    const events: WaitEvent[] = [];
    const done = await context.with(trace.setSpan(context.active(), job), () =>
      lastValueFrom(watchBatchPrediction('bp-traced', traced()).pipe(toArray())).then((all) => {
        events.push(...all);
        return all.at(-1);
      }),
    );
    job.end();
    expect(done).toMatchObject({ type: 'transition', to: 'COMPLETED' });

    const spans = await otel.spans();
    const wait = onlySpan(spans, 'aml-waiter.wait');
    // A child of the caller's active span, in its trace.
    expect(wait.parentSpanContext?.spanId).toBe(job.spanContext().spanId);
    expect(wait.spanContext().traceId).toBe(job.spanContext().traceId);
    const requests = env.emulator.requests().filter((r) => r.operation === 'GetBatchPrediction');
    expect(wait.attributes).toEqual({
      'aml_waiter.kind': 'BatchPrediction',
      'aml_waiter.id': 'bp-traced',
      'aml_waiter.timeout_ms': 604_800_000,
      'aml_waiter.outcome': 'completed',
      'aml_waiter.status': 'COMPLETED',
      'aml_waiter.attempts': requests.length,
      'aml_waiter.polls': events.filter((e) => e.type === 'poll').length,
    });
    expect(wait.status.code).toBe(SpanStatusCode.UNSET);

    // One event per retry (with the delay the wait slept) and per transition, in order.
    const retries = events.filter((e) => e.type === 'retry');
    expect(retries).toHaveLength(2);
    expect(eventsOf(wait).map(([name, attributes]) => [name, attributes?.['aml_waiter.to']])).toEqual([
      ['retry', undefined],
      ['retry', undefined],
      ['transition', 'PENDING'],
      ['transition', 'INPROGRESS'],
      ['transition', 'COMPLETED'],
    ]);
    expect(eventsOf(wait)).toEqual(
      events.flatMap((event): [string, Attributes][] =>
        event.type === 'retry'
          ? [
              [
                'retry',
                {
                  'error.type': 'ThrottlingException',
                  'aml_waiter.delay_ms': event.delayMs,
                  'aml_waiter.attempt': event.attempt,
                },
              ],
            ]
          : event.type === 'transition'
            ? [
                [
                  'transition',
                  {
                    ...(event.from === null ? {} : { 'aml_waiter.from': event.from }),
                    'aml_waiter.to': event.to,
                    'aml_waiter.attempt': event.attempt,
                    'aml_waiter.elapsed_ms': event.elapsedMs,
                  },
                ],
              ]
            : [],
      ),
    );
    expect(retries.map((event) => event.attempt)).toEqual([1, 2]);

    // Every request is a CLIENT span under the wait, with the AWS RPC attributes and the service's request id.
    const clientSpans = childrenOf(spans, wait);
    expect(clientSpans).toHaveLength(requests.length);
    // The job span, the wait span and the requests: nothing else.
    expect(spans).toHaveLength(requests.length + 2);
    clientSpans.forEach((span, index) => {
      const logged = requests[index];
      const throttled = index < 2;
      expect(span.name).toBe('MachineLearning.GetBatchPrediction');
      expect(span.kind).toBe(2); // SpanKind.CLIENT
      expect(span.attributes).toEqual({
        'rpc.system': 'aws-api',
        'rpc.service': 'MachineLearning',
        'rpc.method': 'GetBatchPrediction',
        'cloud.region': env.emulator.region,
        'server.address': '127.0.0.1',
        'server.port': Number(new URL(env.emulator.endpoint).port),
        'http.response.status_code': throttled ? 400 : 200,
        'aws.request_id': logged?.requestId,
        ...(throttled ? { 'error.type': 'ThrottlingException' } : {}),
      });
      expect(span.status).toEqual(
        throttled
          ? { code: SpanStatusCode.ERROR, message: 'ThrottlingException' }
          : { code: SpanStatusCode.UNSET },
      );
    });

    // Metrics: requests by operation and outcome, throttles, retries, the wait's duration, nothing in progress
    // — and no other (no per-request SDK record: a request's duration is its span's).
    expect(await otel.metricNames()).toEqual([
      'aml_waiter.client.requests',
      'aml_waiter.client.throttles',
      'aml_waiter.wait.active',
      'aml_waiter.wait.duration',
      'aml_waiter.wait.retries',
    ]);
    expect(await otel.metric('aml_waiter.client.requests')).toEqual(
      expect.arrayContaining([
        {
          attributes: { 'rpc.method': 'GetBatchPrediction', 'aml_waiter.outcome': 'success' },
          value: requests.length - 2,
        },
        {
          attributes: {
            'rpc.method': 'GetBatchPrediction',
            'aml_waiter.outcome': 'error',
            'error.type': 'ThrottlingException',
          },
          value: 2,
        },
      ]),
    );
    expect(await otel.metric('aml_waiter.client.throttles')).toEqual([
      { attributes: { 'rpc.method': 'GetBatchPrediction' }, value: 2 },
    ]);
    expect(await otel.metric('aml_waiter.wait.retries')).toEqual([
      { attributes: { 'aml_waiter.kind': 'BatchPrediction', 'error.type': 'ThrottlingException' }, value: 2 },
    ]);
    const completedAt = events.at(-1)?.elapsedMs ?? 0;
    expect(await otel.metric('aml_waiter.wait.duration')).toEqual([
      {
        attributes: { 'aml_waiter.kind': 'BatchPrediction', 'aml_waiter.outcome': 'completed' },
        value: { count: 1, sum: completedAt / 1000 },
      },
    ]);
    expect(await otel.metric('aml_waiter.wait.active')).toEqual([
      { attributes: { 'aml_waiter.kind': 'BatchPrediction' }, value: 0 },
    ]);
  });
});

describe('how a wait ends, as a span', () => {
  it('FAILED: status ERROR with the error code, the last status and the outcome', async () => {
    lifecycle(
      'bp-failing',
      { status: 'INPROGRESS', forMs: 3000 },
      { status: 'FAILED', message: 'Input S3 object not found' },
    );
    const error = await waitForBatchPrediction('bp-failing', traced()).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'RESOURCE_FAILED' });
    const wait = onlySpan(await otel.spans(), 'aml-waiter.wait');
    expect(wait.status).toEqual({ code: SpanStatusCode.ERROR, message: 'RESOURCE_FAILED' });
    expect(wait.attributes).toMatchObject({
      'aml_waiter.outcome': 'failed',
      'aml_waiter.status': 'FAILED',
      'error.type': 'RESOURCE_FAILED',
      'aml_waiter.attempts': (error as { attempts: number }).attempts,
    });
    expect(wait.parentSpanContext).toBeUndefined(); // no caller span: a root
    expect(await otel.metric('aml_waiter.wait.duration')).toEqual([
      {
        attributes: { 'aml_waiter.kind': 'BatchPrediction', 'aml_waiter.outcome': 'failed' },
        value: { count: 1, sum: (error as { elapsedMs: number }).elapsedMs / 1000 },
      },
    ]);
  });

  it('timed out: WAIT_TIMEOUT, with the timeout on the span', async () => {
    env.emulator.put('MLModel', { MLModelId: 'ml-slow', TrainingDataSourceId: 'ds-x' }, [
      { status: 'INPROGRESS' },
    ]);
    const error = await waitForMLModel('ml-slow', { ...traced(), timeoutMs: 10_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'WAIT_TIMEOUT' });
    const wait = onlySpan(await otel.spans(), 'aml-waiter.wait');
    expect(wait.status).toEqual({ code: SpanStatusCode.ERROR, message: 'WAIT_TIMEOUT' });
    expect(wait.attributes).toMatchObject({
      'aml_waiter.kind': 'MLModel',
      'aml_waiter.id': 'ml-slow',
      'aml_waiter.timeout_ms': 10_000,
      'aml_waiter.outcome': 'timeout',
      'aml_waiter.status': 'INPROGRESS',
      'error.type': 'WAIT_TIMEOUT',
    });
    const clientSpans = childrenOf(await otel.spans(), wait);
    expect(clientSpans.map((span) => span.name)).toEqual(
      Array.from({ length: (error as { attempts: number }).attempts }, () => 'MachineLearning.GetMLModel'),
    );
  });

  it('aborted mid-request: the wait span says ABORTED, the cancelled request span AbortError', async () => {
    lifecycle('bp-abort', { status: 'PENDING' });
    env.emulator.addFault({ kind: 'delay', operation: 'GetBatchPrediction', ms: 400, times: 1 });
    const controller = new AbortController();
    const waiting = waitForBatchPrediction('bp-abort', { ...traced(), signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 100)); // the request is in flight
    const reason = new DOMException('the job was cancelled', 'AbortError');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    await vi.waitFor(async () => {
      expect((await otel.spans()).length).toBe(2);
    });
    const spans = await otel.spans();
    const wait = onlySpan(spans, 'aml-waiter.wait');
    expect(wait.status).toEqual({ code: SpanStatusCode.ERROR, message: 'ABORTED' });
    expect(wait.attributes).toMatchObject({ 'aml_waiter.outcome': 'aborted', 'error.type': 'ABORTED' });
    const [request] = childrenOf(spans, wait);
    expect(request?.attributes['error.type']).toBe('AbortError');
    expect(request?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'AbortError' });
    expect(await otel.metric('aml_waiter.wait.active')).toEqual([
      { attributes: { 'aml_waiter.kind': 'BatchPrediction' }, value: 0 },
    ]);
  });

  it('a waiter cancelled, an Observable unsubscribed: outcomes aborted and unsubscribed', async () => {
    lifecycle('bp-left', { status: 'PENDING' });
    const waiter = createBatchPredictionWaiter('bp-left', traced());
    await new Promise((resolve) => waiter.once('poll', resolve));
    waiter.cancel();
    await waiter.result.catch(() => undefined);
    await lastValueFrom(watchBatchPrediction('bp-left', traced()).pipe(take(1)));
    const waits = (await otel.spans()).filter((span) => span.name === 'aml-waiter.wait');
    expect(waits.map((span) => [span.attributes['aml_waiter.outcome'], span.status.code])).toEqual([
      ['aborted', SpanStatusCode.ERROR],
      ['unsubscribed', SpanStatusCode.UNSET],
    ]);
  });
});

describe('shared requests and where telemetry is turned on', () => {
  it('a request two waits share is the child of the wait that sent it, with a link to the other', async () => {
    lifecycle('bp-shared', { status: 'COMPLETED' });
    env.emulator.addFault({ kind: 'delay', operation: 'GetBatchPrediction', ms: 100, times: 1 });
    const client = new AmazonMLClient({ ...env.config, telemetry: otel.providers });
    try {
      const options = { client, clock: env.clock };
      await Promise.all([
        waitForBatchPrediction('bp-shared', options),
        waitForBatchPrediction('bp-shared', options),
      ]);
    } finally {
      await client.close();
    }
    const spans = await otel.spans();
    const [first, second] = spans.filter((span) => span.name === 'aml-waiter.wait');
    const requests = spans.filter((span) => span.name === 'MachineLearning.GetBatchPrediction');
    expect(requests).toHaveLength(1);
    expect(env.emulator.requests().filter((r) => r.operation === 'GetBatchPrediction')).toHaveLength(1);
    const [request] = requests;
    expect(request?.parentSpanContext?.spanId).toBe(first?.spanContext().spanId);
    expect(request?.links).toEqual([
      {
        context: second?.spanContext(),
        attributes: { 'aml_waiter.shared': true },
      },
    ]);
    // Both waits carried on from the one response: one request counted.
    expect(await otel.metric('aml_waiter.client.requests')).toEqual([
      { attributes: { 'rpc.method': 'GetBatchPrediction', 'aml_waiter.outcome': 'success' }, value: 1 },
    ]);
  });

  it('a list pass several waits read through: its page is a span linked to each of them, under no wait', async () => {
    lifecycle('bp-listed-1', { status: 'COMPLETED' });
    lifecycle('bp-listed-2', { status: 'COMPLETED' });
    const client = new AmazonMLClient({ ...env.config, telemetry: otel.providers });
    try {
      const options = { client, clock: env.clock, polling: 'list' as const };
      await Promise.all([
        waitForBatchPrediction('bp-listed-1', options),
        waitForBatchPrediction('bp-listed-2', options),
      ]);
    } finally {
      await client.close();
    }
    const spans = await otel.spans();
    const waits = spans.filter((span) => span.name === 'aml-waiter.wait');
    expect(waits).toHaveLength(2);
    // The first pass starts when list polling does (a timed pass: a root); both waits read through it.
    const [page] = spans.filter((span) => span.name === 'MachineLearning.DescribeBatchPredictions');
    expect(page?.parentSpanContext).toBeUndefined();
    expect(page?.attributes).toMatchObject({
      'rpc.system': 'aws-api',
      'rpc.method': 'DescribeBatchPredictions',
      'http.response.status_code': 200,
    });
    expect(page?.links.map((link) => [link.context.spanId, link.attributes])).toEqual(
      waits.map((wait) => [wait.spanContext().spanId, { 'aml_waiter.shared': true }]),
    );
    // Both waits were answered by the pass: no Get.
    expect(spans.filter((span) => span.name === 'MachineLearning.GetBatchPrediction')).toEqual([]);
  });

  it('a list pass 130 waits read through: its page links to the first 128 (the SDK limit) and counts the other 2', async () => {
    const ids = Array.from({ length: 130 }, (_, index) => `bp-many-${index}`);
    for (const id of ids) lifecycle(id, { status: 'COMPLETED' });
    const client = new AmazonMLClient({ ...env.config, telemetry: otel.providers });
    try {
      const options = { client, clock: env.clock, polling: 'list' as const };
      await Promise.all(ids.map((id) => waitForBatchPrediction(id, options)));
    } finally {
      await client.close();
    }
    const spans = await otel.spans();
    const waitSpanIds = new Set(
      spans.filter((span) => span.name === 'aml-waiter.wait').map((span) => span.spanContext().spanId),
    );
    expect(waitSpanIds.size).toBe(130);
    const pages = spans.filter((span) => span.name === 'MachineLearning.DescribeBatchPredictions');
    expect(pages.length).toBeGreaterThan(0);
    // The pass's last page: every wait had joined by then.
    const last = pages.at(-1);
    expect(last?.links).toHaveLength(128);
    for (const link of last?.links ?? []) expect(waitSpanIds.has(link.context.spanId)).toBe(true);
    expect(new Set(last?.links.map((link) => link.context.spanId)).size).toBe(128);
    expect(last?.attributes['aml_waiter.links_dropped']).toBe(2);
    expect(last?.droppedLinksCount).toBe(0);
    // No page carries more than the limit.
    for (const page of pages) expect(page.links.length).toBeLessThanOrEqual(128);
    expect(spans.filter((span) => span.name === 'MachineLearning.GetBatchPrediction')).toEqual([]);
  });

  it('a call queued for a slot: its span starts when the call does, queueing included', async () => {
    lifecycle('bp-queued', { status: 'COMPLETED' });
    env.emulator.addFault({ kind: 'delay', operation: 'GetBatchPrediction', ms: 100, times: 1 });
    const client = new AmazonMLClient({ ...env.config, telemetry: otel.providers, maxConcurrentRequests: 1 });
    try {
      // Settings and credentials resolved first, so that the two calls below take the usual path.
      await client.describeBatchPredictions({ Limit: 1 });
      await Promise.all([client.getBatchPrediction('bp-queued'), client.getBatchPrediction('bp-queued')]);
    } finally {
      await client.close();
    }
    const [first, second] = (await otel.spans()).filter(
      (span) => span.name === 'MachineLearning.GetBatchPrediction',
    );
    const ms = ([seconds, nanos]: readonly [number, number]) => seconds * 1e3 + nanos / 1e6;
    // The second call waited for the first one's slot (100 ms): its span began before the first one ended,
    // and lasted the wait. (Two spans' times are only comparable to ~1 ms: the SDK maps each span's clock to
    // the epoch with its own offset.)
    expect(ms(second!.startTime)).toBeLessThan(ms(first!.endTime) - 50);
    expect(ms(second!.endTime) - ms(second!.startTime)).toBeGreaterThanOrEqual(90);
    expect(second?.attributes).toMatchObject({
      'rpc.method': 'GetBatchPrediction',
      'cloud.region': env.config.region,
      'http.response.status_code': 200,
    });
    expect(typeof second?.attributes['aws.request_id']).toBe('string');
  });

  it('two tracer providers with one meter provider: each request is counted once, in one series', async () => {
    lifecycle('bp-meters', { status: 'COMPLETED' });
    const otherTracers = new BasicTracerProvider();
    const clients = [
      new AmazonMLClient({ ...env.config, telemetry: otel.providers }),
      new AmazonMLClient({
        ...env.config,
        telemetry: { tracerProvider: otherTracers, meterProvider: otel.meterProvider },
      }),
    ];
    try {
      for (const client of clients) await client.getBatchPrediction('bp-meters');
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
    expect(await otel.metric('aml_waiter.client.requests')).toEqual([
      { attributes: { 'rpc.method': 'GetBatchPrediction', 'aml_waiter.outcome': 'success' }, value: 2 },
    ]);
  });

  it("a span processor that throws when a request's span starts: the call rejects with it, it does not throw", async () => {
    const broken = new BasicTracerProvider({
      spanProcessors: [
        {
          onStart: () => {
            throw new Error('span processor broke');
          },
          onEnd: () => undefined,
          forceFlush: () => Promise.resolve(),
          shutdown: () => Promise.resolve(),
        },
      ],
    });
    const client = new AmazonMLClient({
      ...env.config,
      telemetry: { tracerProvider: broken, meterProvider: otel.meterProvider },
    });
    try {
      // The first call loads the API; the second starts its span synchronously.
      for (let call = 0; call < 2; call++) {
        let pending: Promise<unknown> | undefined;
        expect(() => {
          pending = client.getBatchPrediction('bp-broken');
        }).not.toThrow();
        await expect(pending).rejects.toThrow('span processor broke');
      }
    } finally {
      await client.close();
    }
  });

  it('on the client alone: every call is a span and counted; its waits report too unless told telemetry: false', async () => {
    lifecycle('bp-client', { status: 'COMPLETED' });
    const client = new AmazonMLClient({ ...env.config, telemetry: otel.providers });
    try {
      await client.getBatchPrediction('bp-client');
      await client.describeBatchPredictions({ Limit: 5 });
      await waitForBatchPrediction('bp-client', { client, clock: env.clock });
      await waitForBatchPrediction('bp-client', { client, clock: env.clock, telemetry: false });
    } finally {
      await client.close();
    }
    const spans = await otel.spans();
    expect(spans.map((span) => span.name)).toEqual([
      'MachineLearning.GetBatchPrediction',
      'MachineLearning.DescribeBatchPredictions',
      'MachineLearning.GetBatchPrediction',
      'aml-waiter.wait',
      'MachineLearning.GetBatchPrediction',
    ]);
    expect(spans[4]?.parentSpanContext).toBeUndefined();
  });

  it('a bad telemetry option is a TypeError naming the field and the value, before any request', () => {
    expect(() => new AmazonMLClient({ ...env.config, telemetry: 'yes' as never })).toThrow(
      'Expected `telemetry` to be a boolean or { tracerProvider, meterProvider }, got "yes".',
    );
    expect(() =>
      watchBatchPrediction('bp-x', { client: env.client, telemetry: { tracerProvider: {} as never } }),
    ).toThrow(
      'Expected `telemetry.tracerProvider` to be an OpenTelemetry TracerProvider (with getTracer()), got an object.',
    );
    expect(env.emulator.requests()).toHaveLength(0);
  });
});
