import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { loadOpenTelemetryApi } from '../../../src/client/openTelemetryApi.js';
import { CollectingReader } from '../../telemetry/helpers/openTelemetryKit.js';
import type { SecretScanner } from './secretScan.js';

/**
 * The real OpenTelemetry SDK behind a scenario's `telemetry` option, so that the secret scan also reads what
 * aml-waiter reports: every span's name, attributes, status, events (with their attributes) and links, and
 * every metric's data-point labels.
 */
export class TelemetryCapture {
  readonly #exporter = new InMemorySpanExporter();
  readonly #reader = new CollectingReader();
  readonly providers = {
    tracerProvider: new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(this.#exporter)] }),
    meterProvider: new MeterProvider({ readers: [this.#reader] }),
  };
  /** Spans and data points handed to the scanner so far. */
  spans = 0;
  points = 0;

  /** Loads the API before the first scenario, so that no wait starts late while it loads. */
  static async create(): Promise<TelemetryCapture> {
    await loadOpenTelemetryApi();
    return new TelemetryCapture();
  }

  /** Adds every span ended since the last call to `scanner`. */
  scanSpansInto(scanner: SecretScanner, where: string): void {
    for (const span of this.#exporter.getFinishedSpans()) {
      this.spans++;
      scanner.addValue(`${where} span ${span.name}`, {
        name: span.name,
        attributes: span.attributes,
        status: span.status,
        events: span.events.map((event) => ({ name: event.name, attributes: event.attributes })),
        links: span.links.map((link) => ({ context: link.context, attributes: link.attributes })),
      });
    }
    this.#exporter.reset();
  }

  /** Adds the label sets of every metric (cumulative: each one seen so far, once) to `scanner`. */
  async scanMetricsInto(scanner: SecretScanner, where: string): Promise<void> {
    const { resourceMetrics } = await this.#reader.collect();
    for (const metric of resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics)) {
      for (const point of metric.dataPoints) {
        this.points++;
        scanner.addValue(`${where} metric ${metric.descriptor.name}`, point.attributes);
      }
    }
  }
}
