import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';
import { RESOURCE_SHAPES, type MemberType, type Shape } from '../model/wireShapes.js';

function toDate(value: unknown): Date | undefined {
  let ms: number;
  if (typeof value === 'number') ms = Math.round(value * 1000);
  else if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) {
    ms = Math.round(Number(value) * 1000);
  } else if (typeof value === 'string') ms = Date.parse(value);
  else return undefined;
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

function toNumber(value: unknown, integer: boolean): number | undefined {
  let number: number;
  if (typeof value === 'number') number = value;
  else if (typeof value === 'string' && value.trim() !== '') {
    if (value === 'NaN') return Number.NaN;
    if (value === 'Infinity') return Number.POSITIVE_INFINITY;
    if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
    number = Number(value);
  } else return undefined;
  if (Number.isNaN(number)) return undefined;
  return integer && !Number.isInteger(number) ? undefined : number;
}

function readMember(type: MemberType, value: unknown): unknown {
  switch (type) {
    case 'string':
      return typeof value === 'string' ? value : undefined;
    case 'timestamp':
      return toDate(value);
    case 'long':
      return toNumber(value, true);
    case 'number':
      return toNumber(value, false);
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'stringMap': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
      const map: Record<string, string> = {};
      for (const [key, entry] of Object.entries(value as Record<string, unknown>)) {
        if (typeof entry === 'string' && key !== '__proto__') map[key] = entry;
      }
      return map;
    }
    default:
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? parseShape(type, value as Record<string, unknown>)
        : undefined;
  }
}

/**
 * Reads a structure from parsed JSON: known members only, with their wire types converted
 * (epoch seconds → `Date`, integers for longs). A member with an unexpected JSON type is dropped
 * rather than failing the whole call.
 */
function parseShape(shape: Shape, json: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const member in json) {
    const type = shape[member];
    if (type === undefined || !Object.hasOwn(shape, member)) continue;
    const value = json[member];
    if (value === null || value === undefined) continue;
    const read = readMember(type, value);
    if (read !== undefined) out[member] = read;
  }
  return out;
}

/** Parses one resource of `kind` (a `Get…` output or a `Describe…` result element). */
export function parseResource<K extends ResourceKind>(
  kind: K,
  json: Record<string, unknown>,
): ResourceByKind[K] {
  return parseShape(RESOURCE_SHAPES[kind], json);
}
