import type { Context, Link, Span } from '@opentelemetry/api';
import { openTelemetryApi } from './openTelemetryApi.js';

/**
 * The attributes of every link from a shared request's span to a wait that joined it (one object for all:
 * the OpenTelemetry SDK copies a link's attributes, it does not write to them).
 */
const SHARED_LINK_ATTRIBUTES = Object.freeze({ 'aml_waiter.shared': true });

/**
 * The links a shared request's span carries at most: the OpenTelemetry SDK's default span limit
 * (`linkCountLimit`), past which it would drop them anyway. A list pass thousands of waits read through
 * would otherwise copy a link per wait into each of its pages' spans; the waits past it are counted in
 * `aml_waiter.links_dropped`.
 */
const MAX_SHARED_LINKS = 128;

/** The shared request whose call is starting now: set only while that call starts (synchronously). */
let starting: SharedRequestTrace | undefined;

/**
 * @internal The spans of a request several waits share — a `Get…` that concurrent waits on one id join,
 * or a list pass — so that it is the child of the wait that started it and carries a span link to every
 * other wait that joined it. The client attaches its request spans; the waiter adds the joiners.
 * Only exists while OpenTelemetry is loaded and a wait span is active: otherwise nothing is allocated.
 */
export class SharedRequestTrace {
  /** The context its request spans are children of: the wait that started it, or none (a root). */
  readonly context: Context;
  /** The request spans in flight, and the links to add to them: built when a span starts or a wait joins. */
  #spans: Set<Span> | undefined;
  #links: Link[] | undefined;
  #dropped = 0;

  private constructor(context: Context) {
    this.context = context;
  }

  /**
   * A trace for a shared request started now, under the active context (`root: true`: under no parent, for
   * a request no wait started, such as a timed list pass). `undefined` while OpenTelemetry is not loaded, or
   * (without `root`) when no span is active.
   */
  static begin(root = false): SharedRequestTrace | undefined {
    const api = openTelemetryApi();
    if (api === undefined) return undefined;
    if (root) return new SharedRequestTrace(api.ROOT_CONTEXT);
    const active = api.context.active();
    return api.trace.getSpan(active) === undefined ? undefined : new SharedRequestTrace(active);
  }

  /** The shared request whose call is starting now, if any (what the client's request trace looks for). */
  static starting(): SharedRequestTrace | undefined {
    return starting;
  }

  /** Links the span active now (a wait that joins the request) to `shared`'s spans. */
  static join(shared: SharedRequestTrace | undefined): void {
    const api = openTelemetryApi();
    if (shared === undefined || api === undefined) return;
    const span = api.trace.getSpan(api.context.active());
    if (span === undefined || span === api.trace.getSpan(shared.context)) return;
    const links = (shared.#links ??= []);
    if (links.length >= MAX_SHARED_LINKS) {
      shared.#dropped++;
      return;
    }
    const link: Link = { context: span.spanContext(), attributes: SHARED_LINK_ATTRIBUTES };
    links.push(link);
    if (shared.#spans !== undefined) for (const request of shared.#spans) request.addLink(link);
  }

  /** Runs `fn` (a list pass, which starts its calls with {@link start}) in this trace's context. */
  run<T>(fn: () => T): T {
    const api = openTelemetryApi();
    return api === undefined ? fn() : api.context.with(this.context, fn);
  }

  /**
   * Runs `fn`, which starts a call of the shared request (a `Get…`, a page of a list pass): the client
   * takes this trace as the call starts, synchronously — no context is entered for it.
   */
  start<T>(fn: () => T): T {
    const previous = starting;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- handed over for the call's synchronous start
    starting = this;
    try {
      return fn();
    } finally {
      starting = previous;
    }
  }

  /** The links of the waits that joined so far (a request span recorded at its end starts with them). */
  get links(): readonly Link[] | undefined {
    return this.#links;
  }

  /** The waits that joined past {@link MAX_SHARED_LINKS}: linked to none of the request's spans. */
  get droppedLinks(): number {
    return this.#dropped;
  }

  /** A request span of the shared request starts: it gets the links so far, and those added until it ends. */
  attach(span: Span): void {
    if (this.#links !== undefined) span.addLinks(this.#links);
    (this.#spans ??= new Set()).add(span);
  }

  /** A request span ended: no more links are added to it. */
  detach(span: Span): void {
    this.#spans?.delete(span);
  }
}
