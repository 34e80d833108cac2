import { setImmediate } from 'node:timers';

/**
 * @internal Lets callers through a few at a time: at most `perTurn` per turn of the event loop (a
 * `setImmediate` between slices), in the order they came. What thousands of callers released at once
 * would build in one synchronous burst (a request each, all kept while they queue for a connection) is
 * built slice by slice instead, and the answers to the first slices are read in between. `setImmediate` is
 * the one of `node:timers`, which test fake timers leave real: pacing is not time.
 */
export class Trickle {
  readonly #perTurn: number;
  readonly #queue: (() => void)[] = [];
  #scheduled = false;

  constructor(perTurn: number) {
    this.#perTurn = perTurn;
  }

  /** Resolves in the first later turn of the event loop whose slice has room for this caller. */
  pass(): Promise<void> {
    return new Promise((resolve) => {
      this.#queue.push(resolve);
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(this.#release);
      }
    });
  }

  readonly #release = (): void => {
    for (const resolve of this.#queue.splice(0, this.#perTurn)) resolve();
    if (this.#queue.length > 0) setImmediate(this.#release);
    else this.#scheduled = false;
  };
}
