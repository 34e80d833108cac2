import { describeValue } from '../model/describeValue.js';
import {
  assertEntityId,
  assertEntityName,
  assertKnownKeys,
  assertObject,
  assertOptionalBoolean,
  assertS3Url,
  assertString,
} from './validate.js';

/**
 * Checks one input member: throws a `TypeError`/`RangeError` naming `field` (`input.DataSpec.DataSchema`)
 * and the bad value. The client's `Create…` inputs are described as tables of these.
 * @internal
 */
export type FieldCheck = (value: unknown, field: string) => void;

/** The members of a structure and how each is checked, in the order they are checked. @internal */
type StructureFields = Readonly<Record<string, FieldCheck>>;

/** An `EntityId` (1–64 characters of `[a-zA-Z0-9_.-]`), required. @internal */
export const entityId: FieldCheck = assertEntityId;
/** An `EntityName`, required. @internal */
export const entityName: FieldCheck = assertEntityName;
/** An `S3Url`, required. @internal */
export const s3Url: FieldCheck = assertS3Url;
/** A boolean or nothing. @internal */
export const optionalBoolean: FieldCheck = assertOptionalBoolean;

/** A string of at most `max` characters. @internal */
export function text(max: number): FieldCheck {
  return (value, field) => {
    assertString(value, field, max);
  };
}

/** `check` when the member is present. @internal */
export function optional(check: FieldCheck): FieldCheck {
  return (value, field) => {
    if (value !== undefined) check(value, field);
  };
}

/** One of `values` (an enum of the API model). @internal */
export function oneOf(values: readonly string[]): FieldCheck {
  const allowed: ReadonlySet<string> = new Set(values);
  const listed = `${values.slice(0, -1).join(', ')} or ${values.at(-1) ?? ''}`;
  return (value, field) => {
    if (typeof value !== 'string' || !allowed.has(value)) {
      throw new RangeError(`Expected \`${field}\` to be ${listed}, got ${describeValue(value)}`);
    }
  };
}

/** A map of strings (`Parameters`). @internal */
export const stringMap: FieldCheck = (value, field) => {
  assertObject(value, field);
  for (const [key, member] of Object.entries(value)) {
    assertString(member, `${field}.${key}`, Number.MAX_SAFE_INTEGER);
  }
};

/** An object with only the members of `fields`, each checked in order. @internal */
export function structure(fields: StructureFields): FieldCheck {
  const known: ReadonlySet<string> = new Set(Object.keys(fields));
  return (value, field) => {
    assertObject(value, field);
    assertKnownKeys(value, known, field);
    for (const [member, check] of Object.entries(fields)) check(value[member], `${field}.${member}`);
  };
}
