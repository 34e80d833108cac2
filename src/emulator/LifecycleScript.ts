import type { EntityStatus } from '../model/EntityStatus.js';

/** Emulates eventual consistency: Get/Describe answer "not found" for this long (first step only). */
export interface NotFoundStep {
  readonly notFoundForMs: number;
}

/** A step in a lifecycle script: the resource shows `status` for `forMs` milliseconds of the lifecycle clock. */
export interface StatusStep {
  readonly status: EntityStatus;
  /** How long the status lasts; omit on the last step (it then lasts forever). */
  readonly forMs?: number | undefined;
  /** `Message` while in this status (for FAILED: the failure reason). */
  readonly message?: string | undefined;
  /** Extra wire members shown from this step on (e.g. `{ TotalRecordCount: 5 }`), in wire form. */
  readonly fields?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * One step of a resource's scripted lifecycle, e.g.
 * `[{ notFoundForMs: 500 }, { status: 'PENDING', forMs: 1000 }, { status: 'INPROGRESS', forMs: 5000 }, { status: 'FAILED', message: 'Bad data' }]`.
 * Rules: `notFoundForMs` only first; PENDING/INPROGRESS need `forMs` unless last; COMPLETED/FAILED may only be
 * followed by DELETED; DELETED is last.
 */
export type LifecycleStep = NotFoundStep | StatusStep;

/** A step placed on the lifecycle clock. `status` is `null` while the resource is not visible yet. */
export interface Phase {
  readonly status: EntityStatus | null;
  readonly from: number;
  readonly until: number;
  readonly message: string | undefined;
  readonly fields: Readonly<Record<string, unknown>> | undefined;
}

const STATUSES: ReadonlySet<string> = new Set(['PENDING', 'INPROGRESS', 'COMPLETED', 'FAILED', 'DELETED']);

function isDuration(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && !Number.isNaN(value);
}

/** Validates a script; throws a TypeError/RangeError naming the offending step (`${field}[i]`). */
export function validateScript(steps: unknown, field = 'steps'): asserts steps is readonly LifecycleStep[] {
  if (!Array.isArray(steps) || steps.length === 0) {
    throw new TypeError(
      `Expected \`${field}\` to be a non-empty array of lifecycle steps, got ${JSON.stringify(steps)}`,
    );
  }
  const list = steps as unknown[];
  list.forEach((raw, index) => {
    const name = `${field}[${index}]`;
    if (typeof raw !== 'object' || raw === null)
      throw new TypeError(`Expected \`${name}\` to be an object, got ${String(raw)}`);
    const step = raw as Record<string, unknown>;
    const last = index === list.length - 1;
    if ('notFoundForMs' in step) {
      if (index !== 0) throw new TypeError(`Expected \`${name}.notFoundForMs\` only in the first step`);
      if (!isDuration(step.notFoundForMs) || step.notFoundForMs === Infinity) {
        throw new RangeError(
          `Expected \`${name}.notFoundForMs\` to be a finite number >= 0, got ${String(step.notFoundForMs)}`,
        );
      }
      if (last) throw new TypeError(`Expected \`${field}\` to have a status step after \`notFoundForMs\``);
      return;
    }
    const status = step.status;
    if (typeof status !== 'string' || !STATUSES.has(status)) {
      throw new TypeError(
        `Expected \`${name}.status\` to be PENDING, INPROGRESS, COMPLETED, FAILED or DELETED, got ${JSON.stringify(status)}`,
      );
    }
    if (step.forMs !== undefined && !isDuration(step.forMs)) {
      throw new RangeError(
        `Expected \`${name}.forMs\` to be a number >= 0, got ${JSON.stringify(step.forMs)}`,
      );
    }
    if (!last && step.forMs === undefined) {
      throw new TypeError(`Expected \`${name}.forMs\` on a step that is not the last one`);
    }
    if (status === 'DELETED' && !last)
      throw new TypeError(`Expected \`${name}\` (DELETED) to be the last step`);
    if ((status === 'COMPLETED' || status === 'FAILED') && !last) {
      const next = list[index + 1] as Record<string, unknown> | null;
      if (next?.status !== 'DELETED') {
        throw new TypeError(`Expected \`${name}\` (${status}) to be last or followed by DELETED`);
      }
    }
    if (step.message !== undefined && (typeof step.message !== 'string' || step.message.length > 10240)) {
      throw new TypeError(`Expected \`${name}.message\` to be a string of at most 10240 characters`);
    }
    if (
      step.fields !== undefined &&
      (typeof step.fields !== 'object' || step.fields === null || Array.isArray(step.fields))
    ) {
      throw new TypeError(`Expected \`${name}.fields\` to be an object, got ${JSON.stringify(step.fields)}`);
    }
  });
}

/** Places validated steps on the lifecycle clock, starting at `start`. */
export function buildTimeline(steps: readonly LifecycleStep[], start: number): Phase[] {
  const phases: Phase[] = [];
  let at = start;
  for (const step of steps) {
    if ('notFoundForMs' in step) {
      phases.push({
        status: null,
        from: at,
        until: at + step.notFoundForMs,
        message: undefined,
        fields: undefined,
      });
      at += step.notFoundForMs;
      continue;
    }
    const until = step.forMs === undefined ? Infinity : at + step.forMs;
    phases.push({ status: step.status, from: at, until, message: step.message, fields: step.fields });
    at = until;
  }
  return phases;
}

/** Index of the phase in effect at `now` (the last phase once the script has run out). */
export function phaseIndexAt(timeline: readonly Phase[], now: number): number {
  let index = 0;
  for (const phase of timeline) {
    if (now < phase.until) return index;
    index++;
  }
  return timeline.length - 1;
}
