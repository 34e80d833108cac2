/** Which of the application's providers aml-waiter is given (`full`: both; the others are diagnostics). */
export type TelemetryPart = 'full' | 'spans' | 'metrics' | 'unsampled';

/**
 * The OpenTelemetry SDK as an application sets it up, for the benchmarks' contenders that trace: an
 * AsyncLocalStorage context manager, a tracer provider with a batch span processor into an in-memory exporter
 * (emptied every second, as an exporter that ships its batches would be), and a meter provider with a reader.
 * Returns the `telemetry` option for aml-waiter — both providers (`full`), only the tracer provider (`spans`),
 * only the meter provider (`metrics`), or a tracer provider whose sampler records nothing (`unsampled`) — and
 * how the application runs its code: in a span of its own (an application that traces runs its jobs under its
 * spans, which turns the context manager's async hooks on, on Node 20 for every promise, timer and socket
 * write — with aml-waiter's telemetry off as well as on).
 */
export async function openTelemetrySdk(part: TelemetryPart = 'full'): Promise<{
  readonly telemetry: object;
  readonly inApplicationSpan: <T>(fn: () => T) => T;
}> {
  const { context } = await import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const { AlwaysOffSampler, BasicTracerProvider, BatchSpanProcessor, InMemorySpanExporter } =
    await import('@opentelemetry/sdk-trace-base');
  const { MeterProvider, MetricReader } = await import('@opentelemetry/sdk-metrics');
  class CollectingReader extends MetricReader {
    protected onForceFlush(): Promise<void> {
      return Promise.resolve();
    }
    protected onShutdown(): Promise<void> {
      return Promise.resolve();
    }
  }
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const exporter = new InMemorySpanExporter();
  setInterval(() => {
    exporter.reset();
  }, 1000).unref();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  const tracer = tracerProvider.getTracer('application');
  const meterProvider = new MeterProvider({ readers: [new CollectingReader()] });
  const telemetry =
    part === 'spans'
      ? { tracerProvider }
      : part === 'metrics'
        ? { meterProvider }
        : part === 'unsampled'
          ? { tracerProvider: new BasicTracerProvider({ sampler: new AlwaysOffSampler() }), meterProvider }
          : { tracerProvider, meterProvider };
  return {
    telemetry,
    inApplicationSpan: (fn) =>
      tracer.startActiveSpan('application job', (span) => {
        try {
          return fn();
        } finally {
          span.end();
        }
      }),
  };
}
