import { context, propagation, type Attributes } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** A metric reader the test collects from when it wants (no timer). */
export class CollectingReader extends MetricReader {
  protected onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** One data point of a metric, simplified: its attributes and its value (a histogram gives count and sum). */
export interface Point {
  readonly attributes: Attributes;
  readonly value: number | { readonly count: number; readonly sum: number | undefined };
}

/**
 * The real OpenTelemetry SDK, as an application sets it up: an AsyncLocalStorage context manager and the W3C
 * propagator (global, as NodeSDK registers them), and a tracer provider (in-memory exporter) and meter provider
 * (collecting reader) handed to aml-waiter's `telemetry` option. Spans and metrics are reset after each test.
 */
export function useOpenTelemetry(options: { batch?: boolean } = {}) {
  const exporter = new InMemorySpanExporter();
  const processor = options.batch ? new BatchSpanProcessor(exporter) : new SimpleSpanProcessor(exporter);
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [processor] });
  let reader = new CollectingReader();
  let meterProvider = new MeterProvider({ readers: [reader] });
  const contextManager = new AsyncLocalStorageContextManager();
  const kit = {
    tracerProvider,
    get meterProvider() {
      return meterProvider;
    },
    /** The `telemetry` option that reports to this kit. */
    get providers() {
      return { tracerProvider, meterProvider };
    },
    exporter,
    /** The spans ended so far. */
    async spans(): Promise<ReadableSpan[]> {
      await tracerProvider.forceFlush();
      return exporter.getFinishedSpans();
    },
    /** The names of the metrics that have data points now. */
    async metricNames(): Promise<string[]> {
      const { resourceMetrics } = await reader.collect();
      return resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .filter((metric) => metric.dataPoints.length > 0)
        .map((metric) => metric.descriptor.name)
        .sort();
    },
    /** Every data point of metric `name`. */
    async metric(name: string): Promise<Point[]> {
      const { resourceMetrics } = await reader.collect();
      const found: MetricData | undefined = resourceMetrics.scopeMetrics
        .flatMap((scope) => scope.metrics)
        .find((metric) => metric.descriptor.name === name);
      return (found?.dataPoints ?? []).map((point: DataPoint<unknown>) => ({
        attributes: point.attributes,
        value:
          typeof point.value === 'number'
            ? point.value
            : { count: (point.value as Histogram).count, sum: (point.value as Histogram).sum },
      }));
    },
  };
  beforeAll(() => {
    context.setGlobalContextManager(contextManager.enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterEach(async () => {
    await tracerProvider.forceFlush();
    exporter.reset();
    await meterProvider.shutdown();
    reader = new CollectingReader();
    meterProvider = new MeterProvider({ readers: [reader] });
  });
  afterAll(async () => {
    await tracerProvider.shutdown();
    context.disable();
    propagation.disable();
  });
  return kit;
}

/** The children of `parent` among `spans`, in start order. */
export function childrenOf(spans: readonly ReadableSpan[], parent: ReadableSpan): ReadableSpan[] {
  return spans
    .filter((span) => span.parentSpanContext?.spanId === parent.spanContext().spanId)
    .sort((a, b) => hrMs(a.startTime) - hrMs(b.startTime));
}

function hrMs([seconds, nanos]: readonly [number, number]): number {
  return seconds * 1000 + nanos / 1e6;
}

/** The one span named `name` (fails when there are none or several). */
export function onlySpan(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((span) => span.name === name);
  if (found.length !== 1) throw new Error(`expected one span ${name}, got ${found.length}`);
  return found[0] as ReadableSpan;
}

/** A span's events as `[name, attributes]`. */
export function eventsOf(span: ReadableSpan): [string, Attributes | undefined][] {
  return span.events.map((event) => [event.name, event.attributes]);
}
