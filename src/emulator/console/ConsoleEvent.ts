import type { EntityStatus } from '../../model/EntityStatus.js';
import type { ResourceKind } from '../../model/ResourceKind.js';
import type { FaultRuleState } from '../FaultRule.js';
import type { RequestLogEntry } from '../RequestLog.js';

/**
 * The messages of the console's change stream (`GET /__console/events`, Server-Sent Events): the
 * contract between the emulator and the page. Times named `…Clock` are on the lifecycle clock
 * (`Clock.now()` ms: virtual when the emulator runs on a `VirtualClock`); `time` in request entries is
 * wall-clock epoch ms. Nothing secret is ever part of it: no secret key, session token or control token.
 */

/** One phase of a resource's lifecycle on the lifecycle clock. */
export interface ConsolePhase {
  /** `null` while the resource is not visible yet (eventual consistency). */
  readonly status: EntityStatus | null;
  readonly fromClock: number;
  /** `null` when the phase lasts for ever (the last one). */
  readonly untilClock: number | null;
  readonly message?: string | undefined;
}

/** A resource as the console shows it. */
export interface ConsoleResource {
  readonly kind: ResourceKind;
  readonly id: string;
  readonly name?: string | undefined;
  /** Its status now; `null` while it is not visible yet. */
  readonly status: EntityStatus | null;
  /** Its `Message` now, if any (for FAILED: why). */
  readonly message?: string | undefined;
  /** Past phases (as the emulator saw them) and the phases to come, in order. */
  readonly phases: readonly ConsolePhase[];
}

/** The lifecycle clock. */
export interface ConsoleClock {
  /** `Clock.now()`: the instant the phases are measured against. */
  readonly nowClock: number;
  /** `true` when the lifecycle clock is not the system clock (e.g. a `VirtualClock`). */
  readonly virtual: boolean;
}

/** `event: snapshot`: everything, sent first and after a reset. */
export interface ConsoleSnapshot {
  readonly clock: ConsoleClock;
  readonly resources: readonly ConsoleResource[];
  /** The newest retained request log entries (at most {@link SNAPSHOT_REQUESTS}), oldest first. */
  readonly requests: readonly RequestLogEntry[];
  /** Requests per resource id over the whole retained request log. */
  readonly requestCounts: Readonly<Record<string, number>>;
  readonly faults: readonly FaultRuleState[];
}

/** `event: update`: what changed since the last message (members absent when unchanged). */
export interface ConsoleUpdate {
  readonly clock: ConsoleClock;
  /** Resources that appeared or changed. */
  readonly resources?: readonly ConsoleResource[] | undefined;
  /** Resources that are gone. */
  readonly removed?: readonly { readonly kind: ResourceKind; readonly id: string }[] | undefined;
  /** New request log entries, oldest first. */
  readonly requests?: readonly RequestLogEntry[] | undefined;
  /** Requests the page missed because they left the log before being sent (a burst over its capacity). */
  readonly missedRequests?: number | undefined;
  /** The fault rules, when they or their counts changed. */
  readonly faults?: readonly FaultRuleState[] | undefined;
}

/** How many request log entries a snapshot carries. */
export const SNAPSHOT_REQUESTS = 500;

/** Path of the console (the page and its stream). */
export const CONSOLE_PREFIX = '/__console';
