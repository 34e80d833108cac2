/**
 * `npm run example -- opentelemetry`: a wait you can see in traces and metrics.
 *
 * Sets up the OpenTelemetry SDK the way an application does (here with console exporters), then runs a
 * nightly pipeline step that awaits a batch prediction with `telemetry: true`. The emulator throttles the first
 * poll, so the trace shows a retry too. What it prints:
 *
 * - the spans, as the console exporter writes them: `MachineLearning.GetBatchPrediction` (one CLIENT span per
 *   request, with `rpc.method`, `aws.request_id`, `http.response.status_code`…), then `aml-waiter.wait` (with a
 *   `retry` event and a `transition` event per status change), then the pipeline's own span, their parent;
 * - the metrics: `aml_waiter.client.requests`, `aml_waiter.client.throttles`, `aml_waiter.wait.retries`,
 *   `aml_waiter.wait.duration`, `aml_waiter.wait.active`.
 *
 * To send them to an OTLP collector (Jaeger, Grafana Tempo, Honeycomb, the OpenTelemetry Collector…) instead,
 * swap the console exporters for the OTLP ones (versions 0.223.x run on Node 20):
 *
 *   npm install @opentelemetry/exporter-trace-otlp-http@0.223 @opentelemetry/exporter-metrics-otlp-http@0.223
 *
 *   import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
 *   import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
 *   new BatchSpanProcessor(new OTLPTraceExporter())             // http://localhost:4318/v1/traces by default
 *   new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() })
 *
 * (or `OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4318`). See docs/observability.md.
 */
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  ConsoleMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, ConsoleSpanExporter } from '@opentelemetry/sdk-trace-base';
import { AmazonMLClient, waitForBatchPrediction } from '../src/index.js';
import { startEmulator } from '../src/emulator/index.js';

// 1. The SDK, registered globally (what NodeSDK / NodeTracerProvider.register() do for you).
const tracerProvider = new BasicTracerProvider({
  spanProcessors: [new BatchSpanProcessor(new ConsoleSpanExporter())],
});
const meterProvider = new MeterProvider({
  readers: [
    new PeriodicExportingMetricReader({
      exporter: new ConsoleMetricExporter(),
      exportIntervalMillis: 60_000,
    }),
  ],
});
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
trace.setGlobalTracerProvider(tracerProvider);
metrics.setGlobalMeterProvider(meterProvider);

// 2. A batch prediction on the embedded emulator; its first poll is throttled.
// (`speed: 4`: its simulated job runs four times faster than by default, so the example takes seconds.)
const emulator = await startEmulator({ port: 0, autoCreateReferences: true, speed: 4 });
emulator.addFault({ kind: 'throttle', operation: 'GetBatchPrediction', times: 1 });
const client = new AmazonMLClient({
  endpoint: emulator.endpoint,
  region: emulator.region,
  credentials: emulator.credentials,
  telemetry: true, // every request of this client is a span; waits on it report too
});

try {
  const { BatchPredictionId } = await client.createBatchPrediction({
    BatchPredictionId: 'bp-traced-1',
    MLModelId: 'ml-churn',
    BatchPredictionDataSourceId: 'ds-customers',
    OutputUri: 's3://analytics/predictions/2026-12-05/',
  });

  // 3. The pipeline's own span: the wait becomes its child, and the requests the wait's children.
  const tracer = trace.getTracer('nightly-pipeline');
  await tracer.startActiveSpan('score customers', async (step) => {
    try {
      const done = await waitForBatchPrediction(BatchPredictionId, { client, minDelayMs: 500 });
      console.log(`completed: ${done.TotalRecordCount} records in ${done.OutputUri}`);
    } finally {
      step.end();
    }
  });
} finally {
  await client.close();
  await emulator.close();
  // 4. Flush before exit: the batch processor and the metric reader would otherwise lose the last data.
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
}
