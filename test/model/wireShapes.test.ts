import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RESOURCE_KINDS } from '../../src/model/ResourceKind.js';
import { LONG_MEMBERS, RESOURCE_SHAPES, TIMESTAMP_MEMBERS, type Shape } from '../../src/model/wireShapes.js';
import { sharedPath } from '../helpers/sharedPath.js';

// The one shape table, checked once against the API model: the client parses with it and the emulator
// renders with it, so a member missing or mistyped here would be wrong on both sides at once.

interface SmithyShape {
  readonly type: string;
  readonly members?: Record<string, { readonly target: string }>;
  readonly value?: { readonly target: string };
}

const NS = 'com.amazonaws.machinelearning#';
const shapes = (
  JSON.parse(readFileSync(sharedPath('reference/machine-learning-2014-12-12.smithy.json'), 'utf8')) as {
    shapes: Record<string, SmithyShape>;
  }
).shapes;

const PRELUDE: Record<string, string> = {
  'smithy.api#String': 'string',
  'smithy.api#Boolean': 'boolean',
  'smithy.api#Integer': 'integer',
  'smithy.api#Long': 'long',
  'smithy.api#Float': 'float',
  'smithy.api#Timestamp': 'timestamp',
};

function smithyShape(target: string): SmithyShape {
  const prelude = PRELUDE[target];
  if (prelude !== undefined) return { type: prelude };
  const shape = shapes[target];
  if (shape === undefined) throw new Error(`no shape ${target} in the model`);
  return shape;
}

/** The table's type for a Smithy target: what the wire carries and the client returns. */
function expectedType(target: string): unknown {
  const shape = smithyShape(target);
  switch (shape.type) {
    case 'string':
    case 'enum':
      return 'string';
    case 'timestamp':
      return 'timestamp';
    case 'long':
      return 'long';
    case 'integer':
    case 'float':
    case 'double':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'map':
      expect(smithyShape(shape.value?.target ?? '').type, `${target} values`).toBe('string');
      return 'stringMap';
    case 'structure':
      return Object.fromEntries(
        Object.entries(shape.members ?? {}).map(([member, { target: inner }]) => [
          member,
          expectedType(inner),
        ]),
      );
    default:
      throw new Error(`unexpected shape type ${shape.type} for ${target}`);
  }
}

function membersOf(name: string): string[] {
  return Object.keys(smithyShape(NS + name).members ?? {});
}

/** `order` restricted to the members of `subset`, in `order`'s order. */
function restricted(order: readonly string[], subset: readonly string[]): string[] {
  return order.filter((member) => subset.includes(member));
}

describe('the resource shape table matches the Smithy model', () => {
  it.each(RESOURCE_KINDS)('%s: Get…Output ∪ Describe… element, same members, types and order', (kind) => {
    const table: Shape = RESOURCE_SHAPES[kind];
    const getMembers = membersOf(`Get${kind}Output`);
    const elementMembers = membersOf(kind);
    const union = [...new Set([...getMembers, ...elementMembers])];
    const tableMembers = Object.keys(table);
    expect([...tableMembers].sort()).toEqual([...union].sort());
    // The emulator renders in the table's order: it must be the model's order for both outputs.
    expect(restricted(tableMembers, getMembers)).toEqual(getMembers);
    expect(restricted(tableMembers, elementMembers)).toEqual(elementMembers);
    for (const member of tableMembers) {
      const output =
        shapes[`${NS}Get${kind}Output`]?.members?.[member] ?? shapes[NS + kind]?.members?.[member];
      expect(table[member], `${kind}.${member}`).toEqual(expectedType(output?.target ?? ''));
    }
  });

  it('derives the timestamp and long member sets from the table, nested members included', () => {
    expect([...TIMESTAMP_MEMBERS].sort()).toEqual([
      'CreatedAt',
      'FinishedAt',
      'LastUpdatedAt',
      'ScoreThresholdLastUpdatedAt',
      'StartedAt',
    ]);
    expect([...LONG_MEMBERS].sort()).toEqual([
      'ComputeTime',
      'DataSizeInBytes',
      'InvalidRecordCount',
      'NumberOfFiles',
      'SizeInBytes',
      'TotalRecordCount',
    ]);
    expect((RESOURCE_SHAPES.MLModel.EndpointInfo as Shape).CreatedAt).toBe('timestamp');
  });
});
