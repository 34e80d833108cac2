import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import { lastValueFrom, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { watchBatchPrediction } from '../../src/waiter/batchPrediction.js';
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
      events.flatMap((event) =>
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

    // Metrics: requests by operation and outcome, throttles, retries, the wait's duration, nothing in progress.
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
