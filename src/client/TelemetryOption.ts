import { describeValue } from '../model/describeValue.js';

/**
 * The OpenTelemetry providers to report to, when not the global ones. Typed by shape (what aml-waiter
 * calls), so that these types do not need `@opentelemetry/api`: pass a `TracerProvider` / `MeterProvider`
 * of the OpenTelemetry SDK (or anything that implements the API's interfaces).
 */
export interface TelemetryProviders {
  /** Where spans go. @default the global tracer provider (`trace.getTracerProvider()`) */
  readonly tracerProvider?: { getTracer(name: string, version?: string): unknown } | undefined;
  /** Where metrics go. @default the global meter provider (`metrics.getMeterProvider()`) */
  readonly meterProvider?: { getMeter(name: string, version?: string): unknown } | undefined;
}

/**
 * Turns OpenTelemetry on (spans and metrics, see docs/observability.md): `true` for the global providers,
 * or the providers to use. Off by default; while off, `@opentelemetry/api` is not even loaded.
 */
export type TelemetryOption = boolean | TelemetryProviders;

/** @internal A validated, turned-on {@link TelemetryOption}. */
export interface TelemetrySettings {
  readonly tracerProvider: TelemetryProviders['tracerProvider'];
  readonly meterProvider: TelemetryProviders['meterProvider'];
}

/** One frozen settings object for `telemetry: true`, so that everything built from it can be shared. */
const GLOBAL_PROVIDERS: TelemetrySettings = Object.freeze({
  tracerProvider: undefined,
  meterProvider: undefined,
});

/**
 * @internal Validates a `telemetry` option (`name` is how the error names it): `undefined` or `false` → off
 * (`undefined`), `true` → the global providers, an object → its providers. Throws a `TypeError` naming the
 * field and the bad value.
 */
export function resolveTelemetryOption(value: unknown, name = 'telemetry'): TelemetrySettings | undefined {
  if (value === undefined || value === false) return undefined;
  if (value === true) return GLOBAL_PROVIDERS;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(
      `Expected \`${name}\` to be a boolean or { tracerProvider, meterProvider }, got ${describeValue(value)}.`,
    );
  }
  const { tracerProvider, meterProvider } = value as Record<string, unknown>;
  for (const [field, provider, method] of [
    ['tracerProvider', tracerProvider, 'getTracer'],
    ['meterProvider', meterProvider, 'getMeter'],
  ] as const) {
    if (
      provider !== undefined &&
      (typeof provider !== 'object' ||
        provider === null ||
        typeof (provider as Record<string, unknown>)[method] !== 'function')
    ) {
      throw new TypeError(
        `Expected \`${name}.${field}\` to be an OpenTelemetry ${field === 'tracerProvider' ? 'TracerProvider' : 'MeterProvider'} (with ${method}()), got ${describeValue(provider)}.`,
      );
    }
  }
  if (tracerProvider === undefined && meterProvider === undefined) return GLOBAL_PROVIDERS;
  return Object.freeze({
    tracerProvider: tracerProvider as TelemetrySettings['tracerProvider'],
    meterProvider: meterProvider as TelemetrySettings['meterProvider'],
  });
}

/** `AML_WAITER_TELEMETRY=1` (or `true`) in `env`: how `aml-wait` and the fleet worker are told to report. */
export function telemetryFromEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  const value = env.AML_WAITER_TELEMETRY?.trim().toLowerCase();
  return value === '1' || value === 'true';
}

const clientTelemetry = new WeakMap<object, TelemetrySettings>();

/** @internal Remembers that `client` reports with `settings` (so that waits on it report too). */
export function setClientTelemetry(client: object, settings: TelemetrySettings | undefined): void {
  if (settings !== undefined) clientTelemetry.set(client, settings);
}

/** @internal The telemetry `client` was made with, if any. */
export function clientTelemetryOf(client: object): TelemetrySettings | undefined {
  return clientTelemetry.get(client);
}
