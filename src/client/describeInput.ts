import { COMPARATORS, FILTER_VARIABLES, type DescribeInput } from '../model/Describe.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import { describeValue } from '../model/describeValue.js';
import { assertKnownKeys, assertString, isPlainObject } from './validate.js';

const DESCRIBE_KEYS: ReadonlySet<string> = new Set([
  'FilterVariable',
  ...COMPARATORS,
  'SortOrder',
  'NextToken',
  'Limit',
]);

/** The `ComparatorValue` pattern: empty, or starting with a non-space. */
const COMPARATOR_PATTERN = /^(\S.*|)$/s;

/**
 * Validates a `Describe…` input for `kind` and serialises it (unset members omitted). Throws a
 * TypeError/RangeError naming the member: unknown members, a `FilterVariable` the operation does
 * not accept, comparator values over 1024 characters, `SortOrder` other than `asc`/`dsc`,
 * `Limit` outside 1–100, an empty `NextToken`.
 */
export function serializeDescribeInput(kind: ResourceKind, input: unknown): string {
  if (input === undefined) return '{}';
  if (!isPlainObject(input)) {
    throw new TypeError(`Expected \`input\` to be an object, got ${describeValue(input)}`);
  }
  assertKnownKeys(input, DESCRIBE_KEYS, 'input');
  const out: Record<string, unknown> = {};
  const { FilterVariable, SortOrder, NextToken, Limit } = input as DescribeInput;
  if (FilterVariable !== undefined) {
    const allowed = FILTER_VARIABLES[kind] as readonly string[];
    if (typeof FilterVariable !== 'string' || !allowed.includes(FilterVariable)) {
      throw new RangeError(
        `Expected \`input.FilterVariable\` to be one of ${allowed.join(', ')} for Describe${kind}s, got ${describeValue(FilterVariable)}`,
      );
    }
    out.FilterVariable = FilterVariable;
  }
  for (const comparator of COMPARATORS) {
    const value = input[comparator];
    if (value === undefined) continue;
    assertString(
      value,
      `input.${comparator}`,
      1024,
      COMPARATOR_PATTERN,
      'an empty string or text not starting with whitespace',
    );
    out[comparator] = value;
  }
  if (SortOrder !== undefined) {
    if ((SortOrder as unknown) !== 'asc' && (SortOrder as unknown) !== 'dsc') {
      throw new RangeError(
        `Expected \`input.SortOrder\` to be "asc" or "dsc", got ${describeValue(SortOrder)}`,
      );
    }
    out.SortOrder = SortOrder;
  }
  if (NextToken !== undefined) {
    if (typeof NextToken !== 'string' || NextToken === '') {
      throw new TypeError(
        `Expected \`input.NextToken\` to be a non-empty string, got ${describeValue(NextToken)}`,
      );
    }
    out.NextToken = NextToken;
  }
  if (Limit !== undefined) {
    if (typeof Limit !== 'number' || !Number.isInteger(Limit) || Limit < 1 || Limit > 100) {
      const ErrorClass = typeof Limit === 'number' ? RangeError : TypeError;
      throw new ErrorClass(
        `Expected \`input.Limit\` to be an integer from 1 to 100, got ${describeValue(Limit)}`,
      );
    }
    out.Limit = Limit;
  }
  return JSON.stringify(out);
}
