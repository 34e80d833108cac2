import type { ConsoleSnapshot, ConsoleUpdate } from '../ConsoleEvent.js';
import type { ControlClient } from './ControlClient.js';
import { ControlRequestError, toControlRequestError } from './ControlClient.js';
import { readEventStream } from './readEventStream.js';

/** What the stream reports to the page. */
interface ConsoleStreamHandlers {
  snapshot(snapshot: ConsoleSnapshot): void;
  update(update: ConsoleUpdate): void;
  /** `live` once connected; `retrying` after a drop (it reconnects by itself); `stopped` on a token problem. */
  state(state: 'connecting' | 'live' | 'retrying' | 'stopped', problem?: ControlRequestError): void;
}

/** Path of the change stream (`CONSOLE_EVENTS_PATH` on the server). */
const EVENTS_PATH = '/__console/events';
const RETRY_MS = [500, 1000, 2000, 5000];

/**
 * Keeps the change stream open: `fetch` with the token header, read as Server-Sent Events, reconnect
 * after a drop (0.5, 1, 2 then every 5 s); a missing or refused token stops it until {@link start} is
 * called again.
 */
export class ConsoleStream {
  readonly #client: ControlClient;
  readonly #handlers: ConsoleStreamHandlers;
  #abort: AbortController | undefined;
  #retries = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(client: ControlClient, handlers: ConsoleStreamHandlers) {
    this.#client = client;
    this.#handlers = handlers;
  }

  /** (Re)connects, e.g. after a new token was entered. */
  start(): void {
    this.stop();
    this.#retries = 0;
    void this.#connect();
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#abort?.abort();
    this.#abort = undefined;
  }

  async #connect(): Promise<void> {
    const abort = new AbortController();
    this.#abort = abort;
    this.#handlers.state('connecting');
    try {
      const response = await fetch(EVENTS_PATH, {
        headers: this.#client.headers(),
        credentials: 'omit',
        cache: 'no-store',
        signal: abort.signal,
      });
      if (!response.ok || response.body === null) throw await toControlRequestError(response);
      this.#retries = 0;
      this.#handlers.state('live');
      await readEventStream(response.body, ({ event, data }) => {
        if (event === 'snapshot') this.#handlers.snapshot(JSON.parse(data) as ConsoleSnapshot);
        else if (event === 'update') this.#handlers.update(JSON.parse(data) as ConsoleUpdate);
      });
      throw new ControlRequestError(0, 'StreamEnded', 'The emulator closed the stream');
    } catch (error) {
      if (abort.signal.aborted) return;
      const problem =
        error instanceof ControlRequestError
          ? error
          : new ControlRequestError(0, 'NetworkError', 'The emulator did not answer: is it still running?');
      if (problem.isTokenProblem) {
        this.#handlers.state('stopped', problem);
        return;
      }
      this.#handlers.state('retrying', problem);
      const delay = RETRY_MS[Math.min(this.#retries++, RETRY_MS.length - 1)] ?? 5000;
      this.#timer = setTimeout(() => void this.#connect(), delay);
    }
  }
}
