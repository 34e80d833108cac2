import { loadOpenTelemetryApi } from '../client/openTelemetryApi.js';
import { Telemetry } from '../client/Telemetry.js';
import type { TelemetrySettings } from '../client/TelemetryOption.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import { WAIT_SPAN_NAME, waitErrorType, waitOutcome } from '../waiter/WaitTrace.js';

/** A W3C trace context as a job carries it (`traceparent`, `tracestate`). */
type Carrier = Readonly<Record<string, string>>;

/**
 * @internal The producer's side of a fleet wait as OpenTelemetry sees it (the workers' side is
 * `PollTrace`). With `settings` (telemetry on), runs `fn` — an await of a fleet wait's outcome — inside a
 * span `aml-waiter.wait` (a child of the caller's active context) that ends with the outcome, like a
 * single-process wait's, and records the wait's duration and the waits in progress as a single-process wait
 * does. `fn` gets `link`: given the trace context stored in the job by the producer that queued it (when
 * that was another call: `result` alone, or an `enqueue` that joined a queued wait), the span links to it
 * — the trace the workers' polls belong to. Without `settings`, just runs `fn`.
 */
export async function traceProducerWait<T>(
  settings: TelemetrySettings | undefined,
  wait: { readonly kind: ResourceKind; readonly id: string; readonly queueName: string },
  signal: AbortSignal | undefined,
  fn: (link: (stored: Carrier | undefined) => void) => Promise<T>,
): Promise<T> {
  if (settings === undefined) return fn(() => undefined);
  const api = await loadOpenTelemetryApi();
  const telemetry = Telemetry.of(api, settings);
  const parent = api.context.active();
  const startedAt = performance.now();
  const span = telemetry.tracer.startSpan(
    WAIT_SPAN_NAME,
    {
      attributes: {
        'aml_waiter.kind': wait.kind,
        'aml_waiter.id': wait.id,
        'aml_waiter.fleet': true,
        'messaging.system': 'bullmq',
        'messaging.destination.name': wait.queueName,
      },
    },
    parent,
  );
  const kindLabel = { 'aml_waiter.kind': wait.kind };
  telemetry.metrics.waitsActive.add(1, kindLabel);
  let linked = false;
  const link = (stored: Carrier | undefined): void => {
    if (linked || stored === undefined) return;
    const remote = api.trace.getSpanContext(api.propagation.extract(api.ROOT_CONTEXT, stored));
    if (remote === undefined || remote.spanId === span.spanContext().spanId) return;
    linked = true;
    span.addLink({ context: remote, attributes: { 'aml_waiter.link': 'enqueued_wait' } });
  };
  const end = (error?: unknown): void => {
    const outcome = waitOutcome(error, signal);
    span.setAttribute('aml_waiter.outcome', outcome);
    if (error !== undefined) {
      const type = waitErrorType(outcome, error);
      span.setAttribute('error.type', type);
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: type });
    }
    span.end();
    telemetry.metrics.waitsActive.add(-1, kindLabel);
    telemetry.metrics.waitDuration.record((performance.now() - startedAt) / 1000, {
      ...kindLabel,
      'aml_waiter.outcome': outcome,
    });
  };
  try {
    const value = await api.context.with(api.trace.setSpan(parent, span), () => fn(link));
    end();
    return value;
  } catch (error) {
    end(error);
    throw error;
  }
}

/**
 * @internal With telemetry on, the caller's active trace context as W3C headers (through the global
 * propagator), for `enqueue` to store in the job; `undefined` when off or when there is none to carry.
 */
export async function traceContextOf(settings: TelemetrySettings | undefined): Promise<Carrier | undefined> {
  if (settings === undefined) return undefined;
  const api = await loadOpenTelemetryApi();
  const carrier: Record<string, string> = {};
  api.propagation.inject(api.context.active(), carrier);
  return Object.keys(carrier).length === 0 ? undefined : carrier;
}
