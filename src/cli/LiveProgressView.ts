import type { Clock } from '../model/Clock.js';
import type { WaitEvent } from '../waiter/WaitEvent.js';
import type { CliStream } from './CliIo.js';
import type { ProgressView, ProgressViewOptions } from './ProgressView.js';
import { liveLine, outcomeLine, transitionLine } from './renderProgress.js';
import type { Styler } from './Styler.js';
import type { WaitState } from './WaitState.js';

/** ANSI control sequences used by the live view. */
export const ANSI = Object.freeze({
  hideCursor: '\x1b[?25l',
  showCursor: '\x1b[?25h',
  /** Moves to column 1 and erases from there to the end of the screen. */
  eraseDown: '\r\x1b[J',
  eraseLine: '\x1b[K',
  up: (lines: number): string => (lines > 0 ? `\x1b[${lines}A` : ''),
});

/**
 * Progress on a terminal: a block of one live line per id (spinner, status, elapsed, polls, next poll),
 * redrawn in place every `frameMs` by moving the cursor up over the block and erasing it. Status
 * changes and failures are printed as permanent lines above the block, so the scrollback keeps them.
 */
export class LiveProgressView implements ProgressView {
  readonly #stream: CliStream;
  readonly #states: readonly WaitState[];
  readonly #style: Styler;
  readonly #clock: Clock;
  readonly #frameMs: number;
  readonly #idWidth: number;
  #frame = 0;
  #drawn = 0;
  #timer: ReturnType<typeof setInterval> | undefined;
  #started = false;
  #stopped = false;

  constructor(options: ProgressViewOptions) {
    this.#stream = options.stream;
    this.#states = options.states;
    this.#style = options.style;
    this.#clock = options.clock;
    this.#frameMs = options.frameMs;
    this.#idWidth = Math.max(...options.states.map((state) => state.id.length));
  }

  start(): void {
    if (this.#started) return;
    this.#started = true;
    this.#stream.write(ANSI.hideCursor);
    this.#draw([]);
    this.#timer = setInterval(() => {
      this.#frame++;
      this.#draw([]);
    }, this.#frameMs);
    this.#timer.unref();
  }

  event(state: WaitState, event: WaitEvent): void {
    if (event.type === 'transition') this.#draw([transitionLine(state, event.from, event.to, this.#style)]);
    else this.#draw([]);
  }

  finished(state: WaitState): void {
    const line = outcomeLine(state, this.#style);
    this.#draw(line === undefined ? [] : [line]);
  }

  notice(text: string): void {
    if (this.#started && !this.#stopped) this.#draw([text]);
    else this.#stream.write(`${text}\n`);
  }

  stop(): void {
    if (!this.#started || this.#stopped) return;
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#draw([]);
    this.#stream.write(ANSI.showCursor);
  }

  /** Erases the block, prints `above` as permanent lines, and draws the block again, in one write. */
  #draw(above: readonly string[]): void {
    if (!this.#started || this.#stopped) return;
    const lines = this.#blockLines();
    let out = ANSI.up(this.#drawn) + ANSI.eraseDown;
    for (const line of above) out += `${line}\n`;
    for (const line of lines) out += `${line}${ANSI.eraseLine}\n`;
    this.#stream.write(out);
    this.#drawn = lines.length;
  }

  #blockLines(): string[] {
    // A pseudo-terminal with no size set reports 0 columns and rows: assume 80×24 then.
    const columns =
      this.#stream.columns !== undefined && this.#stream.columns > 0 ? this.#stream.columns : 80;
    const rows = this.#stream.rows !== undefined && this.#stream.rows > 0 ? this.#stream.rows : 24;
    const width = Math.max(20, columns - 1);
    const maxLines = Math.max(2, rows - 2);
    const now = this.#clock.now();
    const render = (state: WaitState): string =>
      liveLine(state, { now, frame: this.#frame, idWidth: this.#idWidth, style: this.#style, width });
    if (this.#states.length <= maxLines) return this.#states.map(render);
    // Too many ids for the screen: the unfinished ones first, then a count of the rest.
    const running = this.#states.filter((state) => state.outcome === undefined);
    const shown = (running.length > 0 ? running : this.#states).slice(0, maxLines - 1);
    const done = this.#states.length - running.length;
    const rest = this.#states.length - shown.length;
    return [...shown.map(render), this.#style('gray', `… and ${rest} more (${done} finished)`)];
  }
}
