import { inspect } from 'node:util';
import { AmazonMLClient } from '../../../src/client/AmazonMLClient.js';
import { isAmazonMLError } from '../../../src/client/AmazonMLError.js';
import type { Emulator } from '../../../src/emulator/Emulator.js';
import { createSeededRandom } from '../../../src/emulator/createSeededRandom.js';
import type { ResourceKind } from '../../../src/model/ResourceKind.js';
import { resourceKinds } from '../../../src/model/ResourceKind.js';
import { VirtualClock } from '../../../src/model/VirtualClock.js';
import { ResourceDeletedError } from '../../../src/waiter/ResourceDeletedError.js';
import { ResourceFailedError } from '../../../src/waiter/ResourceFailedError.js';
import { WaiterError } from '../../../src/waiter/WaiterError.js';
import { WaitRequestError } from '../../../src/waiter/WaitRequestError.js';
import { WaitTimeoutError } from '../../../src/waiter/WaitTimeoutError.js';
import type { WaitEvent } from '../../../src/waiter/WaitEvent.js';
import type { AmazonMLClientLike, WaitOptions } from '../../../src/waiter/WaitOptions.js';
import { createWaiter } from '../../../src/waiter/Waiter.js';
import { waitFor } from '../../../src/waiter/waitFor.js';
import { watch } from '../../../src/waiter/watch.js';
import type { Scenario } from './chaosScenario.js';
import { MAX_RETRY_AFTER_S, REQUEST_TIMEOUT_MS, scriptOf, terminalAtMs } from './chaosScenario.js';
import type { SecretScanner } from './secretScan.js';
import type { TelemetryCapture } from './telemetryCapture.js';
import { CHAOS_CREDENTIALS, scanningLogger } from './secretScan.js';

/** The clock the emulator reads: the current scenario's VirtualClock. */
export interface ClockBox {
  clock: VirtualClock;
}

/** A clock proxy for `startEmulator({ clock })` that follows `box.clock`. */
export function clockProxy(box: ClockBox) {
  return {
    now: () => box.clock.now(),
    wallNow: () => box.clock.wallNow(),
    setTimeout: (cb: () => void, ms: number) => box.clock.setTimeout(cb, ms),
    clearTimeout: (handle: unknown) => {
      box.clock.clearTimeout(handle);
    },
  };
}

/** One `Get…` call the waiter made, as the client answered it. */
interface Call {
  readonly at: number;
  readonly afterSettle: boolean;
  readonly afterAbort: boolean;
  status?: string | undefined;
  error?: unknown;
}

/** Deliberate defects for the oracle's self-test: each one must be reported as a violation. */
export type Sabotage = 'lie' | 'timer' | 'socket' | 'secret';

/** What one scenario produced, for the figures. */
export interface ScenarioReport {
  readonly outcome: string;
  readonly calls: number;
  readonly httpRequests: number;
  readonly faultsInjected: Record<string, number>;
  readonly stringsScanned: number;
  readonly violations: string[];
}

const TERMINAL = new Set(['COMPLETED', 'FAILED', 'DELETED']);
/** Non-retryable causes the emulator can legitimately produce in a scenario, and what must explain them. */
const FATAL_CAUSES: Record<string, string> = {
  InvalidInputException: 'error',
  AccessDeniedException: 'error',
  InvalidResponseError: 'malformedJson',
};

export async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export function countSockets(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
}

/** Waits (real time, at most 2 s) until the open socket count drops to `baseline`; returns the excess left. */
export async function socketsLeft(baseline: number): Promise<number> {
  for (let i = 0; i < 400; i++) {
    const excess = countSockets() - baseline;
    if (excess <= 0) return 0;
    await new Promise<void>((resolve) => setTimeout(resolve, 5));
  }
  return countSockets() - baseline;
}

function outcomeName(outcome: { ok: true } | { ok: false; error: unknown }, reason: Error): string {
  if (outcome.ok) return 'COMPLETED';
  const error = outcome.error;
  if (error === reason) return 'aborted';
  if (error instanceof ResourceFailedError) return 'FAILED';
  if (error instanceof ResourceDeletedError) return 'DELETED';
  if (error instanceof WaitTimeoutError) return 'timeout';
  if (error instanceof WaitRequestError)
    return error.retriesExhausted ? 'retries-exhausted' : 'request-error';
  return `unexpected:${error instanceof Error ? error.name : typeof error}`;
}

/**
 * Runs one scenario against the emulator in virtual time and checks it against the emulator's truth:
 * the right outcome, no request after a terminal status, an abort or the end, the deadline kept, and
 * no timer, listener or socket left behind; collects every string it produced into `scanner`.
 */
export async function runScenario(
  emulator: Emulator,
  box: ClockBox,
  s: Scenario,
  id: string,
  scanner: SecretScanner,
  sabotage?: Sabotage,
  telemetry?: TelemetryCapture,
): Promise<ScenarioReport> {
  const violations: string[] = [];
  const fail = (what: string): void => {
    violations.push(what);
  };
  emulator.reset();
  const clock = new VirtualClock({ autoAdvance: true });
  box.clock = clock;
  const kind: ResourceKind = s.kind;
  emulator.put(kind, { [resourceKinds[kind].idMember]: id }, scriptOf(s));
  for (const rule of s.faults) emulator.addFault({ ...rule, id });
  if (s.serverSkewMs !== 0) emulator.setSkew(s.serverSkewMs);

  const socketBaseline = countSockets();
  const clientLog = scanningLogger(scanner, 'client');
  const waitLog = scanningLogger(scanner, 'waiter');
  const client = new AmazonMLClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: { ...CHAOS_CREDENTIALS },
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    logger: clientLog.logger,
    telemetry: telemetry?.providers,
  });

  // The abort signal, with its listeners counted.
  const controller = new AbortController();
  const reason = new Error(`chaos abort of ${id}`);
  const signal = controller.signal;
  const state = { listeners: 0, abortedAt: null as number | null, settled: false, timersAtEnd: 0 };
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  const registered = new Set<unknown>();
  signal.addEventListener = (...args: Parameters<AbortSignal['addEventListener']>): void => {
    if (args[0] === 'abort' && !registered.has(args[1])) {
      registered.add(args[1]);
      state.listeners++;
    }
    add(...args);
  };
  signal.removeEventListener = (...args: Parameters<AbortSignal['removeEventListener']>): void => {
    if (args[0] === 'abort' && registered.delete(args[1])) state.listeners--;
    remove(...args);
  };
  const abort = (): void => {
    if (controller.signal.aborted) return;
    state.abortedAt = clock.now();
    controller.abort(reason);
    // The signal drops its `once` listeners itself when it fires.
    state.listeners = 0;
    registered.clear();
  };

  // The client as the waiter sees it: every Get… call is recorded with its answer.
  const calls: Call[] = [];
  const proxy: AmazonMLClientLike = {
    get: (k, rid, options) => {
      const call: Call = { at: clock.now(), afterSettle: state.settled, afterAbort: signal.aborted };
      calls.push(call);
      const real = client.get(k, rid, options);
      const promise =
        sabotage === 'lie' ? real.then((resource) => ({ ...resource, Status: 'COMPLETED' })) : real;
      promise.then(
        (resource) => {
          call.status = (resource as { Status?: string }).Status;
        },
        (error: unknown) => {
          call.error = error;
        },
      );
      if (s.abort.type === 'request' && calls.length === s.abort.n) abort();
      return promise;
    },
  };

  if (sabotage === 'secret') waitLog.logger.debug({ credentials: { ...CHAOS_CREDENTIALS } });
  let abortTimer: unknown;
  if (s.abort.type === 'before') abort();
  if (s.abort.type === 'at') abortTimer = clock.setTimeout(abort, s.abort.atMs);

  const options: WaitOptions = {
    client: proxy,
    clock,
    signal,
    timeoutMs: s.timeoutMs,
    minDelayMs: s.minDelayMs,
    maxDelayMs: s.maxDelayMs,
    notFoundGraceMs: s.notFoundGraceMs,
    retry: { retries: s.retries, minTimeoutMs: s.retryMinTimeoutMs, maxTimeoutMs: s.retryMaxTimeoutMs },
    logger: waitLog.logger,
    random: createSeededRandom(s.jitterSeed),
    polling: 'get',
    telemetry: telemetry?.providers,
  };

  const events: WaitEvent[] = [];
  let truthAtEnd: string | undefined;
  let endedAt = 0;
  const onSettle = (): void => {
    state.settled = true;
    endedAt = clock.now();
    truthAtEnd = emulator.get(kind, id)?.Status as string | undefined;
    if (abortTimer !== undefined) clock.clearTimeout(abortTimer);
    // A waiter that forgot a timer at its end (self-test).
    if (sabotage === 'timer') clock.setTimeout(() => undefined, 1000);
    state.timersAtEnd = clock.pendingTimers;
  };
  let outcome: { ok: true; value: unknown } | { ok: false; error: unknown };
  try {
    let value: unknown;
    if (s.face === 'promise') {
      value = await waitFor(kind, id, options).finally(onSettle);
    } else if (s.face === 'observable') {
      value = await new Promise((resolve, reject) => {
        let last: unknown;
        watch(kind, id, options).subscribe({
          next: (event) => {
            if (state.settled) fail(`event ${event.type} after the end`);
            events.push(event);
            if (event.type === 'poll') last = event.resource;
          },
          error: (error: unknown) => {
            onSettle();
            reject(error instanceof Error ? error : new Error(String(error)));
          },
          complete: () => {
            onSettle();
            resolve(last);
          },
        });
      });
    } else {
      const waiter = createWaiter(kind, id, options);
      for (const type of ['poll', 'transition', 'retry', 'wait'] as const) {
        waiter.on(type, (event: WaitEvent) => {
          if (state.settled) fail(`waiter event ${event.type} after the end`);
          events.push(event);
        });
      }
      value = await waiter.result.finally(onSettle);
      scanner.addValue('waiter', waiter);
    }
    outcome = { ok: true, value };
  } catch (error) {
    outcome = { ok: false, error };
  }

  // Let anything left behind run: a stray timer would fire (virtual time) and send a request.
  await turns(8);
  const name = outcomeName(outcome, reason);

  // --- The outcome against the emulator's truth.
  const abortedBeforeEnd = state.abortedAt !== null;
  const lastCall = calls.at(-1);
  const retryableErrors = calls.filter((c) => isAmazonMLError(c.error) && c.error.retryable).length;
  if (abortedBeforeEnd) {
    if (outcome.ok || outcome.error !== reason)
      fail(`aborted at ${String(state.abortedAt)} but the wait ended ${name}`);
    if (s.abort.type === 'before' && calls.length > 0)
      fail(`pre-aborted signal, yet ${calls.length} requests`);
  } else if (outcome.ok) {
    const status = (outcome.value as { Status?: unknown } | undefined)?.Status;
    if (status !== 'COMPLETED') fail(`resolved with Status ${String(status)}`);
    if (truthAtEnd !== 'COMPLETED') fail(`resolved COMPLETED while the emulator shows ${String(truthAtEnd)}`);
  } else {
    const error = outcome.error;
    if (error instanceof ResourceFailedError) {
      if (truthAtEnd !== 'FAILED') fail(`FAILED while the emulator shows ${String(truthAtEnd)}`);
    } else if (error instanceof ResourceDeletedError) {
      if (truthAtEnd !== 'DELETED') fail(`DELETED while the emulator shows ${String(truthAtEnd)}`);
    } else if (error instanceof WaitTimeoutError) {
      if (endedAt !== s.timeoutMs) fail(`timed out at ${endedAt}, deadline ${s.timeoutMs}`);
      if (error.elapsedMs < s.timeoutMs) fail(`timeout elapsedMs ${error.elapsedMs} < ${s.timeoutMs}`);
      const lastFailedTransiently =
        lastCall !== undefined &&
        ((isAmazonMLError(lastCall.error) && lastCall.error.retryable) ||
          (lastCall.error as { name?: unknown } | undefined)?.name === 'ResourceNotFoundException');
      if (!lastFailedTransiently && truthAtEnd !== undefined && TERMINAL.has(truthAtEnd))
        fail(`timed out although the last poll could see ${truthAtEnd}`);
    } else if (error instanceof WaitRequestError) {
      const cause = error.cause;
      if (!isAmazonMLError(cause)) fail(`WaitRequestError cause is not an AmazonMLError: ${inspect(cause)}`);
      else if (error.retriesExhausted) {
        const tail = calls.slice(-(s.retries + 1));
        if (tail.length < s.retries + 1 || !tail.every((c) => isAmazonMLError(c.error) && c.error.retryable))
          fail(`retries exhausted, but the last ${s.retries + 1} calls were not all transient failures`);
      } else if (cause.retryable) {
        fail(`WaitRequestError (not exhausted) with a retryable cause ${cause.name}`);
      } else if (cause.name === 'ResourceNotFoundException') {
        if (error.elapsedMs < s.notFoundGraceMs)
          fail(`not found at ${error.elapsedMs} ms, inside the grace of ${s.notFoundGraceMs} ms`);
      } else {
        const explainedBy = FATAL_CAUSES[cause.name];
        const applied = emulator.faults().filter((f) => f.applied > 0 && f.kind === explainedBy);
        if (explainedBy === undefined || applied.length === 0)
          fail(`non-retryable ${cause.name} (${cause.message}) that no fault explains`);
      }
    } else {
      fail(`unexpected rejection ${inspect(error)}`);
    }
  }

  // The error's account of the wait matches what the client saw.
  if (!outcome.ok && outcome.error instanceof WaiterError) {
    const error = outcome.error;
    if (error.attempts !== calls.length)
      fail(`attempts ${error.attempts}, but the waiter made ${calls.length} requests`);
    const seen: string[] = [];
    for (const c of calls) if (c.status !== undefined && c.status !== seen.at(-1)) seen.push(c.status);
    const history = error.history.map((h) => h.status);
    if (JSON.stringify(history) !== JSON.stringify(seen))
      fail(`history ${JSON.stringify(history)}, but the answers were ${JSON.stringify(seen)}`);
    const lastOk = calls.filter((c) => c.status !== undefined).at(-1);
    const lastStatus = (error.lastResource as { Status?: string } | undefined)?.Status;
    if (lastStatus !== lastOk?.status)
      fail(`lastResource.Status ${String(lastStatus)}, last answer ${String(lastOk?.status)}`);
  }

  // Liveness: with no abort, no fatal answer and fewer transient failures than retries, a lifecycle that
  // turns terminal well before the deadline must be seen.
  const tTerm = terminalAtMs(s);
  const fatalSeen = calls.some(
    (c) => c.error !== undefined && !(isAmazonMLError(c.error) && c.error.retryable),
  );
  const retryBound = Math.max(s.retryMaxTimeoutMs, MAX_RETRY_AFTER_S * 1000);
  if (
    !abortedBeforeEnd &&
    !fatalSeen &&
    tTerm !== null &&
    retryableErrors <= s.retries &&
    tTerm + s.maxDelayMs + retryableErrors * retryBound + s.minDelayMs < s.timeoutMs &&
    (name === 'timeout' || name === 'retries-exhausted')
  ) {
    fail(
      `ended ${name} although the resource turned ${s.terminal ?? ''} at ${tTerm} ms (deadline ${s.timeoutMs}, ${retryableErrors} transient failures)`,
    );
  }

  // --- Nothing after the end: no request after a terminal status, an abort or the settlement.
  const firstTerminal = calls.findIndex((c) => c.status !== undefined && TERMINAL.has(c.status));
  if (firstTerminal !== -1 && firstTerminal < calls.length - 1)
    fail(
      `${calls.length - 1 - firstTerminal} request(s) after the terminal status ${String(calls[firstTerminal]?.status)}`,
    );
  const afterAbort = calls.filter((c) => c.afterAbort).length;
  if (afterAbort > 0) fail(`${afterAbort} request(s) after the abort`);
  const afterSettle = calls.filter((c) => c.afterSettle).length;
  if (afterSettle > 0) fail(`${afterSettle} request(s) after the wait ended`);
  if (endedAt > s.timeoutMs) fail(`ended at ${endedAt} ms, after the deadline ${s.timeoutMs} ms`);
  // Events: nothing after a terminal transition.
  const terminalEvent = events.findIndex((e) => e.type === 'transition' && TERMINAL.has(e.to));
  if (terminalEvent !== -1 && terminalEvent < events.length - 1)
    fail(`${events.length - 1 - terminalEvent} event(s) after the terminal transition`);

  // --- Nothing left behind.
  if (state.timersAtEnd !== 0) fail(`${state.timersAtEnd} virtual timer(s) left when the wait ended`);
  if (clock.pendingTimers !== 0) fail(`${clock.pendingTimers} virtual timer(s) left`);
  if (!signal.aborted && state.listeners !== 0)
    fail(`${state.listeners} abort listener(s) left on the signal`);
  if (sabotage !== 'socket') await client.close();
  const sockets = await socketsLeft(socketBaseline);
  if (sockets > 0) fail(`${sockets} socket(s) left open after the client closed`);
  // The self-test's open client is closed now that the leak was measured.
  if (sabotage === 'socket') await client.close();

  // --- Every string the scenario produced goes to the secret scan.
  if (!outcome.ok) scanner.addValue('error', outcome.error);
  else scanner.addValue('result', outcome.value);
  for (const event of events) {
    scanner.addValue(`event ${event.type}`, event);
    scanner.addText(`event ${event.type} checkpoint`, JSON.stringify(event.checkpoint));
  }
  scanner.addValue('client', client);
  for (const call of calls) if (call.error !== undefined) scanner.addValue('client error', call.error);
  telemetry?.scanSpansInto(scanner, 'telemetry');

  const faultsInjected: Record<string, number> = {};
  for (const rule of emulator.faults()) {
    if (rule.applied > 0) faultsInjected[rule.kind] = (faultsInjected[rule.kind] ?? 0) + rule.applied;
  }
  const skewErrors = emulator
    .requests()
    .filter((r) => r.id === id && r.errorType === 'InvalidSignatureException').length;
  if (skewErrors > 0) faultsInjected.clockSkew = skewErrors;
  return {
    outcome: name,
    calls: calls.length,
    httpRequests: emulator.requests().filter((r) => r.id === id).length,
    faultsInjected,
    stringsScanned: clientLog.state.lines + waitLog.state.lines + events.length,
    violations,
  };
}
