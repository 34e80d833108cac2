import type { Attributes } from '@opentelemetry/api';

/**
 * Label sets by key. Operations, kinds, outcomes and error types are few, and every request, retry and
 * wait records one: each set is built (and frozen) once, not per record.
 */
const built = new Map<string, Attributes>();
/** Past this many sets (error types a service invents), new ones are built per record and not kept. */
const MAX_LABEL_SETS = 512;

/**
 * @internal The metric label set `key` names (a key per shape and values, e.g. `request GetMLModel`),
 * made by `build` the first time it is asked for.
 */
export function metricLabels(key: string, build: () => Attributes): Attributes {
  let labels = built.get(key);
  if (labels === undefined) {
    labels = Object.freeze(build());
    if (built.size < MAX_LABEL_SETS) built.set(key, labels);
  }
  return labels;
}
