import type * as OpenTelemetryApiModule from '@opentelemetry/api';
import { importOptionalPeer } from './importOptionalPeer.js';

/** @internal The `@opentelemetry/api` module's namespace (a type only: nothing of OpenTelemetry is imported here). */
export type OpenTelemetryApi = typeof OpenTelemetryApiModule;

/** The message when telemetry is turned on but the optional peer dependency is missing. */
export const MISSING_OPENTELEMETRY_MESSAGE =
  'aml-waiter telemetry needs the optional peer dependency @opentelemetry/api: npm install @opentelemetry/api';

let loaded: OpenTelemetryApi | undefined;
let loading: Promise<OpenTelemetryApi> | undefined;

/**
 * @internal Loads `@opentelemetry/api` on first use — only when telemetry is turned on, so that with it off
 * nothing of OpenTelemetry is loaded. Rejects with a clear message when the package is not installed.
 */
export function loadOpenTelemetryApi(): Promise<OpenTelemetryApi> {
  if (loaded !== undefined) return Promise.resolve(loaded);
  loading ??= importOptionalPeer(() => import('@opentelemetry/api'), MISSING_OPENTELEMETRY_MESSAGE).then(
    (api) => (loaded = api),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}

/** @internal The API once {@link loadOpenTelemetryApi} has loaded it; `undefined` before (and with telemetry off). */
export function openTelemetryApi(): OpenTelemetryApi | undefined {
  return loaded;
}
