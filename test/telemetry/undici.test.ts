import { context, trace } from '@opentelemetry/api';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitForBatchPrediction } from '../../src/waiter/batchPrediction.js';
import { useEmulator } from '../helpers/emulatorFixture.js';
import { childrenOf, onlySpan, useOpenTelemetry } from './helpers/openTelemetryKit.js';

const env = useEmulator();
const otel = useOpenTelemetry();
const instrumentation = new UndiciInstrumentation();

beforeAll(() => {
  instrumentation.setTracerProvider(otel.tracerProvider);
  instrumentation.enable();
});
afterAll(() => {
  instrumentation.disable();
});

describe("with undici's own OpenTelemetry instrumentation (0.33) active too", () => {
  it('its HTTP span nests under our request span, which nests under the wait', async () => {
    env.emulator.put(
      'BatchPrediction',
      { BatchPredictionId: 'bp-undici', MLModelId: 'ml-x', BatchPredictionDataSourceId: 'ds-x' },
      [{ status: 'INPROGRESS', forMs: 2000 }, { status: 'COMPLETED' }],
    );
    const root = otel.tracerProvider.getTracer('test').startSpan('caller');
    await context.with(trace.setSpan(context.active(), root), () =>
      waitForBatchPrediction('bp-undici', {
        client: env.config,
        clock: env.clock,
        telemetry: otel.providers,
      }),
    );
    root.end();
    const spans = await otel.spans();
    const wait = onlySpan(spans, 'aml-waiter.wait');
    const requests = childrenOf(spans, wait);
    expect(requests.map((span) => span.name)).toEqual([
      'MachineLearning.GetBatchPrediction',
      'MachineLearning.GetBatchPrediction',
    ]);
    for (const request of requests) {
      const http = childrenOf(spans, request);
      expect(http.map((span) => span.name)).toEqual(['POST']);
      expect(http[0]?.attributes['http.response.status_code']).toBe(200);
      expect(http[0]?.spanContext().traceId).toBe(root.spanContext().traceId);
    }
    // Nothing else: the caller, the wait, two requests and their two HTTP spans.
    expect(spans).toHaveLength(6);
  });
});
