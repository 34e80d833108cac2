import { createRequire } from 'node:module';
import type { Observable } from 'rxjs';
import { AmazonMLClient } from '../client/AmazonMLClient.js';
import { telemetryFromEnv } from '../client/TelemetryOption.js';
import { systemClock } from '../model/Clock.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import { resourceKinds } from '../model/ResourceKind.js';
import { isResourceDeletedError } from '../waiter/ResourceDeletedError.js';
import { isResourceFailedError } from '../waiter/ResourceFailedError.js';
import type { WaitEvent } from '../waiter/WaitEvent.js';
import type { WaitOptions } from '../waiter/WaitOptions.js';
import { isWaitTimeoutError } from '../waiter/WaitTimeoutError.js';
import { isWaiterError } from '../waiter/WaiterError.js';
import { watch } from '../waiter/watch.js';
import type { CliClient, CliIo } from './CliIo.js';
import { errorLine, isNotFoundError } from './describeError.js';
import { ExitCode, combineExitCodes } from './exitCodes.js';
import { findOtherKind } from './findOtherKind.js';
import { formatSummary } from './formatSummary.js';
import { helpText, USAGE_LINE } from './helpText.js';
import { eventToJson, jsonLine, resultToJson } from './jsonLines.js';
import type { CliOptions } from './parseCliArgs.js';
import { parseCliArgs } from './parseCliArgs.js';
import type { ProgressView } from './ProgressView.js';
import { createProgressView } from './ProgressView.js';
import { createStyler, shouldColor } from './Styler.js';
import type { Styler } from './Styler.js';
import { UsageError } from './UsageError.js';
import type { WaitOutcome } from './WaitState.js';
import { WaitState } from './WaitState.js';

/** The package version, read from package.json (works from both `src/cli` and `dist/cli`). */
export function packageVersion(): string {
  const pkg = createRequire(import.meta.url)('../../package.json') as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

function usageError(io: CliIo, message: string): number {
  io.stderr.write(`aml-wait: ${message}\n${USAGE_LINE}\n`);
  return ExitCode.USAGE;
}

/** The endpoint for display: without user info, query or fragment. */
function displayEndpoint(endpoint: string): string {
  try {
    const url = new URL(endpoint);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString();
  } catch {
    return '(custom endpoint)';
  }
}

/** Maps the error a wait (or a `--once` request) ended with to its exit code. */
function exitCodeFor(error: unknown, abortReason: unknown): ExitCode {
  if (abortReason !== undefined && error === abortReason) return ExitCode.INTERRUPTED;
  if (isResourceFailedError(error) || isResourceDeletedError(error)) return ExitCode.RESOURCE_FAILED;
  if (isWaitTimeoutError(error)) return ExitCode.TIMEOUT;
  return ExitCode.REQUEST_FAILED;
}

/** Exit code of `--once` for an observed status. */
function onceExitCode(status: string | null): ExitCode {
  if (status === 'COMPLETED') return ExitCode.OK;
  if (status === 'FAILED' || status === 'DELETED') return ExitCode.RESOURCE_FAILED;
  return ExitCode.IN_PROGRESS;
}

interface Session {
  readonly io: CliIo;
  readonly options: CliOptions;
  readonly client: CliClient;
  readonly states: readonly WaitState[];
  readonly view: ProgressView;
  readonly controller: AbortController;
  readonly stdoutStyle: Styler;
}

/**
 * Runs `aml-wait` with `argv` (the arguments after the script path) and returns the exit code. All
 * input and output goes through `io`, so tests can run it in-process; `main.ts` passes the real process.
 *
 * - `--help`/`--version` print to stdout and return 0; a usage mistake prints one line and the usage
 *   line on stderr and returns 2, before any request.
 * - Otherwise it waits for every id at once through one client, shows progress on stderr, prints the
 *   table (or JSON lines) on stdout and returns the combined exit code (see `exitCodes.ts`).
 * - The first interrupt (`io.onInterrupt`) cancels every wait, then prints the results and returns 130;
 *   a second one calls `io.exit(130)` at once.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let command;
  try {
    command = parseCliArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return usageError(io, error.message);
    throw error;
  }
  if (command.action === 'help') {
    io.stdout.write(helpText(packageVersion()));
    return ExitCode.OK;
  }
  if (command.action === 'version') {
    io.stdout.write(`${packageVersion()}\n`);
    return ExitCode.OK;
  }
  const options = command.options;

  let client: CliClient;
  try {
    const config = {
      endpoint: options.endpoint,
      region: options.region,
      profile: options.profile,
      env: io.env,
      // AML_WAITER_TELEMETRY=1: spans and metrics to the global OpenTelemetry providers (docs/observability.md).
      telemetry: telemetryFromEnv(io.env),
    };
    client = io.createClient ? io.createClient(config) : new AmazonMLClient(config);
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) return usageError(io, error.message);
    io.stderr.write(`aml-wait: ${errorLine(error)}\n`);
    return ExitCode.REQUEST_FAILED;
  }

  const clock = io.clock ?? systemClock;
  const stderrStyle = createStyler(!options.json && shouldColor(io.stderr, io.env, options.color));
  const stdoutStyle = createStyler(!options.json && shouldColor(io.stdout, io.env, options.color));
  const now = clock.now();
  const states = options.ids.map((id) => new WaitState(options.kind, id, now));
  const mode =
    options.json || options.quiet ? 'errors' : io.stderr.isTTY === true && !options.once ? 'live' : 'plain';
  const view = createProgressView({
    stream: io.stderr,
    states,
    style: stderrStyle,
    clock,
    mode,
    frameMs: io.frameMs ?? 100,
  });
  const controller = new AbortController();
  const session: Session = { io, options, client, states, view, controller, stdoutStyle };

  let interrupts = 0;
  const unsubscribe = io.onInterrupt?.(() => {
    interrupts++;
    if (interrupts === 1) {
      view.notice(
        stderrStyle('yellow', 'Interrupted: cancelling the waits (press Ctrl-C again to exit at once)…'),
      );
      controller.abort(new DOMException('aml-wait was interrupted (SIGINT).', 'AbortError'));
    } else {
      view.stop();
      io.exit?.(ExitCode.INTERRUPTED);
    }
  });

  try {
    return await waitAll(session);
  } finally {
    view.stop();
    unsubscribe?.();
    await client.close().catch(() => undefined);
  }
}

async function waitAll(session: Session): Promise<number> {
  const { io, options, client, states, view, controller } = session;
  let endpoint: { endpoint: string; region: string };
  try {
    endpoint = await client.resolveConfig();
  } catch (error) {
    const code = controller.signal.aborted ? ExitCode.INTERRUPTED : ExitCode.REQUEST_FAILED;
    for (const state of states) state.finish({ ok: false, exitCode: code, error }, 0);
    io.stderr.write(`aml-wait: ${errorLine(error)}\n`);
    // One cause for every id: said once on stderr rather than repeated in each row of a table.
    return finish(session, { table: false });
  }

  if (options.once) return checkOnce(session);

  const waitOptions: WaitOptions = {
    client,
    signal: controller.signal,
    timeoutMs: options.timeoutMs,
    minDelayMs: options.minDelayMs,
    maxDelayMs: options.maxDelayMs,
    clock: io.clock,
  };
  // Create every stream first: invalid options throw here, before any request.
  let streams: Observable<WaitEvent>[];
  try {
    streams = states.map((state) => watch<ResourceKind>(state.kind, state.id, waitOptions));
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) return usageError(io, error.message);
    throw error;
  }

  view.start();
  if (!options.json && !options.quiet) {
    const noun = resourceKinds[options.kind].noun;
    const what = states.length === 1 ? `${noun} ${states[0]?.id ?? ''}` : `${states.length} ${noun}s`;
    view.notice(`Waiting for ${what} at ${displayEndpoint(endpoint.endpoint)} (${endpoint.region})`);
  }
  const clock = io.clock ?? systemClock;
  await Promise.all(
    streams.map(
      (stream, index) =>
        new Promise<void>((resolve) => {
          const state = states[index];
          if (state === undefined) {
            resolve();
            return;
          }
          const settle = (outcome: WaitOutcome): void => {
            state.finish(outcome, Math.round(clock.now() - state.startedAt));
            view.finished(state);
            resolve();
          };
          state.begin(clock.now());
          stream.subscribe({
            next: (event) => {
              state.apply(event, clock.now());
              if (options.json && !options.quiet) io.stdout.write(jsonLine(eventToJson(event)));
              view.event(state, event);
            },
            error: (error: unknown) => {
              // The error counts requests that produced no event (a first poll that failed).
              if (isWaiterError(error)) state.attempts = error.attempts;
              if (isWaiterError(error) && isNotFoundError(error.cause)) state.notFound = true;
              const outcome = { ok: false, exitCode: exitCodeFor(error, controller.signal.reason), error };
              if (state.notFound && !controller.signal.aborted) {
                void findOtherKind(client, state, controller.signal).then(() => {
                  settle(outcome);
                });
              } else {
                settle(outcome);
              }
            },
            complete: () => {
              settle({ ok: true, exitCode: ExitCode.OK });
            },
          });
        }),
    ),
  );
  return finish(session);
}

/** `--once`: one `Get…` per id, at once; the exit code says whether they are done. */
async function checkOnce(session: Session): Promise<number> {
  const { io, client, states, view, controller } = session;
  const clock = io.clock ?? systemClock;
  await Promise.all(
    states.map(async (state) => {
      state.begin(clock.now());
      let outcome: WaitOutcome;
      try {
        const resource = await client.get(state.kind, state.id, { signal: controller.signal });
        const status = (resource as { Status?: unknown }).Status;
        state.resource = resource;
        state.status = typeof status === 'string' ? status : null;
        state.polls = 1;
        outcome = { ok: state.status === 'COMPLETED', exitCode: onceExitCode(state.status) };
      } catch (error) {
        state.notFound = isNotFoundError(error);
        if (state.notFound && !controller.signal.aborted)
          await findOtherKind(client, state, controller.signal);
        outcome = { ok: false, exitCode: exitCodeFor(error, controller.signal.reason), error };
      }
      state.attempts = 1;
      state.finish(outcome, Math.round(clock.now() - state.startedAt));
      view.finished(state);
    }),
  );
  return finish(session);
}

/** Prints the results on stdout (table or JSON lines) and returns the combined exit code. */
function finish(session: Session, { table = true }: { table?: boolean } = {}): number {
  const { io, options, states, view, stdoutStyle } = session;
  view.stop();
  if (options.json) {
    for (const state of states) io.stdout.write(jsonLine(resultToJson(state)));
  } else if (!options.quiet && table) {
    // On a terminal, its width; elsewhere (a pipe, a CI log) 120 columns.
    const columns = io.stdout.isTTY === true && (io.stdout.columns ?? 0) > 0 ? io.stdout.columns : undefined;
    io.stdout.write(formatSummary(states, stdoutStyle, columns));
  }
  return combineExitCodes(states.map((state) => state.outcome?.exitCode ?? ExitCode.REQUEST_FAILED));
}
