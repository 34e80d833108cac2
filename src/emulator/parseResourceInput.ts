import type { EntityStatus } from '../model/EntityStatus.js';
import { isEntityStatus } from '../model/EntityStatus.js';
import { ENTITY_ID_PATTERN } from '../model/entityId.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import { isResourceKind, resourceKinds } from '../model/ResourceKind.js';
import { RESOURCE_SHAPES, type MemberType } from '../model/wireShapes.js';

/** A resource given to `put`, checked and in wire form. */
interface ParsedResourceInput {
  readonly kind: ResourceKind;
  readonly id: string;
  /** Its members in wire form, following the shape table (without `Status`). */
  readonly fields: Record<string, unknown>;
  /** The `Status` given, if any. */
  readonly status: EntityStatus | undefined;
}

function toWireTimestamp(value: unknown, field: string): number {
  if (value instanceof Date && Number.isFinite(value.getTime())) return value.getTime() / 1000;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && Number.isFinite(Date.parse(value))) return Date.parse(value) / 1000;
  throw new TypeError(
    `Expected \`${field}\` to be a Date, epoch seconds or an ISO date string, got ${JSON.stringify(value)}`,
  );
}

/** A `put` member as it goes on the wire, following the shape table: timestamps, longs, nested structures. */
function toWireValue(type: MemberType, value: unknown, field: string): unknown {
  if (type === 'timestamp') return toWireTimestamp(value, field);
  if (type === 'long') {
    if (!Number.isSafeInteger(value)) {
      throw new TypeError(`Expected \`${field}\` to be an integer, got ${JSON.stringify(value)}`);
    }
    return value;
  }
  if (typeof type !== 'object' || typeof value !== 'object' || value === null || Array.isArray(value))
    return value;
  const out: Record<string, unknown> = {};
  for (const [member, inner] of Object.entries(value)) {
    const innerType = Object.hasOwn(type, member) ? type[member] : undefined;
    out[member] =
      innerType === undefined || inner === undefined
        ? inner
        : toWireValue(innerType, inner, `${field}.${member}`);
  }
  return out;
}

/** Throws a TypeError naming `kind` unless it is one of the four resource kinds. */
export function assertResourceKind(kind: unknown): asserts kind is ResourceKind {
  if (!isResourceKind(kind)) {
    throw new TypeError(
      `Expected \`kind\` to be BatchPrediction, DataSource, MLModel or Evaluation, got ${JSON.stringify(kind)}`,
    );
  }
}

/**
 * Checks a `put`'s kind and resource (any model members; timestamps as `Date`, epoch seconds or an ISO
 * string) and converts them to wire form. Throws a TypeError naming the bad field.
 */
export function parseResourceInput(kind: unknown, resource: unknown): ParsedResourceInput {
  assertResourceKind(kind);
  if (typeof resource !== 'object' || resource === null || Array.isArray(resource)) {
    throw new TypeError(`Expected \`resource\` to be an object, got ${JSON.stringify(resource)}`);
  }
  const input = resource as Record<string, unknown>;
  const idMember = resourceKinds[kind].idMember;
  const id = input[idMember];
  if (typeof id !== 'string' || !ENTITY_ID_PATTERN.test(id)) {
    throw new TypeError(
      `Expected \`resource.${idMember}\` to be 1-64 characters of [a-zA-Z0-9_.-], got ${JSON.stringify(id)}`,
    );
  }
  const shape = RESOURCE_SHAPES[kind];
  const fields: Record<string, unknown> = {};
  let status: EntityStatus | undefined;
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (key === 'Status') {
      if (!isEntityStatus(value)) {
        throw new TypeError(
          `Expected \`resource.Status\` to be an EntityStatus, got ${JSON.stringify(value)}`,
        );
      }
      status = value;
      continue;
    }
    const type = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (type === undefined) {
      throw new TypeError(
        `Expected \`resource\` to have only ${kind} members, got unknown member \`${key}\``,
      );
    }
    fields[key] = toWireValue(type, value, `resource.${key}`);
  }
  return { kind, id, fields, status };
}
