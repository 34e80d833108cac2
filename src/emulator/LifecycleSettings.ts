import type { ResourceKind } from '../model/ResourceKind.js';

/**
 * How a resource created without a script moves through its lifecycle (durations in lifecycle-clock
 * milliseconds, before the `speed` multiplier). Defaults: 1000 ms PENDING, then 2000 ms INPROGRESS, then
 * COMPLETED; no failures; 1000 records, none invalid — so a resource created with defaults completes
 * about 3 s after its Create call.
 */
export interface LifecycleSettings {
  /** Time spent PENDING. Default 1000. */
  readonly pendingMs: number;
  /** Time spent INPROGRESS. Default 2000. */
  readonly inProgressMs: number;
  /** Probability (0..1, drawn from the emulator's `random`) that the job ends FAILED. Default 0. */
  readonly failureRate: number;
  /** `Message` of a simulated failure. */
  readonly failureMessage: string;
  /** `TotalRecordCount` of a completed batch prediction. Default 1000. */
  readonly totalRecordCount: number;
  /** `InvalidRecordCount` of a completed batch prediction. Default 0. */
  readonly invalidRecordCount: number;
  /** Eventual consistency: Get/Describe answer "not found" for this long after Create. Default 0. */
  readonly notFoundForMs: number;
}

/** Lifecycle settings as given in options: any subset, plus per-kind overrides. */
export interface LifecycleSettingsInput extends Partial<LifecycleSettings> {
  /** Overrides for one kind, e.g. `{ MLModel: { inProgressMs: 10_000 } }`. */
  readonly byKind?: Partial<Record<ResourceKind, Partial<LifecycleSettings>>> | undefined;
}

/** The documented defaults. */
export const DEFAULT_LIFECYCLE: LifecycleSettings = Object.freeze({
  pendingMs: 1000,
  inProgressMs: 2000,
  failureRate: 0,
  failureMessage: 'The job failed: the emulator simulated a processing error.',
  totalRecordCount: 1000,
  invalidRecordCount: 0,
  notFoundForMs: 0,
});

function check(settings: Partial<LifecycleSettings>, field: string): void {
  for (const key of [
    'pendingMs',
    'inProgressMs',
    'notFoundForMs',
    'totalRecordCount',
    'invalidRecordCount',
  ] as const) {
    const value = settings[key];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
      throw new RangeError(`Expected \`${field}.${key}\` to be a finite number >= 0, got ${String(value)}`);
    }
  }
  for (const key of ['totalRecordCount', 'invalidRecordCount'] as const) {
    const value = settings[key];
    if (value !== undefined && !Number.isSafeInteger(value)) {
      throw new RangeError(`Expected \`${field}.${key}\` to be an integer, got ${String(value)}`);
    }
  }
  const rate = settings.failureRate;
  if (rate !== undefined && !(typeof rate === 'number' && rate >= 0 && rate <= 1)) {
    throw new RangeError(`Expected \`${field}.failureRate\` to be a number in 0..1, got ${String(rate)}`);
  }
  const message = settings.failureMessage;
  if (message !== undefined && (typeof message !== 'string' || message.length > 10240)) {
    throw new TypeError(`Expected \`${field}.failureMessage\` to be a string of at most 10240 characters`);
  }
}

/** Validates lifecycle options and merges them over the defaults, one settings object per kind. */
export function resolveLifecycleSettings(
  input: LifecycleSettingsInput | undefined,
): Readonly<Record<ResourceKind, LifecycleSettings>> {
  const base = input ?? {};
  if (typeof base !== 'object') {
    throw new TypeError(`Expected \`lifecycle\` to be an object, got ${typeof base}`);
  }
  check(base, 'lifecycle');
  const { byKind, ...common } = base;
  const merged: LifecycleSettings = { ...DEFAULT_LIFECYCLE, ...stripUndefined(common) };
  const result = {} as Record<ResourceKind, LifecycleSettings>;
  for (const kind of ['BatchPrediction', 'DataSource', 'MLModel', 'Evaluation'] as const) {
    const own = byKind?.[kind] ?? {};
    check(own, `lifecycle.byKind.${kind}`);
    result[kind] = Object.freeze({ ...merged, ...stripUndefined(own) });
  }
  return Object.freeze(result);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
