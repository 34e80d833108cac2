import type { EntityStatus } from '../model/EntityStatus.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import { RESOURCE_SHAPES } from '../model/wireShapes.js';
import type { Phase } from './LifecycleScript.js';
import { phaseIndexAt } from './LifecycleScript.js';
import type { CachedView, StoredResource } from './StoredResource.js';
import { wallSeconds } from './StoredResource.js';

/** Which response a view is for: `Get…`, `Get…` with `Verbose: true`, or an element of `Describe…` `Results`. */
export type RenderMode = 'get' | 'verbose' | 'describe';

/** Members of each kind, in the model's order (the JSON member order of responses). */
const MEMBERS: Readonly<Record<ResourceKind, readonly string[]>> = {
  BatchPrediction: Object.keys(RESOURCE_SHAPES.BatchPrediction),
  DataSource: Object.keys(RESOURCE_SHAPES.DataSource),
  MLModel: Object.keys(RESOURCE_SHAPES.MLModel),
  Evaluation: Object.keys(RESOURCE_SHAPES.Evaluation),
};

/** Members left out of a view, per mode and kind (reference §4.4, §4.5). */
const OMITTED: Readonly<Record<RenderMode, Readonly<Record<ResourceKind, ReadonlySet<string>>>>> = {
  get: {
    BatchPrediction: new Set(),
    DataSource: new Set(['DataSourceSchema']),
    MLModel: new Set(['Recipe', 'Schema', 'Algorithm']),
    Evaluation: new Set(),
  },
  verbose: {
    BatchPrediction: new Set(),
    DataSource: new Set(),
    MLModel: new Set(['Algorithm']),
    Evaluation: new Set(),
  },
  describe: {
    BatchPrediction: new Set(['LogUri']),
    DataSource: new Set(['LogUri', 'DataSourceSchema']),
    MLModel: new Set(['LogUri', 'Recipe', 'Schema']),
    Evaluation: new Set(['LogUri']),
  },
};

/** Members that only appear once a job has COMPLETED (and stay when it is later DELETED). */
const COMPLETED_ONLY: ReadonlySet<string> = new Set([
  'ComputeTime',
  'LogUri',
  'TotalRecordCount',
  'InvalidRecordCount',
  'DataSizeInBytes',
  'NumberOfFiles',
  'SizeInBytes',
  'PerformanceMetrics',
]);

function allowedFor(member: string, status: EntityStatus): boolean {
  if (member === 'StartedAt') return status !== 'PENDING';
  if (member === 'FinishedAt') return status === 'COMPLETED' || status === 'FAILED';
  if (COMPLETED_ONLY.has(member)) return status === 'COMPLETED';
  return true;
}

function phase(timeline: readonly Phase[], index: number): Phase {
  const found = timeline[index];
  if (found === undefined) throw new RangeError(`No lifecycle phase ${index}`);
  return found;
}

/** The body of phase `index` (a real status, not DELETED) as it reads while that phase lasts. */
function renderPhase(record: StoredResource, index: number, status: EntityStatus): Record<string, unknown> {
  const timeline = record.timeline;
  const current = phase(timeline, index);
  const computed: Record<string, unknown> = {};
  let startedAt: number | undefined;
  for (let i = 0; i <= index; i++) {
    const p = phase(timeline, i);
    if (p.status !== null && p.status !== 'PENDING') {
      startedAt = p.from;
      break;
    }
  }
  const createdAt = record.fields.CreatedAt;
  const phaseStart = wallSeconds(record, current.from);
  computed.LastUpdatedAt = typeof createdAt === 'number' && createdAt > phaseStart ? createdAt : phaseStart;
  if (status !== 'PENDING' && startedAt !== undefined) computed.StartedAt = wallSeconds(record, startedAt);
  if (status === 'COMPLETED' || status === 'FAILED') computed.FinishedAt = phaseStart;
  if (status === 'COMPLETED') {
    Object.assign(computed, record.completion);
    computed.Message = '';
    const started = typeof computed.StartedAt === 'number' ? computed.StartedAt : phaseStart;
    computed.ComputeTime = Math.max(0, Math.round((phaseStart - started) * 1000));
  }
  if (current.message !== undefined) computed.Message = current.message;
  const merged: Record<string, unknown> = { ...computed };
  for (const [key, value] of Object.entries(record.fields)) {
    if (value !== undefined && allowedFor(key, status)) merged[key] = value;
  }
  if (record.updatedAt !== undefined) {
    const updated = wallSeconds(record, record.updatedAt);
    if (typeof merged.LastUpdatedAt !== 'number' || merged.LastUpdatedAt < updated)
      merged.LastUpdatedAt = updated;
  }
  for (let i = 0; i <= index; i++) {
    const fields = phase(timeline, i).fields;
    if (fields !== undefined) Object.assign(merged, fields);
  }
  merged.Status = status;
  return merged;
}

/**
 * The wire view of `record` at lifecycle-clock instant `now`, or `undefined` while it is not visible
 * (eventual consistency). Status-dependent members follow reference §10.2: no `StartedAt` while PENDING,
 * `FinishedAt` only for COMPLETED/FAILED, `ComputeTime` and record counts only for COMPLETED; a DELETED
 * resource shows the body of its last state with `Status: DELETED`.
 */
export function renderResource(
  record: StoredResource,
  now: number,
  mode: RenderMode,
): Readonly<Record<string, unknown>> | undefined {
  return cachedView(record, now, mode)?.view;
}

/** Like {@link renderResource}, as JSON text (cached with the view). */
export function renderResourceJson(
  record: StoredResource,
  now: number,
  mode: RenderMode,
): string | undefined {
  const cached = cachedView(record, now, mode);
  if (cached === undefined) return undefined;
  cached.json ??= JSON.stringify(cached.view);
  return cached.json;
}

function cachedView(record: StoredResource, now: number, mode: RenderMode): CachedView | undefined {
  const deletedAt = record.deletedAt !== undefined && now >= record.deletedAt ? record.deletedAt : undefined;
  const index = phaseIndexAt(record.timeline, deletedAt ?? now);
  const key = `${mode}${index}${deletedAt === undefined ? '' : 'd'}`;
  let cached = record.views.get(key);
  if (cached === undefined) {
    const view = render(record, index, deletedAt, mode);
    if (view === undefined) return undefined;
    cached = { view, json: undefined };
    record.views.set(key, cached);
  }
  return cached;
}

function render(
  record: StoredResource,
  index: number,
  deletedAt: number | undefined,
  mode: RenderMode,
): Record<string, unknown> | undefined {
  const timeline = record.timeline;
  const current = phase(timeline, index);
  if (current.status === null && deletedAt === undefined) return undefined;
  let body: Record<string, unknown>;
  if (deletedAt !== undefined || current.status === 'DELETED' || current.status === null) {
    const deletedClock = deletedAt ?? current.from;
    let real = -1;
    let realStatus: EntityStatus | undefined;
    for (let i = index; i >= 0; i--) {
      const s = phase(timeline, i).status;
      if (s !== null && s !== 'DELETED') {
        real = i;
        realStatus = s;
        break;
      }
    }
    body = realStatus === undefined ? renderPendingShell(record) : renderPhase(record, real, realStatus);
    if (realStatus === 'PENDING') delete body.StartedAt;
    body.Status = 'DELETED';
    body.LastUpdatedAt = wallSeconds(record, deletedClock);
  } else {
    body = renderPhase(record, index, current.status);
  }
  const omitted = OMITTED[mode][record.kind];
  const out: Record<string, unknown> = {};
  for (const member of MEMBERS[record.kind]) {
    const value = body[member];
    if (value !== undefined && !omitted.has(member)) out[member] = value;
  }
  return out;
}

function renderPendingShell(record: StoredResource): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record.fields)) {
    if (allowedFor(key, 'PENDING')) out[key] = value;
  }
  out.LastUpdatedAt = record.fields.CreatedAt;
  return out;
}
