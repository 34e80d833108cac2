import { describeValue } from '../model/describeValue.js';

/**
 * `value`, or `fallback` when it is `undefined`; a `RangeError` naming `name` and echoing the value when
 * it is not an integer ≥ 1.
 */
export function positiveInteger(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`Expected \`${name}\` to be an integer ≥ 1, got ${describeValue(value)}.`);
  }
  return value;
}
