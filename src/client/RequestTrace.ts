import type { Attributes, Context, Span } from '@opentelemetry/api';
import { isAmazonMLError } from './AmazonMLError.js';
import { errorType } from './errorType.js';
import { SharedRequestTrace } from './SharedRequestTrace.js';
import type { Telemetry } from './Telemetry.js';

/** The service name of the AWS RPC semantic conventions (the SDK's `serviceId`). */
const RPC_SERVICE = 'MachineLearning';

/**
 * @internal One request of the client as OpenTelemetry sees it: a CLIENT span `MachineLearning.<Operation>`
 * with the AWS RPC attributes (`rpc.system: aws-api`, `rpc.service`, `rpc.method`, `cloud.region`,
 * `aws.request_id`, `http.response.status_code`), a child of the active context (the wait's span), and the
 * request metrics. Created at the start of a call, so queueing for a slot or the budget is inside it.
 */
export class RequestTrace {
  readonly #telemetry: Telemetry;
  readonly #span: Span;
  readonly #operation: string;
  readonly #context: Context;
  readonly #startedAt = performance.now();
  readonly #shared: SharedRequestTrace | undefined;
  #statusCode: number | undefined;
  #requestId: string | undefined;

  constructor(telemetry: Telemetry, operation: string) {
    const { api } = telemetry;
    this.#telemetry = telemetry;
    this.#operation = operation;
    const parent = api.context.active();
    this.#span = telemetry.tracer.startSpan(
      `${RPC_SERVICE}.${operation}`,
      {
        kind: api.SpanKind.CLIENT,
        attributes: { 'rpc.system': 'aws-api', 'rpc.service': RPC_SERVICE, 'rpc.method': operation },
      },
      parent,
    );
    this.#shared = SharedRequestTrace.in(parent);
    this.#shared?.attach(this.#span);
    this.#context = api.trace.setSpan(parent, this.#span);
  }

  /** Where the request goes: the region and the endpoint's host (known once the config is resolved). */
  target(region: string, host: string, port: number | undefined): void {
    this.#span.setAttributes({ 'cloud.region': region, 'server.address': host });
    if (port !== undefined) this.#span.setAttribute('server.port', port);
  }

  /** Runs `fn` (the sending) in this span's context, so that undici's own instrumentation nests under it. */
  run<T>(fn: () => T): T {
    return this.#telemetry.api.context.with(this.#context, fn);
  }

  /** Records a response (the last one counts, after a clock-skew retry). */
  response(statusCode: number, requestId: string | undefined): void {
    this.#statusCode = statusCode;
    this.#requestId = requestId;
  }

  /** Ends the span and records the metrics; `error` when the call failed. */
  end(error?: unknown): void {
    const span = this.#span;
    const { api } = this.#telemetry;
    const statusCode =
      this.#statusCode ??
      (isAmazonMLError(error) && error.statusCode !== undefined ? error.statusCode : undefined);
    const requestId = this.#requestId ?? (isAmazonMLError(error) ? error.requestId : undefined);
    if (statusCode !== undefined) span.setAttribute('http.response.status_code', statusCode);
    if (requestId !== undefined) span.setAttribute('aws.request_id', requestId);
    const metric: Attributes = { 'rpc.method': this.#operation };
    if (error === undefined) {
      metric['aml_waiter.outcome'] = 'success';
    } else {
      const type = errorType(error);
      metric['aml_waiter.outcome'] = 'error';
      metric['error.type'] = type;
      span.setAttribute('error.type', type);
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: type });
      if (isAmazonMLError(error) && error.throttling) {
        this.#telemetry.throttles.add(1, { 'rpc.method': this.#operation });
      }
    }
    this.#shared?.detach(span);
    span.end();
    this.#telemetry.requests.add(1, metric);
    this.#telemetry.requestDuration.record((performance.now() - this.#startedAt) / 1000, metric);
  }
}
