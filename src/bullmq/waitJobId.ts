import { describeValue } from '../model/describeValue.js';
import { isValidEntityId } from '../model/entityId.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import { isResourceKind } from '../model/ResourceKind.js';

/**
 * The BullMQ job id of the fleet wait on one resource: `<kind>.<id>` (e.g. `BatchPrediction.bp-123`).
 * One id per resource is what makes duplicate waits coalesce across the fleet. BullMQ refuses `:` and
 * all-digit custom ids; kinds and Amazon ML ids (`[a-zA-Z0-9_.-]`) never produce either.
 *
 * @throws {TypeError} when `kind` is not a resource kind or `id` is not a valid Amazon ML id.
 */
export function waitJobId(kind: ResourceKind, id: string): string {
  if (!isResourceKind(kind)) {
    throw new TypeError(`Expected \`kind\` to be a resource kind, got ${describeValue(kind)}.`);
  }
  if (!isValidEntityId(id)) {
    throw new TypeError(`Expected \`id\` to be 1-64 characters of [a-zA-Z0-9_.-], got ${describeValue(id)}.`);
  }
  return `${kind}.${id}`;
}
