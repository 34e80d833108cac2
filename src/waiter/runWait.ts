import { loadOpenTelemetryApi, openTelemetryApi } from '../client/openTelemetryApi.js';
import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';
import { openReader } from './openReader.js';
import type { ResolvedWaitOptions } from './resolveWaitOptions.js';
import { eventChannelsHaveSubscribers, publishWaitEvent } from './waitChannels.js';
import { WaitSession, type EmitEvent } from './WaitSession.js';
import { WaitTrace } from './WaitTrace.js';

/**
 * @internal One wait, behind every face (`waitFor`, `Waiter`, and the Observable of `watch`): opens the
 * wait's reader and runs its {@link WaitSession} (which closes the reader however the wait ends), telling
 * the outside (diagnostics channels, OpenTelemetry) when someone listens. An aborted `signal` rejects with
 * its reason: before anything is opened or sent when it already is, and over any outcome once it is.
 */
export function runWait<K extends ResourceKind>(
  options: ResolvedWaitOptions<K>,
  emit: EmitEvent<K>,
  signal: AbortSignal | undefined,
): Promise<ResourceByKind[K]> {
  // Telemetry's first use: load @opentelemetry/api first (the caller's context travels with `then`).
  if (options.telemetry !== undefined && openTelemetryApi() === undefined)
    return loadOpenTelemetryApi().then(() => start(options, emit, signal));
  return start(options, emit, signal);
}

/** The wait itself, once whatever it needs is loaded: nothing is opened for an aborted signal. */
function start<K extends ResourceKind>(
  options: ResolvedWaitOptions<K>,
  emit: EmitEvent<K>,
  signal: AbortSignal | undefined,
): Promise<ResourceByKind[K]> {
  if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
  // Undefined (nothing allocated) unless telemetry is on or someone subscribes to the wait channel.
  const trace = WaitTrace.start(options);
  // Events are built only for a listener or a channel subscriber; the trace hears of transitions and
  // retries without them.
  const send: EmitEvent<K> = !eventChannelsHaveSubscribers()
    ? emit
    : (event) => {
        publishWaitEvent(event);
        emit?.(event);
      };
  const session = new WaitSession(options, openReader(options), send, trace);
  return trace === undefined ? session.run(signal) : trace.begin(() => session.run(signal));
}
