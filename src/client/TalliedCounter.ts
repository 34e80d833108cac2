import type { Attributes, ObservableResult } from '@opentelemetry/api';

/** Label sets a tally keeps apart; past them, new sets count under the overflow set (as the SDK does). */
const CARDINALITY_LIMIT = 2000;

/** The label set the OpenTelemetry SDK reports a metric's measurements under past its cardinality limit. */
const OVERFLOW: Attributes = Object.freeze({ 'otel.metric.overflow': true });

/**
 * @internal A counter that aml-waiter keeps itself and the SDK reads at each collection, through an
 * asynchronous (observable) instrument: adding is a `Map` update by label-set object (the sets come from
 * `metricLabels`, built once), where a synchronous instrument would have the SDK hash the label set on every
 * request. The totals are cumulative; an up-down counter (waits in progress) may add negative values.
 */
export class TalliedCounter {
  readonly #totals = new Map<Attributes, number>();

  add(value: number, labels: Attributes): void {
    const totals = this.#totals;
    const key = totals.has(labels) || totals.size < CARDINALITY_LIMIT ? labels : OVERFLOW;
    totals.set(key, (totals.get(key) ?? 0) + value);
  }

  /** Reports every total (the callback of the observable instrument). */
  readonly report = (result: ObservableResult): void => {
    for (const [labels, total] of this.#totals) result.observe(total, labels);
  };
}
