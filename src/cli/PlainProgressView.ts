import type { WaitEvent } from '../waiter/WaitEvent.js';
import type { CliStream } from './CliIo.js';
import type { ProgressView, ProgressViewOptions } from './ProgressView.js';
import { heartbeatLine, outcomeLine, retryLine, transitionLine } from './renderProgress.js';
import type { Styler } from './Styler.js';
import type { WaitState } from './WaitState.js';

/**
 * In plain mode, a wait that has printed nothing for this long prints a "still …" line at its next
 * poll, so that a CI log shows it is alive (some CI systems stop jobs that are silent for 10 minutes).
 */
const HEARTBEAT_MS = 5 * 60_000;

/**
 * Progress for logs and pipes: one line per status change and per retry, and a heartbeat line after
 * {@link HEARTBEAT_MS} of silence (`mode: 'plain'`); or only the lines of waits that did not complete
 * (`mode: 'errors'`, for `--json` and `--quiet`).
 */
export class PlainProgressView implements ProgressView {
  readonly #stream: CliStream;
  readonly #style: Styler;
  readonly #events: boolean;
  /** Per id, the `elapsedMs` of its last printed line. */
  readonly #lastLineAt = new Map<string, number>();

  constructor(options: ProgressViewOptions) {
    this.#stream = options.stream;
    this.#style = options.style;
    this.#events = options.mode === 'plain';
  }

  start(): void {
    // Nothing to set up: every line is written as it happens.
  }

  event(state: WaitState, event: WaitEvent): void {
    if (!this.#events) return;
    if (event.type === 'transition') {
      this.#write(transitionLine(state, event.from, event.to, this.#style));
    } else if (event.type === 'retry') {
      this.#write(retryLine(state, event.error, event.delayMs, this.#style));
    } else if (
      event.type === 'wait' &&
      event.elapsedMs - (this.#lastLineAt.get(state.id) ?? 0) >= HEARTBEAT_MS
    ) {
      this.#write(heartbeatLine(state));
    } else {
      return;
    }
    this.#lastLineAt.set(state.id, event.elapsedMs);
  }

  finished(state: WaitState): void {
    const line = outcomeLine(state, this.#style);
    if (line !== undefined) this.#write(line);
  }

  notice(text: string): void {
    this.#write(text);
  }

  stop(): void {
    // Nothing to release.
  }

  #write(line: string): void {
    this.#stream.write(`${line}\n`);
  }
}
