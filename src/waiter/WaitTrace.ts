import type { Attributes, Context, Span } from '@opentelemetry/api';
import { errorType } from '../client/errorType.js';
import { metricLabels } from '../client/metricLabels.js';
import { openTelemetryApi } from '../client/openTelemetryApi.js';
import { Telemetry } from '../client/Telemetry.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import type { ResolvedWaitOptions } from './resolveWaitOptions.js';
import { type WaitChannelMessage, waitChannelHasSubscribers, waitTracingChannel } from './waitChannels.js';
import type { WaitObserver, WaitTally } from './WaitObserver.js';
import { isWaiterError } from './WaiterError.js';

/**
 * @internal The abort reason of a wait whose Observable subscriber unsubscribed before any outcome (its
 * trace's outcome is `unsubscribed`).
 */
export const UNSUBSCRIBED: unknown = Object.freeze(
  new DOMException('The subscriber unsubscribed before the wait ended.', 'AbortError'),
);

/** The name of the span of a wait. */
export const WAIT_SPAN_NAME = 'aml-waiter.wait';

const OUTCOMES: Readonly<Record<string, string>> = {
  RESOURCE_FAILED: 'failed',
  RESOURCE_DELETED: 'deleted',
  WAIT_TIMEOUT: 'timeout',
  REQUEST_FAILED: 'request_failed',
};

/**
 * @internal The `aml_waiter.outcome` of a wait that ended with `error` (none: COMPLETED): `completed`,
 * `failed`, `deleted`, `timeout`, `request_failed`, `aborted` (`error` is the abort reason of `signal`) or
 * `error`.
 */
export function waitOutcome(error: unknown, signal: AbortSignal | undefined): string {
  if (error === undefined) return 'completed';
  if (signal?.aborted === true && error === signal.reason) return 'aborted';
  return isWaiterError(error) ? (OUTCOMES[error.code] ?? 'error') : 'error';
}

/** @internal The `error.type` of a wait's span: `ABORTED` for an abort, else the error's code or name. */
export function waitErrorType(outcome: string, error: unknown): string {
  return outcome === 'aborted' ? 'ABORTED' : errorType(error);
}

/** The label set of the wait metrics for `kind`. */
function kindLabels(kind: ResourceKind): Attributes {
  return metricLabels(`kind ${kind}`, () => ({ 'aml_waiter.kind': kind }));
}

interface OpenTelemetryWait {
  readonly telemetry: Telemetry;
  readonly span: Span;
  readonly context: Context;
  readonly kindLabel: Attributes;
}

/**
 * @internal What one wait tells the outside: the `aml-waiter:wait` diagnostics tracing channel, and, when
 * telemetry is on, its OpenTelemetry span (`aml-waiter.wait`, a child of the caller's active context, with
 * an event per transition and retry; the client's request spans are its children) and wait metrics.
 * {@link WaitTrace.start} returns `undefined` — and nothing is allocated — when neither is on.
 */
export class WaitTrace<K extends ResourceKind = ResourceKind> implements WaitObserver {
  readonly #options: ResolvedWaitOptions<K>;
  readonly #message: WaitChannelMessage | undefined;
  readonly #otel: OpenTelemetryWait | undefined;
  readonly #startedAt: number;
  #ended = false;

  private constructor(options: ResolvedWaitOptions<K>, channel: boolean) {
    this.#options = options;
    this.#startedAt = options.clock.now();
    const timeoutMs = options.checkpoint?.timeoutMs ?? options.timeoutMs;
    this.#message = channel ? { kind: options.kind, id: options.id, timeoutMs } : undefined;
    const api = options.telemetry === undefined ? undefined : openTelemetryApi();
    if (api !== undefined && options.telemetry !== undefined) {
      const telemetry = Telemetry.of(api, options.telemetry);
      const parent = api.context.active();
      const attributes: Attributes = {
        'aml_waiter.kind': options.kind,
        'aml_waiter.id': options.id,
        'aml_waiter.timeout_ms': timeoutMs,
      };
      if (options.checkpoint !== undefined) attributes['aml_waiter.resumed'] = true;
      const span = telemetry.tracer.startSpan(WAIT_SPAN_NAME, { attributes }, parent);
      const kindLabel = kindLabels(options.kind);
      telemetry.metrics.waitsActive.add(1, kindLabel);
      this.#otel = { telemetry, span, context: api.trace.setSpan(parent, span), kindLabel };
    }
  }

  /**
   * Starts the trace of a wait (OpenTelemetry must be loaded already when `options.telemetry` is set), or
   * returns `undefined` when nobody listens.
   */
  static start<K extends ResourceKind>(options: ResolvedWaitOptions<K>): WaitTrace<K> | undefined {
    const channel = waitChannelHasSubscribers();
    if (!channel && options.telemetry === undefined) return undefined;
    return new WaitTrace(options, channel);
  }

  /**
   * Runs the wait `fn` inside the tracing channel's `start` (so that subscribers' bound stores apply) and
   * in the wait span's context (so that its requests are the span's children), and publishes `end` once
   * `fn` has returned (its promise; the outcome comes later, through {@link WaitTrace.end}).
   */
  begin<T>(fn: () => T): T {
    const message = this.#message;
    if (message === undefined) return this.#inContext(fn);
    try {
      return waitTracingChannel.start.runStores(message, () => this.#inContext(fn));
    } finally {
      waitTracingChannel.end.publish(message);
    }
  }

  #inContext<T>(fn: () => T): T {
    const otel = this.#otel;
    return otel === undefined ? fn() : otel.telemetry.api.context.with(otel.context, fn);
  }

  /** A transition of the wait: an event on its span. */
  transition(from: string | null, to: string, attempt: number, elapsedMs: number): void {
    const otel = this.#otel;
    if (otel === undefined) return;
    const attributes: Attributes = {
      'aml_waiter.to': to,
      'aml_waiter.attempt': attempt,
      'aml_waiter.elapsed_ms': elapsedMs,
    };
    if (from !== null) attributes['aml_waiter.from'] = from;
    otel.span.addEvent('transition', attributes);
  }

  /** A poll retried after `delayMs`: an event on the span and a count in the retries metric. */
  retry(error: unknown, delayMs: number, attempt: number): void {
    const otel = this.#otel;
    if (otel === undefined) return;
    const type = errorType(error);
    otel.span.addEvent('retry', {
      'error.type': type,
      'aml_waiter.delay_ms': delayMs,
      'aml_waiter.attempt': attempt,
    });
    const { kind } = this.#options;
    otel.telemetry.metrics.retries.add(
      1,
      metricLabels(`retry ${kind} ${type}`, () => ({ 'aml_waiter.kind': kind, 'error.type': type })),
    );
  }

  /**
   * Ends the trace once, with the wait's totals: without `error` the resource is COMPLETED; an `error`
   * of {@link UNSUBSCRIBED} means the subscriber left before any outcome.
   */
  end(tally: WaitTally, error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    const { polls, status } = tally;
    const unsubscribed = error === UNSUBSCRIBED;
    const failed = error !== undefined;
    const outcome = unsubscribed ? 'unsubscribed' : waitOutcome(error, this.#options.signal);
    const attempts = isWaiterError(error) ? error.attempts : tally.attempts;
    const message = this.#message;
    if (message !== undefined) {
      message.outcome = outcome;
      if (status !== undefined) message.status = status;
      message.attempts = attempts;
      message.polls = polls;
      if (failed) {
        message.error = error;
        waitTracingChannel.error.publish(message);
      } else if (!unsubscribed) {
        message.result = tally.lastResource;
      }
      waitTracingChannel.asyncStart.publish(message);
      waitTracingChannel.asyncEnd.publish(message);
    }
    const otel = this.#otel;
    if (otel === undefined) return;
    const { span, telemetry } = otel;
    const attributes: Attributes = {
      'aml_waiter.outcome': outcome,
      'aml_waiter.attempts': attempts,
      'aml_waiter.polls': polls,
    };
    if (status !== undefined) attributes['aml_waiter.status'] = status;
    if (failed && !unsubscribed) {
      const type = waitErrorType(outcome, error);
      attributes['error.type'] = type;
      span.setStatus({ code: telemetry.api.SpanStatusCode.ERROR, message: type });
    }
    span.setAttributes(attributes);
    span.end();
    telemetry.metrics.waitsActive.add(-1, otel.kindLabel);
    telemetry.metrics.waitDuration.record(
      (this.#options.clock.now() - this.#startedAt) / 1000,
      metricLabels(`wait ${this.#options.kind} ${outcome}`, () => ({
        'aml_waiter.kind': this.#options.kind,
        'aml_waiter.outcome': outcome,
      })),
    );
  }
}
