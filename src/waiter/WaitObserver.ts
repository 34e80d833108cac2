/*
 * The two halves of one seam between a wait's loop and its trace: what the trace hears as the wait runs,
 * and what it reads at the end.
 */

/**
 * @internal What a wait's trace hears of it, without an event being built: each transition and each
 * retry, and the end (with the totals, see {@link WaitTally}; `error` unless the resource is COMPLETED).
 */
export interface WaitObserver {
  transition(from: string | null, to: string, attempt: number, elapsedMs: number): void;
  retry(error: unknown, delayMs: number, attempt: number): void;
  end(tally: WaitTally, error?: unknown): void;
}

/** @internal A wait's totals so far, as its trace reads them at the end. */
export interface WaitTally {
  /** Poll cycles this session has run. */
  readonly polls: number;
  /** Requests sent for the wait (a resumed checkpoint's included). */
  readonly attempts: number;
  /** The last status seen (a resumed checkpoint's included). */
  readonly status: string | undefined;
  readonly lastResource: unknown;
}
