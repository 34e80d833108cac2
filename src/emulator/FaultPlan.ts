import type { FaultRule } from './FaultRule.js';

/** What the list faults make of one `Describe…` answer. */
export interface ListView {
  readonly empty: boolean;
  readonly lagMs: number;
}

/** The faults that apply to one request, as the fault kinds' definitions (`faultKinds`) fill it in. */
export interface FaultPlan {
  /** The rule that decides the answer, if any. */
  terminal: FaultRule | undefined;
  /** Real-time delay before handling, in ms. */
  delayMs: number;
  /** Skew of the `Date` header, in ms. */
  skewMs: number;
  quirk: 'typeOnly' | 'headerOnly' | 'fullyQualified' | 'numericCode' | undefined;
  largeLongs: boolean;
  /** How `Describe…` pages read: empty, or from an index this far behind (ms). */
  listView: ListView | undefined;
  /** Kinds of the rules applied (for the request log). */
  applied: string[];
}
