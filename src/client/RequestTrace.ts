import { channel } from 'node:diagnostics_channel';
import type { Attributes, Context, Span, SpanOptions } from '@opentelemetry/api';
import { isAmazonMLError } from './AmazonMLError.js';
import { errorType } from './errorType.js';
import { metricLabels } from './metricLabels.js';
import { SharedRequestTrace } from './SharedRequestTrace.js';
import type { Telemetry } from './Telemetry.js';

/** The channel undici publishes each new request on: its OpenTelemetry instrumentation subscribes to it. */
const undiciRequestCreated = channel('undici:request:create');

/** The service name of the AWS RPC semantic conventions (the SDK's `serviceId`). */
const RPC_SERVICE = 'MachineLearning';

/** What every request of one operation reports the same, built once per operation (a lookup per request). */
interface OperationTelemetry {
  readonly operation: string;
  /** `MachineLearning.<Operation>`: every span of the operation keeps this one string. */
  readonly spanName: string;
  /** The requests metric's label set of a successful request. */
  readonly success: Attributes;
  /** The throttles metric's label set. */
  readonly method: Attributes;
}

const operations = new Map<string, OperationTelemetry>();

function operationTelemetry(operation: string): OperationTelemetry {
  let known = operations.get(operation);
  if (known === undefined) {
    known = {
      operation,
      spanName: `${RPC_SERVICE}.${operation}`,
      success: Object.freeze({ 'rpc.method': operation, 'aml_waiter.outcome': 'success' }),
      method: Object.freeze({ 'rpc.method': operation }),
    };
    operations.set(operation, known);
  }
  return known;
}

/** The requests metric's label set of a request that failed with `errorType` (few: built once each). */
function failureLabels(operation: string, errorType: string): Attributes {
  return metricLabels(`request ${operation} ${errorType}`, () => ({
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

/** The span's attributes known before the response: the operation's, and the target's when known. */
function requestAttributes(operation: string, target: RequestTarget | undefined): Attributes {
  const attributes: Attributes = {
    'rpc.system': 'aws-api',
    'rpc.service': RPC_SERVICE,
    'rpc.method': operation,
  };
  if (target !== undefined) addTarget(attributes, target);
  return attributes;
}

function addTarget(attributes: Attributes, { region, hostname, port }: RequestTarget): void {
  attributes['cloud.region'] = region;
  attributes['server.address'] = hostname;
  if (port !== undefined) attributes['server.port'] = port;
}

/**
 * @internal One request of the client as OpenTelemetry sees it: a CLIENT span `MachineLearning.<Operation>`
 * with the AWS RPC attributes (`rpc.system: aws-api`, `rpc.service`, `rpc.method`, `cloud.region`,
 * `aws.request_id`, `http.response.status_code`), a child of the wait's span (or of the shared request's
 * wait), and its count in the requests metric. Created at the start of a call, so queueing for a slot or the
 * budget is inside it.
 *
 * The span is started at once only when something in the call may read it in the active context (see
 * the constructor); otherwise it is recorded when the call ends, with the call's start time and
 * every attribute known then — so that the thousands of calls a client may hold queued keep a start time,
 * not a live span each.
 */
export class RequestTrace {
  readonly #telemetry: Telemetry;
  readonly #operation: OperationTelemetry;
  readonly #parent: Context;
  /** `performance.now()` at the start of the call: the span's start time. */
  readonly #startedAt = performance.now();
  readonly #shared: SharedRequestTrace | undefined;
  #target: RequestTarget | undefined;
  /** The live span, when it started with the call. */
  readonly #span: Span | undefined;
  #statusCode: number | undefined;
  #requestId: string | undefined;

  /**
   * `target`: where the request goes, when the client's settings are already resolved (else see
   * {@link target}). `mayRead`: the call may do something that reads the active context (log a line, fetch
   * credentials or settings), so the span must be live while it runs; undici's own instrumentation
   * (listening to `undici:request:create`), which nests its HTTP span under this one, needs it too.
   */
  constructor(telemetry: Telemetry, operation: string, target: RequestTarget | undefined, mayRead: boolean) {
    this.#telemetry = telemetry;
    this.#operation = operationTelemetry(operation);
    // A request several waits share is handed over by the waiter as the call starts.
    this.#shared = SharedRequestTrace.starting();
    this.#parent = this.#shared?.context ?? telemetry.api.context.active();
    this.#target = target;
    if (mayRead || undiciRequestCreated.hasSubscribers)
      this.#span = this.#startSpan(requestAttributes(operation, target), true);
  }

  /**
   * Starts the span: `live` while the call runs (a shared request's joiners add their links to it until it
   * ends), else at the end of the call, with the links of every wait that joined it.
   */
  #startSpan(attributes: Attributes, live: boolean): Span {
    const { api, tracer } = this.#telemetry;
    const shared = this.#shared;
    const options: SpanOptions = { kind: api.SpanKind.CLIENT, attributes, startTime: this.#startedAt };
    const links = live ? undefined : shared?.links;
    if (links !== undefined) options.links = [...links];
    const span = tracer.startSpan(this.#operation.spanName, options, this.#parent);
    if (live) shared?.attach(span);
    return span;
  }

  /** Where the request goes, once the client's settings are resolved (if the call did not start with it). */
  target(target: RequestTarget): void {
    if (this.#target !== undefined) return;
    this.#target = target;
    if (this.#span === undefined) return;
    const attributes: Attributes = {};
    addTarget(attributes, target);
    this.#span.setAttributes(attributes);
  }

  /**
   * The context the call must run in when its span is live (see the constructor); `undefined` otherwise:
   * nothing in the call reads the context then, and entering one costs every request.
   */
  liveContext(): Context | undefined {
    const span = this.#span;
    return span === undefined ? undefined : this.#telemetry.api.trace.setSpan(this.#parent, span);
  }

  /** Records a response (the last one counts, after a clock-skew retry). */
  response(statusCode: number, requestId: string | undefined): void {
    this.#statusCode = statusCode;
    this.#requestId = requestId;
  }

  /** Ends the span (or records it whole, start time included) and counts the request; `error` when the call failed. */
  end(error?: unknown): void {
    const failure = isAmazonMLError(error) ? error : undefined;
    const statusCode = this.#statusCode ?? failure?.statusCode;
    const requestId = this.#requestId ?? failure?.requestId;
    const type = error === undefined ? undefined : errorType(error);
    // Counted before the span is recorded: a span processor that throws does not lose the count.
    const { metrics } = this.#telemetry;
    const operation = this.#operation;
    metrics.requests.add(
      1,
      type === undefined ? operation.success : failureLabels(operation.operation, type),
    );
    if (failure?.throttling === true) metrics.throttles.add(1, operation.method);
    const live = this.#span;
    const attributes: Attributes =
      live === undefined ? requestAttributes(operation.operation, this.#target) : {};
    if (statusCode !== undefined) attributes['http.response.status_code'] = statusCode;
    if (requestId !== undefined) attributes['aws.request_id'] = requestId;
    if (type !== undefined) attributes['error.type'] = type;
    const dropped = this.#shared?.droppedLinks ?? 0;
    if (dropped > 0) attributes['aml_waiter.links_dropped'] = dropped;
    let span: Span;
    if (live === undefined) span = this.#startSpan(attributes, false);
    else {
      span = live;
      span.setAttributes(attributes);
      this.#shared?.detach(span);
    }
    if (type !== undefined) span.setStatus({ code: this.#telemetry.api.SpanStatusCode.ERROR, message: type });
    span.end(performance.now());
  }
}
