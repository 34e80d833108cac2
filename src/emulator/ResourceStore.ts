import type { Clock } from '../model/Clock.js';
import type { EntityStatus } from '../model/EntityStatus.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import { resourceKinds } from '../model/ResourceKind.js';
import { defaultCompletion } from './defaultCompletion.js';
import type { LifecycleSettings } from './LifecycleSettings.js';
import type { LifecycleStep, Phase } from './LifecycleScript.js';
import { buildTimeline, validateScript } from './LifecycleScript.js';
import type { RenderMode } from './renderResource.js';
import { renderResource, renderResourceJson } from './renderResource.js';
import { assertResourceKind, parseResourceInput } from './parseResourceInput.js';
import type { StoredResource } from './StoredResource.js';
import { wallSeconds } from './StoredResource.js';
import { DEFAULT_USER_ARN } from './EmulatorCredential.js';

/** A resource handed to `put`: wire member names; timestamps as `Date` or epoch seconds. */
export type ResourceInput = Readonly<Record<string, unknown>>;

/** What the store needs from the emulator. */
interface ResourceStoreOptions {
  readonly clock: Clock;
  readonly lifecycle: Readonly<Record<ResourceKind, LifecycleSettings>>;
  readonly speed: number;
  readonly random: () => number;
}

/** A stored resource as the store alone may change it. */
type MutableResource = {
  -readonly [K in keyof StoredResource]: StoredResource[K];
} & { fields: Record<string, unknown>; timeline: Phase[] };

/** What an `Update…` call changes. */
interface ResourceUpdate {
  readonly name?: string | undefined;
  /** An ML model's `ScoreThreshold` (also sets `ScoreThresholdLastUpdatedAt`). */
  readonly scoreThreshold?: number | undefined;
}

/** A reference a new resource depends on (e.g. a batch prediction's ML model). */
export interface Reference {
  readonly kind: ResourceKind;
  readonly id: string;
}

/** `https://…` log link shown as `LogUri` (a presigned-URL look-alike with no credentials in it). */
function logUri(kind: ResourceKind, id: string): string {
  return `https://aml-emulator-logs.s3.amazonaws.com/logs/${resourceKinds[kind].slug}/${id}?X-Amz-Expires=3600`;
}

/**
 * Every resource the emulator knows, by kind and id. Status is never stored: it is computed from the
 * resource's timeline and the lifecycle clock on each read.
 */
export class ResourceStore {
  readonly #byKind: Record<ResourceKind, Map<string, MutableResource>> = {
    BatchPrediction: new Map(),
    DataSource: new Map(),
    MLModel: new Map(),
    Evaluation: new Map(),
  };
  /** Ids by `Name`, per kind: `Describe…` with `FilterVariable: Name` and `EQ` reads only these. */
  readonly #byName: Record<ResourceKind, Map<string, Set<string>>> = {
    BatchPrediction: new Map(),
    DataSource: new Map(),
    MLModel: new Map(),
    Evaluation: new Map(),
  };
  readonly #options: ResourceStoreOptions;
  #version = 0;

  constructor(options: ResourceStoreOptions) {
    this.#options = options;
  }

  /**
   * Counts the changes to the store (a resource added, replaced, updated, deleted or given a new lifecycle,
   * or everything removed): what was computed from the records at one version holds until the next.
   * Statuses moving with the clock are not changes.
   */
  get version(): number {
    return this.#version;
  }

  /** The lifecycle clock's current instant. */
  now(): number {
    return this.#options.clock.now();
  }

  /** The stored record, if any (visible or not). */
  record(kind: ResourceKind, id: string): StoredResource | undefined {
    return this.#byKind[kind].get(id);
  }

  /** The records of a kind whose `Name` is `name`, in insertion order. */
  recordsNamed(kind: ResourceKind, name: string): StoredResource[] {
    const ids = this.#byName[kind].get(name);
    if (ids === undefined) return [];
    const found: StoredResource[] = [];
    for (const id of ids) {
      const record = this.#byKind[kind].get(id);
      if (record !== undefined) found.push(record);
    }
    return found;
  }

  /** Marks a resource DELETED from now (a `Delete…` call); an earlier deletion stands. */
  markDeleted(kind: ResourceKind, id: string): void {
    const record = this.#mutable(kind, id);
    const now = this.now();
    if (record.deletedAt === undefined || record.deletedAt > now) record.deletedAt = now;
    this.#changed(record);
  }

  /** Applies an `Update…` call: the name (keeping the name index current) and/or the score threshold. */
  update(kind: ResourceKind, id: string, update: ResourceUpdate): void {
    const record = this.#mutable(kind, id);
    const now = this.now();
    if (update.name !== undefined) {
      this.#unindexName(record);
      record.fields.Name = update.name;
      this.#indexName(record);
    }
    if (update.scoreThreshold !== undefined) {
      record.fields.ScoreThreshold = update.scoreThreshold;
      record.fields.ScoreThresholdLastUpdatedAt = wallSeconds(record, now);
    }
    record.updatedAt = now;
    this.#changed(record);
  }

  #mutable(kind: ResourceKind, id: string): MutableResource {
    const record = this.#byKind[kind].get(id);
    if (record === undefined)
      throw new RangeError(`Expected \`id\` to name an existing ${kind}, got ${JSON.stringify(id)}`);
    return record;
  }

  /** Every change ends here: the cached views of the record are dropped. */
  #changed(record: MutableResource): void {
    record.views.clear();
    this.#version++;
  }

  #indexName(record: StoredResource): void {
    const name = record.fields.Name;
    if (typeof name !== 'string') return;
    const byName = this.#byName[record.kind];
    let ids = byName.get(name);
    if (ids === undefined) byName.set(name, (ids = new Set()));
    ids.add(record.id);
  }

  #unindexName(record: StoredResource): void {
    const name = record.fields.Name;
    if (typeof name !== 'string') return;
    const ids = this.#byName[record.kind].get(name);
    ids?.delete(record.id);
    if (ids?.size === 0) this.#byName[record.kind].delete(name);
  }

  /** All records of a kind, in insertion order. */
  records(kind: ResourceKind): IterableIterator<StoredResource> {
    return this.#byKind[kind].values();
  }

  /** The wire view now (shared: do not mutate), or `undefined` when unknown or not visible yet. */
  view(
    kind: ResourceKind,
    id: string,
    mode: RenderMode = 'get',
  ): Readonly<Record<string, unknown>> | undefined {
    const record = this.#byKind[kind].get(id);
    return record === undefined ? undefined : renderResource(record, this.now(), mode);
  }

  /** The wire view now as JSON text, or `undefined` when unknown or not visible yet. */
  viewJson(kind: ResourceKind, id: string, mode: RenderMode): string | undefined {
    const record = this.#byKind[kind].get(id);
    return record === undefined ? undefined : renderResourceJson(record, this.now(), mode);
  }

  /** The status now, or `undefined` when unknown or not visible yet. */
  status(kind: ResourceKind, id: string): EntityStatus | undefined {
    return this.view(kind, id)?.Status as EntityStatus | undefined;
  }

  /** Removes everything. */
  clear(): void {
    for (const map of Object.values(this.#byKind)) map.clear();
    for (const map of Object.values(this.#byName)) map.clear();
    this.#version++;
  }

  /**
   * Creates a resource from an API Create call. Without a script it follows the simulated lifecycle of
   * its kind; when a reference is missing or unusable it goes PENDING → FAILED with a `Message` saying so.
   */
  create(
    kind: ResourceKind,
    id: string,
    fields: Record<string, unknown>,
    params: string,
    references: readonly Reference[],
    completion: Record<string, unknown>,
  ): StoredResource {
    const steps = this.#defaultLifecycle(kind, this.#referenceProblem(references));
    return this.#insert(kind, id, fields, steps, params, { LogUri: logUri(kind, id), ...completion });
  }

  /**
   * The simulated lifecycle of a kind (its {@link LifecycleSettings} at `speed`): not found for a while,
   * PENDING, INPROGRESS, then COMPLETED or (at `failureRate`) FAILED; with a reference `problem`,
   * PENDING then FAILED with that message.
   */
  #defaultLifecycle(kind: ResourceKind, problem: string | undefined): LifecycleStep[] {
    const settings = this.#options.lifecycle[kind];
    const speed = this.#options.speed;
    const steps: LifecycleStep[] = [];
    if (settings.notFoundForMs > 0) steps.push({ notFoundForMs: settings.notFoundForMs / speed });
    steps.push({ status: 'PENDING', forMs: settings.pendingMs / speed });
    if (problem !== undefined) {
      steps.push({ status: 'FAILED', message: problem });
      return steps;
    }
    steps.push({ status: 'INPROGRESS', forMs: settings.inProgressMs / speed });
    const failed = settings.failureRate > 0 && this.#options.random() < settings.failureRate;
    steps.push(failed ? { status: 'FAILED', message: settings.failureMessage } : { status: 'COMPLETED' });
    return steps;
  }

  #referenceProblem(references: readonly Reference[]): string | undefined {
    for (const ref of references) {
      const status = this.status(ref.kind, ref.id);
      if (status === undefined) return `${ref.kind} ${ref.id} does not exist.`;
      if (status === 'FAILED' || status === 'DELETED')
        return `${ref.kind} ${ref.id} is not usable: its status is ${status}.`;
    }
    return undefined;
  }

  #insert(
    kind: ResourceKind,
    id: string,
    fields: Record<string, unknown>,
    steps: readonly LifecycleStep[],
    params: string | undefined,
    completion: Record<string, unknown>,
  ): StoredResource {
    const clock = this.#options.clock;
    const createdClock = clock.now();
    const createdWall = clock.wallNow();
    const record: MutableResource = {
      kind,
      id,
      fields: {
        [resourceKinds[kind].idMember]: id,
        CreatedByIamUser: DEFAULT_USER_ARN,
        CreatedAt: wallSeconds({ createdWall, createdClock }, createdClock),
        ...fields,
      },
      timeline: buildTimeline(steps, createdClock),
      createdClock,
      createdWall,
      deletedAt: undefined,
      updatedAt: undefined,
      createParams: params,
      completion,
      views: new Map(),
    };
    if (kind === 'MLModel') record.fields.Algorithm ??= 'sgd';
    const replaced = this.#byKind[kind].get(id);
    if (replaced !== undefined) this.#unindexName(replaced);
    this.#byKind[kind].set(id, record);
    this.#indexName(record);
    this.#version++;
    return record;
  }

  /**
   * Adds or replaces a resource directly (in-process or control API). With `Status` and no script it
   * stays in that status; with a script it follows it from now; with neither it follows the simulated
   * lifecycle. Throws a TypeError/RangeError naming the bad field.
   */
  put(kindInput: unknown, resource: unknown, steps?: unknown): Readonly<Record<string, unknown>> | undefined {
    const { kind, id, fields, status } = parseResourceInput(kindInput, resource);
    let script: readonly LifecycleStep[];
    if (steps !== undefined) {
      validateScript(steps, 'script');
      script = steps;
    } else if (status !== undefined) {
      script = [{ status }];
    } else {
      script = this.#defaultLifecycle(kind, undefined);
    }
    const completion: Record<string, unknown> = {
      LogUri: logUri(kind, id),
      ...defaultCompletion(kind, this.#options.lifecycle[kind]),
    };
    this.#insert(kind, id, fields, script, undefined, completion);
    return this.view(kind, id);
  }

  /** Replaces the lifecycle of an existing resource with `steps`, starting now. */
  script(kind: unknown, id: unknown, steps: unknown): void {
    assertResourceKind(kind);
    const record = typeof id === 'string' ? this.#byKind[kind].get(id) : undefined;
    if (record === undefined)
      throw new RangeError(`Expected \`id\` to name an existing ${kind}, got ${JSON.stringify(id)}`);
    validateScript(steps, 'steps');
    record.timeline = buildTimeline(steps, this.now());
    record.deletedAt = undefined;
    this.#changed(record);
  }
}
