import { openTelemetryApi } from '../client/openTelemetryApi.js';

/**
 * Before `aml-wait` exits: if telemetry loaded OpenTelemetry, flushes the global tracer and meter
 * providers (a batch span processor would otherwise lose the last spans with the process). Does nothing —
 * and loads nothing — when telemetry is off; never throws.
 */
export async function flushTelemetry(): Promise<void> {
  const api = openTelemetryApi();
  if (api === undefined) return;
  const tracerProvider = api.trace.getTracerProvider() as { getDelegate?: () => unknown };
  const providers = [tracerProvider.getDelegate?.() ?? tracerProvider, api.metrics.getMeterProvider()];
  await Promise.all(
    providers.map(async (provider) => {
      try {
        await (provider as { forceFlush?: () => Promise<void> }).forceFlush?.();
      } catch {
        // An exporter that cannot reach its collector must not change the exit code.
      }
    }),
  );
}
