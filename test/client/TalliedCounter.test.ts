import type { Attributes, ObservableResult } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { TalliedCounter } from '../../src/client/TalliedCounter.js';

/** What one collection reads from `counter`: [total, labels] per label set, in the order first added. */
function collect(counter: TalliedCounter): [number, Attributes][] {
  const observed: [number, Attributes][] = [];
  const result: ObservableResult = {
    observe: (value: number, labels?: Attributes) => {
      observed.push([value, labels ?? {}]);
    },
  };
  counter.report(result);
  return observed;
}

describe('TalliedCounter (the counters the SDK reads at collection)', () => {
  it('keeps a cumulative total per label set, negative additions included', () => {
    const counter = new TalliedCounter();
    const get = Object.freeze({ 'rpc.method': 'GetMLModel' });
    const describe_ = Object.freeze({ 'rpc.method': 'DescribeMLModels' });
    counter.add(1, get);
    counter.add(1, describe_);
    counter.add(1, get);
    expect(collect(counter)).toEqual([
      [2, get],
      [1, describe_],
    ]);
    // Read again, the totals are still there (cumulative), and an up-down counter can go back to 0.
    counter.add(-2, get);
    expect(collect(counter)).toEqual([
      [0, get],
      [1, describe_],
    ]);
  });

  it('counts equal label sets together, whatever object carries them (keys in any order)', () => {
    const counter = new TalliedCounter();
    counter.add(1, { 'aml_waiter.kind': 'MLModel', 'aml_waiter.outcome': 'completed' });
    counter.add(1, { 'aml_waiter.outcome': 'completed', 'aml_waiter.kind': 'MLModel' });
    counter.add(1, { 'aml_waiter.kind': 'DataSource', 'aml_waiter.outcome': 'completed' });
    expect(collect(counter).map(([total]) => total)).toEqual([2, 1]);
  });

  it('past 1,999 label sets, counts new ones under the overflow set: 2,000 series, as the SDK does', () => {
    const counter = new TalliedCounter();
    const sets = Array.from({ length: 2003 }, (_, i) => ({ 'error.type': `Invented${i}` }));
    for (const labels of sets) counter.add(1, labels);
    // A set already kept still counts under its own labels.
    counter.add(5, { 'error.type': 'Invented0' });
    const observed = collect(counter);
    expect(observed).toHaveLength(2000);
    expect(observed[0]).toEqual([6, sets[0]]);
    expect(observed[1998]).toEqual([1, sets[1998]]);
    expect(observed[1999]).toEqual([4, { 'otel.metric.overflow': true }]);
  });
});
