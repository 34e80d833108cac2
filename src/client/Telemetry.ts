import type { Histogram, Meter, Tracer } from '@opentelemetry/api';
import type { OpenTelemetryApi } from './openTelemetryApi.js';
import { TalliedCounter } from './TalliedCounter.js';
import type { TelemetrySettings } from './TelemetryOption.js';

/** The instrumentation scope of every span and metric aml-waiter reports. */
const INSTRUMENTATION_NAME = 'aml-waiter';

/** The names of aml-waiter's metrics (documented in docs/observability.md). */
export const METRIC_NAMES = Object.freeze({
  requests: 'aml_waiter.client.requests',
  throttles: 'aml_waiter.client.throttles',
  retries: 'aml_waiter.wait.retries',
  waitDuration: 'aml_waiter.wait.duration',
  waitsActive: 'aml_waiter.wait.active',
});

/** @internal The metric instruments of one meter provider, whatever tracer provider goes with it. */
export interface Instruments {
  readonly requests: TalliedCounter;
  readonly throttles: TalliedCounter;
  readonly retries: TalliedCounter;
  readonly waitDuration: Histogram;
  readonly waitsActive: TalliedCounter;
}

/**
 * The instruments of `meter`. The counters are tallied by aml-waiter and read by the SDK at collection
 * (observable instruments), so a request makes no metric record through the SDK; its duration is its span's
 * (why there is no request-duration histogram: docs/observability.md).
 */
function createInstruments(meter: Meter): Instruments {
  const tallied = (
    create: 'createObservableCounter' | 'createObservableUpDownCounter',
    name: string,
    description: string,
    unit: string,
  ): TalliedCounter => {
    const counter = new TalliedCounter();
    meter[create](name, { description, unit }).addCallback(counter.report);
    return counter;
  };
  return {
    requests: tallied(
      'createObservableCounter',
      METRIC_NAMES.requests,
      'Amazon ML requests sent, by operation and outcome.',
      '{request}',
    ),
    throttles: tallied(
      'createObservableCounter',
      METRIC_NAMES.throttles,
      'Amazon ML requests answered with a throttling error.',
      '{request}',
    ),
    retries: tallied(
      'createObservableCounter',
      METRIC_NAMES.retries,
      'Polls retried after a transient failure (or a not-yet-visible resource).',
      '{retry}',
    ),
    waitDuration: meter.createHistogram(METRIC_NAMES.waitDuration, {
      description: 'Duration of waits, by resource kind and outcome.',
      unit: 's',
    }),
    waitsActive: tallied(
      'createObservableUpDownCounter',
      METRIC_NAMES.waitsActive,
      'Waits in progress, by resource kind.',
      '{wait}',
    ),
  };
}

/** By meter provider: its instruments, and the telemetry built for each tracer provider used with it. */
const built = new WeakMap<object, { instruments: Instruments; byTracer: WeakMap<object, Telemetry> }>();

/**
 * @internal The tracer and the metric instruments of one pair of providers, built once the API is loaded
 * and shared by every client and wait that reports to them.
 */
export class Telemetry {
  readonly api: OpenTelemetryApi;
  readonly tracer: Tracer;
  /** The metric instruments (those of the meter provider, shared with its other tracer providers). */
  readonly metrics: Instruments;

  private constructor(api: OpenTelemetryApi, tracer: Tracer, metrics: Instruments) {
    this.api = api;
    this.tracer = tracer;
    this.metrics = metrics;
  }

  /** The telemetry for `settings` (the given providers, else the global ones now), built once per pair. */
  static of(api: OpenTelemetryApi, settings: TelemetrySettings): Telemetry {
    const meterProvider = (settings.meterProvider ?? api.metrics.getMeterProvider()) as {
      getMeter(name: string): Meter;
    };
    const tracerProvider = (settings.tracerProvider ?? api.trace.getTracerProvider()) as {
      getTracer(name: string): Tracer;
    };
    let metrics = built.get(meterProvider);
    if (metrics === undefined) {
      metrics = {
        instruments: createInstruments(meterProvider.getMeter(INSTRUMENTATION_NAME)),
        byTracer: new WeakMap(),
      };
      built.set(meterProvider, metrics);
    }
    let telemetry = metrics.byTracer.get(tracerProvider);
    if (telemetry === undefined) {
      telemetry = new Telemetry(api, tracerProvider.getTracer(INSTRUMENTATION_NAME), metrics.instruments);
      metrics.byTracer.set(tracerProvider, telemetry);
    }
    return telemetry;
  }
}
