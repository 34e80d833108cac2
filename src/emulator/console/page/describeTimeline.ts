import type { ConsolePhase } from '../ConsoleEvent.js';
import { formatDuration } from './dom.js';

/** The words of a phase: its status, or `not visible yet` before a new resource shows (eventual consistency). */
export function phaseLabel(phase: ConsolePhase): string {
  return phase.status ?? 'not visible yet';
}

/**
 * A resource's lifecycle in words (the timeline is drawn too, but must read without colour or sight):
 * `PENDING 0 ms–2.0 s, INPROGRESS 2.0 s–5.0 s, COMPLETED from 5.0 s; now 3.1 s after creation`.
 */
export function describeTimeline(phases: readonly ConsolePhase[], nowClock: number): string {
  const start = phases[0]?.fromClock ?? nowClock;
  const parts = phases.map((phase) => {
    const from = formatDuration(phase.fromClock - start);
    const label = phaseLabel(phase);
    return phase.untilClock === null
      ? `${label} from ${from}`
      : `${label} ${from}–${formatDuration(phase.untilClock - start)}`;
  });
  return `${parts.join(', ')}; now ${formatDuration(nowClock - start)} after creation`;
}
