import { ENTITY_ID_PATTERN } from '../model/entityId.js';
import { serviceErrors } from './ServiceError.js';

/** A parsed JSON request body (always an object by the time handlers see it). */
export type Input = Readonly<Record<string, unknown>>;

/**
 * The API model's pattern for `EntityName` and `ComparatorValue`, `\S.*|^$`, applied as Smithy applies a
 * pattern: not anchored, so it matches anywhere in the value. A value passes when it is empty or holds a
 * non-whitespace character anywhere (`" churn"` passes: `\S.*` matches from the `c`); only a non-empty
 * value made of whitespace alone fails.
 */
export const NAME_PATTERN = /\S.*|^$/u;
/** What {@link NAME_PATTERN} asks for, in the words of an `InvalidInputException`. */
export const NAME_RULE = 'a string of at most 1024 characters that is empty or not only whitespace';
const S3_URL_PATTERN = /^s3:\/\/([^/]+)(\/.*)?$/s;

/** A required `EntityId` member; `InvalidInputException` when missing or malformed. */
export function requireId(input: Input, member: string): string {
  const value = input[member];
  if (typeof value !== 'string' || !ENTITY_ID_PATTERN.test(value)) {
    throw serviceErrors.invalidInput(`${member} must match [a-zA-Z0-9_.-]+ and be 1-64 characters`);
  }
  return value;
}

/** An `EntityName` member (0–1024 characters, empty or not only whitespace: {@link NAME_PATTERN}). */
export function entityName(input: Input, member: string, required: boolean): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) {
    if (required) throw serviceErrors.invalidInput(`${member} is required`);
    return undefined;
  }
  if (typeof value !== 'string' || value.length > 1024 || !NAME_PATTERN.test(value)) {
    throw serviceErrors.invalidInput(`${member} must be ${NAME_RULE}`);
  }
  return value;
}

/** An `S3Url` member (`s3://bucket/key`, at most 2048 characters). */
export function s3Url(input: Input, member: string, required: boolean): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) {
    if (required) throw serviceErrors.invalidInput(`${member} is required and must be an s3:// URL`);
    return undefined;
  }
  if (typeof value !== 'string' || value.length > 2048 || !S3_URL_PATTERN.test(value)) {
    throw serviceErrors.invalidInput(`${member} must be an s3://bucket/key URL of at most 2048 characters`);
  }
  return value;
}

/** A string member with a maximum length. */
export function optionalString(input: Input, member: string, max: number): string | undefined {
  const value = input[member];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > max) {
    throw serviceErrors.invalidInput(`${member} must be a string of at most ${max} characters`);
  }
  return value;
}

/** A boolean member with a default. */
export function optionalBoolean(input: Input, member: string, fallback: boolean): boolean {
  const value = input[member];
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean') throw serviceErrors.invalidInput(`${member} must be a boolean`);
  return value;
}

/** A member restricted to an enumeration. */
export function enumMember<T extends string>(
  input: Input,
  member: string,
  values: readonly T[],
  required: boolean,
): T | undefined {
  const value = input[member];
  if (value === undefined || value === null) {
    if (required)
      throw serviceErrors.invalidInput(`${member} is required and must be one of ${values.join(', ')}`);
    return undefined;
  }
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw serviceErrors.invalidInput(`${member} must be one of ${values.join(', ')}`);
  }
  return value as T;
}

/** A nested structure member. */
export function structure(input: Input, member: string, required: boolean): Input | undefined {
  const value = input[member];
  if (value === undefined || value === null) {
    if (required) throw serviceErrors.invalidInput(`${member} is required`);
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value))
    throw serviceErrors.invalidInput(`${member} must be an object`);
  return value as Input;
}

/** A `map<string, string>` member. */
export function stringMap(input: Input, member: string): Record<string, string> | undefined {
  const value = structure(input, member, false);
  if (value === undefined) return undefined;
  for (const v of Object.values(value)) {
    if (typeof v !== 'string') throw serviceErrors.invalidInput(`${member} must map strings to strings`);
  }
  return { ...(value as Record<string, string>) };
}

/** JSON with object keys sorted, so two inputs that differ only in member order compare equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}
