import { loadOpenTelemetryApi, openTelemetryApi } from '../client/openTelemetryApi.js';
import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';
import { openReader } from './openReader.js';
import type { ResolvedWaitOptions } from './resolveWaitOptions.js';
import { eventChannelsHaveSubscribers, publishWaitEvent } from './waitChannels.js';
import { WaitSession, type EmitEvent } from './WaitSession.js';
import { WaitTrace } from './WaitTrace.js';

/**
 * @internal One wait, behind every face (`waitFor`, `Waiter`, and the Observable of `watch`): opens the
 * wait's reader, runs its {@link WaitSession} loop, tells the outside (diagnostics channels, OpenTelemetry)
 * when someone listens, and closes the reader however the wait ends. An aborted `signal` rejects with its
 * reason: before anything is opened or sent when it already is, and over any outcome once it is.
 */
export async function runWait<K extends ResourceKind>(
  options: ResolvedWaitOptions<K>,
  emit: EmitEvent<K>,
  signal: AbortSignal | undefined,
): Promise<ResourceByKind[K]> {
  if (isAborted(signal)) throw signal?.reason;
  if (options.telemetry !== undefined && openTelemetryApi() === undefined) {
    // Telemetry's first use: load @opentelemetry/api (the caller's context travels with the await).
    await loadOpenTelemetryApi();
    if (isAborted(signal)) throw signal?.reason;
  }
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
  const reader = openReader(options);
  // An abort lets go of the reader at once (a shared request no other wait joins is cancelled, and a wait
  // started right after on the same id does not inherit this one's state); the loop ends a moment later.
  const close = (): void => {
    reader.close();
  };
  signal?.addEventListener('abort', close, { once: true });
  const session = new WaitSession(options, reader, send, trace);
  try {
    const resource = await (trace === undefined
      ? session.run(signal)
      : trace.begin(() => session.run(signal)));
    // An abort wins over an outcome reached in the same turn (a listener may abort while it is emitted).
    if (isAborted(signal)) throw signal?.reason;
    trace?.end(session);
    return resource;
  } catch (error) {
    const outcome: unknown = isAborted(signal) ? signal?.reason : error;
    trace?.end(session, outcome);
    throw outcome;
  } finally {
    signal?.removeEventListener('abort', close);
    reader.close();
  }
}

/** A function, not an inline check (which TypeScript would narrow): the signal may abort while the loop awaits. */
function isAborted(signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true;
}
