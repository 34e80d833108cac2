import { brandGuard } from '../client/brandGuard.js';

/**
 * A fleet wait's job failed for a reason other than the wait's own outcome: its worker kept crashing
 * (stalled more than `maxStalledCount` times), the job was removed, or the processor threw an
 * unexpected error on its last attempt. `failedReason` is BullMQ's text; `jobId` names the job.
 */
export class FleetJobError extends Error {
  override readonly name = 'FleetJobError' as const;
  /** Stable code, survives duplicate installs. */
  readonly code = 'FLEET_JOB_FAILED' as const;
  /** Brand for {@link isFleetJobError}, which also works across duplicate installs. */
  readonly isAmlFleetJobError = true as const;
  /** The wait's job id (`<kind>.<id>`). */
  readonly jobId: string;
  /** BullMQ's `failedReason`, if the job still exists. */
  readonly failedReason: string | undefined;

  constructor(jobId: string, failedReason: string | undefined, message?: string) {
    super(message ?? `The fleet wait job ${jobId} failed: ${failedReason ?? 'no reason recorded'}.`);
    this.jobId = jobId;
    this.failedReason = failedReason;
  }
}

/** `true` for a {@link FleetJobError}, also from another copy of this package. */
export const isFleetJobError: (error: unknown) => error is FleetJobError = brandGuard(
  FleetJobError,
  'isAmlFleetJobError',
  (code) => code === 'FLEET_JOB_FAILED',
);
