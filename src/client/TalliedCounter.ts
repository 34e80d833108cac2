import type { Attributes, ObservableResult } from '@opentelemetry/api';

/**
 * Label sets a tally keeps apart: with the overflow set, 2,000 series — the SDK's default cardinality limit,
 * which it reaches the same way (1,999 sets, then everything else under the overflow set).
 */
const MAX_LABEL_SETS = 1999;

/** The label set the OpenTelemetry SDK reports a metric's measurements under past its cardinality limit. */
const OVERFLOW: Attributes = Object.freeze({ 'otel.metric.overflow': true });

/** Each label-set object's content as a string (most sets are built once by `metricLabels` and reused). */
const contentKeys = new WeakMap<Attributes, string>();

function contentKey(labels: Attributes): string {
  let key = contentKeys.get(labels);
  if (key === undefined) {
    key = JSON.stringify(
      Object.keys(labels)
        .sort()
        .map((name) => [name, labels[name]]),
    );
    contentKeys.set(labels, key);
  }
  return key;
}

/**
 * @internal A counter that aml-waiter keeps itself and the SDK reads at each collection, through an
 * asynchronous (observable) instrument: adding is a `Map` update, where a synchronous instrument would have
 * the SDK hash the label set on every request. Label sets count together when their content is equal,
 * whatever object carries it. The totals are cumulative; an up-down counter (waits in progress) adds
 * negative values too.
 */
export class TalliedCounter {
  readonly #totals = new Map<string, { readonly labels: Attributes; total: number }>();

  add(value: number, labels: Attributes): void {
    const totals = this.#totals;
    let key = contentKey(labels);
    let entry = totals.get(key);
    if (entry === undefined && totals.size >= MAX_LABEL_SETS) {
      key = contentKey(OVERFLOW);
      entry = totals.get(key);
      labels = OVERFLOW;
    }
    if (entry === undefined) totals.set(key, { labels, total: value });
    else entry.total += value;
  }

  /** Reports every total (the callback of the observable instrument). */
  readonly report = (result: ObservableResult): void => {
    for (const { labels, total } of this.#totals.values()) result.observe(total, labels);
  };
}
