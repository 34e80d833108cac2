import type { ResourceKind } from '../model/ResourceKind.js';
import type { Phase } from './LifecycleScript.js';

/**
 * A resource as the emulator keeps it: static wire members plus a lifecycle timeline. Its status and
 * the status-dependent members are computed from the lifecycle clock whenever it is read (lazily: no
 * timers are armed). Read-only outside the {@link ResourceStore}: every change goes through one of its
 * methods, which also drops the cached views and records the update instant.
 */
export interface StoredResource {
  readonly kind: ResourceKind;
  readonly id: string;
  /** Static members in wire form (timestamps as epoch seconds), as created, put or updated. */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The lifecycle, on the lifecycle clock (`Clock.now()` milliseconds). */
  readonly timeline: readonly Phase[];
  /** `Clock.now()` and `Clock.wallNow()` at creation: wall time of clock instant t is `createdWall + (t - createdClock)`. */
  readonly createdClock: number;
  readonly createdWall: number;
  /** Lifecycle-clock instant of the Delete call, if any. */
  readonly deletedAt: number | undefined;
  /** Lifecycle-clock instant of the last Update call, if any. */
  readonly updatedAt: number | undefined;
  /** Canonical JSON of the Create input (idempotency check); `undefined` for resources added with `put`. */
  readonly createParams: string | undefined;
  /** Values shown once COMPLETED (record counts, sizes, metrics), in wire form. */
  readonly completion: Readonly<Record<string, unknown>>;
  /**
   * Rendered views by mode and lifecycle phase (a view only changes at phase boundaries); the store
   * clears it on every change.
   */
  readonly views: Map<string, CachedView>;
}

/** A rendered view and, once needed, its JSON text. */
export interface CachedView {
  readonly view: Readonly<Record<string, unknown>>;
  json: string | undefined;
}

/**
 * The wire timestamp (epoch seconds) of lifecycle-clock instant `clockMs` for this record, in whole
 * milliseconds like every timestamp AWS sends (`1733390000.123`): a lifecycle at `speed` 3 or an update
 * on a clock with sub-millisecond precision never shows `…0.1234567`.
 */
export function wallSeconds(
  record: Pick<StoredResource, 'createdWall' | 'createdClock'>,
  clockMs: number,
): number {
  return Math.round(record.createdWall + (clockMs - record.createdClock)) / 1000;
}
