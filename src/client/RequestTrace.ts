import { channel } from 'node:diagnostics_channel';
import type { Attributes, Context, Span } from '@opentelemetry/api';
import { isAmazonMLError } from './AmazonMLError.js';
import { errorType } from './errorType.js';
import { metricLabels } from './metricLabels.js';
import { SharedRequestTrace } from './SharedRequestTrace.js';
import type { Telemetry } from './Telemetry.js';

/** The channel undici publishes each new request on: its OpenTelemetry instrumentation subscribes to it. */
const undiciRequestCreated = channel('undici:request:create');

/** The service name of the AWS RPC semantic conventions (the SDK's `serviceId`). */
const RPC_SERVICE = 'MachineLearning';

/** The label set of the request metrics for `operation`, and `errorType` when it failed. */
function requestLabels(operation: string, errorType: string | undefined): Attributes {
  return errorType === undefined
    ? metricLabels(`request ${operation}`, () => ({
        'rpc.method': operation,
        'aml_waiter.outcome': 'success',
      }))
    : metricLabels(`request ${operation} ${errorType}`, () => ({
        'rpc.method': operation,
        'aml_waiter.outcome': 'error',
        'error.type': errorType,
      }));
}

/** The region and the endpoint's host and port a request goes to (the client's resolved settings). */
interface RequestTarget {
  readonly region: string;
  readonly hostname: string;
  readonly port: number | undefined;
}

/** Adds the target's attributes to `attributes` (and returns it). */
function withTarget(attributes: Attributes, { region, hostname, port }: RequestTarget): Attributes {
  attributes['cloud.region'] = region;
  attributes['server.address'] = hostname;
  if (port !== undefined) attributes['server.port'] = port;
  return attributes;
}

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
  readonly #parent: Context;
  readonly #startedAt = performance.now();
  readonly #shared: SharedRequestTrace | undefined;
  #statusCode: number | undefined;
  #requestId: string | undefined;
  #targeted: boolean;

  /** `target`: where the request goes, when the client's settings are already resolved (else see {@link target}). */
  constructor(telemetry: Telemetry, operation: string, target: RequestTarget | undefined) {
    const { api } = telemetry;
    this.#telemetry = telemetry;
    this.#operation = operation;
    const parent = api.context.active();
    const attributes: Attributes = {
      'rpc.system': 'aws-api',
      'rpc.service': RPC_SERVICE,
      'rpc.method': operation,
    };
    if (target !== undefined) withTarget(attributes, target);
    this.#targeted = target !== undefined;
    this.#span = telemetry.tracer.startSpan(
      `${RPC_SERVICE}.${operation}`,
      { kind: api.SpanKind.CLIENT, attributes },
      parent,
    );
    this.#shared = SharedRequestTrace.in(parent);
    this.#shared?.attach(this.#span);
    this.#parent = parent;
  }

  /** Where the request goes, once the client's settings are resolved (if the span did not start with it). */
  target(target: RequestTarget): void {
    if (this.#targeted) return;
    this.#targeted = true;
    this.#span.setAttributes(withTarget({}, target));
  }

  /**
   * Runs `fn` (the sending) in this span's context when something may read it there: undici's own
   * instrumentation (listening to `undici:request:create`), which nests its HTTP span under this one, or
   * whatever `mayRead` says the call may do (log a line, fetch credentials or settings). Otherwise no
   * context is entered: entering one costs every request.
   */
  run<T>(fn: () => T, mayRead: boolean): T {
    if (!mayRead && !undiciRequestCreated.hasSubscribers) return fn();
    const { api } = this.#telemetry;
    return api.context.with(api.trace.setSpan(this.#parent, this.#span), fn);
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
    const failure = isAmazonMLError(error) ? error : undefined;
    const statusCode = this.#statusCode ?? failure?.statusCode;
    const requestId = this.#requestId ?? failure?.requestId;
    const type = error === undefined ? undefined : errorType(error);
    const attributes: Attributes = {};
    if (statusCode !== undefined) attributes['http.response.status_code'] = statusCode;
    if (requestId !== undefined) attributes['aws.request_id'] = requestId;
    if (type !== undefined) {
      attributes['error.type'] = type;
      span.setStatus({ code: api.SpanStatusCode.ERROR, message: type });
      if (failure?.throttling === true) {
        const operation = this.#operation;
        this.#telemetry.metrics.throttles.add(
          1,
          metricLabels(`method ${operation}`, () => ({ 'rpc.method': operation })),
        );
      }
    }
    span.setAttributes(attributes);
    this.#shared?.detach(span);
    span.end();
    const labels = requestLabels(this.#operation, type);
    this.#telemetry.metrics.requests.add(1, labels);
    this.#telemetry.metrics.requestDuration.record((performance.now() - this.#startedAt) / 1000, labels);
  }
}
