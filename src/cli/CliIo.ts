import type { Clock } from '../model/Clock.js';
import type { AmazonMLClientConfig } from '../client/AmazonMLClient.js';
import type { AmazonMLClientLike } from '../waiter/WaitOptions.js';

/** The part of a writable stream `aml-wait` uses (`process.stdout`, `process.stderr`, or a test double). */
export interface CliStream {
  write(chunk: string): unknown;
  /** `true` for a terminal: live progress and, by default, colours. */
  readonly isTTY?: boolean | undefined;
  /** Terminal width; live lines are cut to fit so that redrawing stays on one line each. */
  readonly columns?: number | undefined;
  /** Terminal height; the live block never grows taller than this. */
  readonly rows?: number | undefined;
  /** Whether the terminal supports colours (`tty.WriteStream#hasColors`). */
  hasColors?(): boolean;
}

/** The client `aml-wait` polls with: what the waiter needs, plus `resolveConfig` and `close`. */
export type CliClient = AmazonMLClientLike & {
  resolveConfig(): Promise<{ endpoint: string; region: string }>;
  close(): Promise<void>;
};

/**
 * Everything `run` touches outside itself, so that tests can run it in-process: streams, environment,
 * signals, the hard exit, and optionally the clock and the client.
 */
export interface CliIo {
  readonly stdout: CliStream;
  readonly stderr: CliStream;
  /** Environment variables (the client's configuration and `NO_COLOR`/`FORCE_COLOR`). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Subscribes to SIGINT; returns the unsubscribe function. Omit to ignore signals. */
  readonly onInterrupt?: ((listener: () => void) => () => void) | undefined;
  /** Ends the process at once (a second SIGINT). Default: nothing, `run` resolves as usual. */
  readonly exit?: ((code: number) => void) | undefined;
  /** Time source of the waits and of the elapsed times shown. Default: the system clock. */
  readonly clock?: Clock | undefined;
  /** Makes the client from the resolved config. Default: `new AmazonMLClient(config)`. */
  readonly createClient?: ((config: AmazonMLClientConfig) => CliClient) | undefined;
  /** Milliseconds between two redraws of the live progress on a terminal. Default: 100. */
  readonly frameMs?: number | undefined;
}
