import type { Clock } from '../model/Clock.js';
import type { WaitEvent } from '../waiter/WaitEvent.js';
import type { CliStream } from './CliIo.js';
import { LiveProgressView } from './LiveProgressView.js';
import { PlainProgressView } from './PlainProgressView.js';
import type { Styler } from './Styler.js';
import type { WaitState } from './WaitState.js';

/** Shows the waits' progress on stderr. `run` calls it after updating a {@link WaitState}. */
export interface ProgressView {
  /** Starts drawing (the live view starts its redraw timer). */
  start(): void;
  /** An event was folded into `state`. */
  event(state: WaitState, event: WaitEvent): void;
  /** `state` has just got its outcome. */
  finished(state: WaitState): void;
  /** A message for the user (e.g. "interrupted"), printed above the live block or as a plain line. */
  notice(text: string): void;
  /** Draws the final state and releases the terminal (cursor shown again). Idempotent. */
  stop(): void;
}

/** Where and how to show progress. */
export interface ProgressViewOptions {
  readonly stream: CliStream;
  readonly states: readonly WaitState[];
  readonly style: Styler;
  readonly clock: Clock;
  /** `live`: redrawn block on a terminal; `plain`: one line per transition; `errors`: only failures. */
  readonly mode: 'live' | 'plain' | 'errors';
  /** Milliseconds between two redraws of the live block. */
  readonly frameMs: number;
}

/** The view for `options.mode`. */
export function createProgressView(options: ProgressViewOptions): ProgressView {
  return options.mode === 'live' ? new LiveProgressView(options) : new PlainProgressView(options);
}
