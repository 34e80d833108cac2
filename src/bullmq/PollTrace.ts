import type { Context, Link, Span } from '@opentelemetry/api';
import type { OpenTelemetryApi } from '../client/openTelemetryApi.js';
import { Telemetry } from '../client/Telemetry.js';
import type { TelemetrySettings } from '../client/TelemetryOption.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import { waitErrorType, waitOutcome } from '../waiter/WaitTrace.js';
import type { PollStepResult } from './pollStep.js';
import type { FleetTraceContext } from './WaitJob.js';

/** The name of the span of one poll a fleet worker runs. */
export const POLL_SPAN_NAME = 'aml-waiter.poll';

/** What a poll span is about. */
interface PollTraceInfo {
  readonly kind: ResourceKind;
  readonly id: string;
  readonly queueName: string;
  readonly jobId: string | undefined;
  readonly workerName: string | undefined;
  readonly trace: FleetTraceContext | undefined;
}

/**
 * @internal One poll of a fleet wait as OpenTelemetry sees it: a CONSUMER span `aml-waiter.poll`, a child of
 * the producer's wait span (the remote parent carried in the job), linked to the previous poll's span, with
 * the client's request spans as children and an event per transition. Its own context goes back into the
 * job as `lastPoll`, so one trace shows the wait across workers and restarts.
 */
export class PollTrace {
  readonly #api: OpenTelemetryApi;
  readonly #span: Span;
  readonly #context: Context;

  constructor(api: OpenTelemetryApi, settings: TelemetrySettings, info: PollTraceInfo) {
    this.#api = api;
    const { propagation, ROOT_CONTEXT, trace } = api;
    const parent =
      info.trace === undefined ? ROOT_CONTEXT : propagation.extract(ROOT_CONTEXT, info.trace.parent);
    const links: Link[] = [];
    if (info.trace?.lastPoll !== undefined) {
      const previous = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, info.trace.lastPoll));
      if (previous !== undefined)
        links.push({ context: previous, attributes: { 'aml_waiter.previous_poll': true } });
    }
    const attributes: Record<string, string> = {
      'aml_waiter.kind': info.kind,
      'aml_waiter.id': info.id,
      'messaging.system': 'bullmq',
      'messaging.destination.name': info.queueName,
    };
    if (info.jobId !== undefined) attributes['messaging.message.id'] = info.jobId;
    if (info.workerName !== undefined) attributes['aml_waiter.worker'] = info.workerName;
    this.#span = Telemetry.of(api, settings).tracer.startSpan(
      POLL_SPAN_NAME,
      { kind: api.SpanKind.CONSUMER, attributes, links },
      parent,
    );
    this.#context = trace.setSpan(parent, this.#span);
  }

  /** Runs the poll `fn` in this span's context (its requests become the span's children). */
  run<T>(fn: () => T): T {
    return this.#api.context.with(this.#context, fn);
  }

  /** This poll's span as a carrier, for the next poll to link to. */
  carrier(): Record<string, string> {
    const carrier: Record<string, string> = {};
    this.#api.propagation.inject(this.#context, carrier);
    return carrier;
  }

  /** Ends the span with what the poll found, or with the error the step threw. */
  end(result: PollStepResult | undefined, error?: unknown): void {
    const span = this.#span;
    for (const transition of result?.transitions ?? []) {
      const attributes: Record<string, string | number> = {
        'aml_waiter.to': transition.to,
        'aml_waiter.attempt': transition.attempt,
        'aml_waiter.elapsed_ms': transition.elapsedMs,
      };
      if (transition.from !== null) attributes['aml_waiter.from'] = transition.from;
      span.addEvent('transition', attributes);
    }
    const failure = result?.type === 'failed' ? result.error : error;
    const outcome = result?.type === 'wait' ? 'wait' : waitOutcome(failure, undefined);
    span.setAttribute('aml_waiter.outcome', outcome);
    if (result?.type === 'wait') span.setAttribute('aml_waiter.attempts', result.checkpoint.attempts);
    if (failure !== undefined) {
      const type = waitErrorType(outcome, failure);
      span.setAttribute('error.type', type);
      span.setStatus({ code: this.#api.SpanStatusCode.ERROR, message: type });
    }
    span.end();
  }
}
