import { describeValue } from '../model/describeValue.js';
import { ENTITY_ID_PATTERN } from '../model/entityId.js';

/**
 * Input validation shared by the client's methods. Every failure is a `TypeError` (wrong type) or a
 * `RangeError` (right type, bad value) whose message names the field in backticks and echoes the
 * value (`describeValue`). Never call these with a secret: `describeType` is for those.
 * @internal
 */

/** `typeof value === 'object'`, not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Throws unless `value` is a valid Amazon ML entity id (1–64 characters of `[a-zA-Z0-9_.-]`). */
export function assertEntityId(value: unknown, field: string): asserts value is string {
  if (typeof value !== 'string' || !ENTITY_ID_PATTERN.test(value)) {
    const ErrorClass = typeof value === 'string' ? RangeError : TypeError;
    throw new ErrorClass(
      `Expected \`${field}\` to be 1-64 characters of [a-zA-Z0-9_.-], got ${describeValue(value)}`,
    );
  }
}

/** Throws unless `value` is a string of at most `max` characters (optionally matching `pattern`). */
export function assertString(
  value: unknown,
  field: string,
  max: number,
  pattern?: RegExp,
  patternText?: string,
): asserts value is string {
  if (typeof value !== 'string') {
    throw new TypeError(`Expected \`${field}\` to be a string, got ${describeValue(value)}`);
  }
  if (value.length > max) {
    throw new RangeError(
      `Expected \`${field}\` to be at most ${max} characters, got ${value.length} characters`,
    );
  }
  if (pattern !== undefined && !pattern.test(value)) {
    throw new RangeError(
      `Expected \`${field}\` to match ${patternText ?? String(pattern)}, got ${describeValue(value)}`,
    );
  }
}

/** The API model's `S3Url` pattern. */
export const S3_URL_PATTERN = /^s3:\/\/([^/]+)(\/.*)?$/;
/** The API model's `EntityName` pattern (empty, or starting with a non-space). */
const ENTITY_NAME_PATTERN = /^(\S.*|)$/s;

/** Throws unless `value` is an `S3Url` (`s3://bucket/key`, at most 2048 characters). */
export function assertS3Url(value: unknown, field: string): asserts value is string {
  assertString(value, field, 2048, S3_URL_PATTERN, 's3://bucket[/key]');
}

/** Throws unless `value` is an `EntityName` (at most 1024 characters, not starting with a space). */
export function assertEntityName(value: unknown, field: string): asserts value is string {
  assertString(
    value,
    field,
    1024,
    ENTITY_NAME_PATTERN,
    'an empty string or text not starting with whitespace',
  );
}

/** Throws unless `value` is `undefined` or a boolean. */
export function assertOptionalBoolean(value: unknown, field: string): asserts value is boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`Expected \`${field}\` to be a boolean, got ${describeValue(value)}`);
  }
}

/** Throws unless `value` is an object (or `undefined` when `optional`). */
export function assertObject(
  value: unknown,
  field: string,
  optional = false,
): asserts value is Record<string, unknown> {
  if (optional && value === undefined) return;
  if (!isPlainObject(value)) {
    throw new TypeError(`Expected \`${field}\` to be an object, got ${describeValue(value)}`);
  }
}

/** Throws if `input` has a member not in `allowed` (catches typos such as `Limits`). */
export function assertKnownKeys(
  input: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  field: string,
): void {
  for (const key of Object.keys(input)) {
    if (!allowed.has(key)) {
      throw new TypeError(
        `Unknown member \`${field}.${key}\`; expected one of ${[...allowed].map((k) => `\`${k}\``).join(', ')}`,
      );
    }
  }
}

/** Throws unless `value` is `undefined` or an `AbortSignal`-like object. */
export function assertRequestOptions(options: unknown): void {
  if (options === undefined) return;
  if (!isPlainObject(options)) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}`);
  }
  const signal = options.signal;
  if (
    signal !== undefined &&
    (typeof signal !== 'object' ||
      signal === null ||
      typeof (signal as { aborted?: unknown }).aborted !== 'boolean' ||
      typeof (signal as { addEventListener?: unknown }).addEventListener !== 'function')
  ) {
    throw new TypeError(`Expected \`options.signal\` to be an AbortSignal, got ${describeValue(signal)}`);
  }
}
