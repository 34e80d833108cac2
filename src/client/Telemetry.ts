import type { Counter, Histogram, Meter, Tracer, UpDownCounter } from '@opentelemetry/api';
import type { OpenTelemetryApi } from './openTelemetryApi.js';
import type { TelemetrySettings } from './TelemetryOption.js';

/** The instrumentation scope of every span and metric aml-waiter reports. */
const INSTRUMENTATION_NAME = 'aml-waiter';

/** The names of aml-waiter's metrics (documented in docs/observability.md). */
export const METRIC_NAMES = Object.freeze({
  requests: 'aml_waiter.client.requests',
  requestDuration: 'aml_waiter.client.request.duration',
  throttles: 'aml_waiter.client.throttles',
  retries: 'aml_waiter.wait.retries',
  waitDuration: 'aml_waiter.wait.duration',
  waitsActive: 'aml_waiter.wait.active',
});

/** Telemetry by meter provider, then tracer provider: built once per pair, whatever options object named them. */
const built = new WeakMap<object, WeakMap<object, Telemetry>>();

/**
 * @internal The tracer and the metric instruments of one pair of providers, built once the API is loaded
 * and shared by every client and wait that reports to them.
 */
export class Telemetry {
  readonly api: OpenTelemetryApi;
  readonly tracer: Tracer;
  readonly requests: Counter;
  readonly requestDuration: Histogram;
  readonly throttles: Counter;
  readonly retries: Counter;
  readonly waitDuration: Histogram;
  readonly waitsActive: UpDownCounter;

  private constructor(api: OpenTelemetryApi, tracer: Tracer, meter: Meter) {
    this.api = api;
    this.tracer = tracer;
    this.requests = meter.createCounter(METRIC_NAMES.requests, {
      description: 'Amazon ML requests sent, by operation and outcome.',
      unit: '{request}',
    });
    this.requestDuration = meter.createHistogram(METRIC_NAMES.requestDuration, {
      description:
        'Duration of Amazon ML requests, from the call (queueing included) to the parsed response.',
      unit: 's',
    });
    this.throttles = meter.createCounter(METRIC_NAMES.throttles, {
      description: 'Amazon ML requests answered with a throttling error.',
      unit: '{request}',
    });
    this.retries = meter.createCounter(METRIC_NAMES.retries, {
      description: 'Polls retried after a transient failure (or a not-yet-visible resource).',
      unit: '{retry}',
    });
    this.waitDuration = meter.createHistogram(METRIC_NAMES.waitDuration, {
      description: 'Duration of waits, by resource kind and outcome.',
      unit: 's',
    });
    this.waitsActive = meter.createUpDownCounter(METRIC_NAMES.waitsActive, {
      description: 'Waits in progress, by resource kind.',
      unit: '{wait}',
    });
  }

  /** The telemetry for `settings` (the given providers, else the global ones now), built once per pair. */
  static of(api: OpenTelemetryApi, settings: TelemetrySettings): Telemetry {
    const meterProvider = (settings.meterProvider ?? api.metrics.getMeterProvider()) as {
      getMeter(name: string): Meter;
    };
    const tracerProvider = (settings.tracerProvider ?? api.trace.getTracerProvider()) as {
      getTracer(name: string): Tracer;
    };
    let byTracer = built.get(meterProvider);
    if (byTracer === undefined) built.set(meterProvider, (byTracer = new WeakMap()));
    let telemetry = byTracer.get(tracerProvider);
    if (telemetry === undefined) {
      telemetry = new Telemetry(
        api,
        tracerProvider.getTracer(INSTRUMENTATION_NAME),
        meterProvider.getMeter(INSTRUMENTATION_NAME),
      );
      byTracer.set(tracerProvider, telemetry);
    }
    return telemetry;
  }
}
