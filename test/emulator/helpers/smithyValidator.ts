import { sharedPath } from '../../helpers/sharedPath.js';
import { readFileSync } from 'node:fs';

/** The model file these tests validate against. */
export const SMITHY_MODEL_PATH = sharedPath('reference/machine-learning-2014-12-12.smithy.json');
const NS = 'com.amazonaws.machinelearning#';

interface Shape {
  readonly type: string;
  readonly members?: Record<string, { target: string; traits?: Record<string, unknown> }>;
  readonly member?: { target: string };
  readonly key?: { target: string };
  readonly value?: { target: string };
  readonly traits?: Record<string, unknown>;
}

let shapes: Record<string, Shape> | undefined;

function model(): Record<string, Shape> {
  shapes ??= (JSON.parse(readFileSync(SMITHY_MODEL_PATH, 'utf8')) as { shapes: Record<string, Shape> })
    .shapes;
  return shapes;
}

const PRELUDE: Record<string, string> = {
  'smithy.api#String': 'string',
  'smithy.api#Boolean': 'boolean',
  'smithy.api#Integer': 'integer',
  'smithy.api#Long': 'long',
  'smithy.api#Float': 'float',
  'smithy.api#Double': 'double',
  'smithy.api#Timestamp': 'timestamp',
};

/**
 * Validates a JSON value (as received on the wire, awsJson1_1) against a shape of the Smithy model:
 * structure members (no unknown members, required ones present), string length/pattern/enum, enum
 * shapes, integer/long integrality and range, timestamps as epoch-second numbers, booleans, floats,
 * lists and maps. Returns the list of violations (empty when valid), each with a JSON path.
 */
export function validateShape(shapeName: string, value: unknown, path = '$'): string[] {
  const errors: string[] = [];
  walk(shapeName.includes('#') ? shapeName : NS + shapeName, value, path, errors);
  return errors;
}

function walk(target: string, value: unknown, path: string, errors: string[]): void {
  const prelude = PRELUDE[target];
  const shape: Shape | undefined = prelude === undefined ? model()[target] : { type: prelude };
  if (shape === undefined) {
    errors.push(`${path}: unknown shape ${target}`);
    return;
  }
  const traits = shape.traits ?? {};
  switch (shape.type) {
    case 'structure': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        errors.push(`${path}: expected an object for ${target}`);
        return;
      }
      const members = shape.members ?? {};
      for (const [name, member] of Object.entries(members)) {
        const v = (value as Record<string, unknown>)[name];
        if (v === undefined) {
          // Output members are optional on the wire; required only matters for inputs.
          if (member.traits?.['smithy.api#required'] !== undefined && target.endsWith('Input')) {
            errors.push(`${path}.${name}: required member missing`);
          }
          continue;
        }
        walk(member.target, v, `${path}.${name}`, errors);
      }
      for (const name of Object.keys(value)) {
        if (!(name in members)) errors.push(`${path}.${name}: not a member of ${target}`);
      }
      return;
    }
    case 'list': {
      if (!Array.isArray(value)) {
        errors.push(`${path}: expected an array`);
        return;
      }
      value.forEach((item, i) => {
        walk(shape.member?.target ?? '', item, `${path}[${i}]`, errors);
      });
      checkLength(traits, value.length, path, errors);
      return;
    }
    case 'map': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        errors.push(`${path}: expected an object (map)`);
        return;
      }
      for (const [k, v] of Object.entries(value)) {
        walk(shape.key?.target ?? 'smithy.api#String', k, `${path}{key ${k}}`, errors);
        walk(shape.value?.target ?? '', v, `${path}.${k}`, errors);
      }
      return;
    }
    case 'string': {
      if (typeof value !== 'string') {
        errors.push(`${path}: expected a string, got ${JSON.stringify(value)}`);
        return;
      }
      checkLength(traits, Array.from(value).length, path, errors); // Smithy counts Unicode scalar values
      const pattern = traits['smithy.api#pattern'];
      if (typeof pattern === 'string' && !new RegExp(pattern, 'u').test(value)) {
        errors.push(`${path}: ${JSON.stringify(value)} does not match ${pattern}`);
      }
      return;
    }
    case 'enum': {
      const allowed = Object.entries(shape.members ?? {}).map(
        ([name, m]) => (m.traits?.['smithy.api#enumValue'] as string | undefined) ?? name,
      );
      if (typeof value !== 'string' || !allowed.includes(value)) {
        errors.push(`${path}: ${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
      }
      return;
    }
    case 'integer':
    case 'long': {
      if (typeof value !== 'number' || !Number.isInteger(value)) {
        errors.push(`${path}: expected an integer, got ${JSON.stringify(value)}`);
        return;
      }
      if (shape.type === 'integer' && (value < -(2 ** 31) || value >= 2 ** 31))
        errors.push(`${path}: outside int32`);
      const range = traits['smithy.api#range'] as { min?: number; max?: number } | undefined;
      if (range?.min !== undefined && value < range.min) errors.push(`${path}: ${value} < min ${range.min}`);
      if (range?.max !== undefined && value > range.max) errors.push(`${path}: ${value} > max ${range.max}`);
      return;
    }
    case 'float':
    case 'double':
      if (typeof value !== 'number' && !['NaN', 'Infinity', '-Infinity'].includes(value as string)) {
        errors.push(`${path}: expected a number, got ${JSON.stringify(value)}`);
      }
      return;
    case 'timestamp':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        errors.push(`${path}: expected epoch seconds as a JSON number, got ${JSON.stringify(value)}`);
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean')
        errors.push(`${path}: expected a boolean, got ${JSON.stringify(value)}`);
      return;
    default:
      errors.push(`${path}: unsupported shape type ${shape.type}`);
  }
}

function checkLength(traits: Record<string, unknown>, length: number, path: string, errors: string[]): void {
  const range = traits['smithy.api#length'] as { min?: number; max?: number } | undefined;
  if (range?.min !== undefined && length < range.min) errors.push(`${path}: length ${length} < ${range.min}`);
  if (range?.max !== undefined && length > range.max) errors.push(`${path}: length ${length} > ${range.max}`);
}

/** The output shape of an operation, e.g. `GetBatchPredictionOutput`. */
export function outputShapeOf(operation: string): string {
  const op = model()[NS + operation];
  const output = (op as unknown as { output?: { target: string } } | undefined)?.output?.target;
  if (output === undefined) throw new Error(`No operation ${operation} in the model`);
  return output;
}

/** The error shape for an error type, when the model defines it (e.g. `ResourceNotFoundException`). */
export function errorShape(errorType: string): { shape: string; httpError: number | undefined } | undefined {
  const shape = model()[NS + errorType];
  if (shape === undefined) return undefined;
  return { shape: NS + errorType, httpError: shape.traits?.['smithy.api#httpError'] as number | undefined };
}
