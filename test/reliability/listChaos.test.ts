import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import { AmazonMLError, isAmazonMLError } from '../../src/client/AmazonMLError.js';
import type { Emulator } from '../../src/emulator/Emulator.js';
import type { FaultRule } from '../../src/emulator/FaultRule.js';
import type { LifecycleStep } from '../../src/emulator/LifecycleScript.js';
import type { RequestLogEntry } from '../../src/emulator/RequestLog.js';
import { createSeededRandom } from '../../src/emulator/createSeededRandom.js';
import { startEmulator } from '../../src/emulator/startEmulator.js';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import { isMultiWaitError } from '../../src/waiter/MultiWaitError.js';
import { ResourceDeletedError, isResourceDeletedError } from '../../src/waiter/ResourceDeletedError.js';
import { ResourceFailedError, isResourceFailedError } from '../../src/waiter/ResourceFailedError.js';
import { SharedPolls } from '../../src/waiter/SharedPolls.js';
import { isWaiterError } from '../../src/waiter/WaiterError.js';
import { WaitRequestError, isWaitRequestError } from '../../src/waiter/WaitRequestError.js';
import { isWaitTimeoutError } from '../../src/waiter/WaitTimeoutError.js';
import type { WaitOptions } from '../../src/waiter/WaitOptions.js';
import { createWaiter } from '../../src/waiter/Waiter.js';
import { waitForAll } from '../../src/waiter/waitForMany.js';
import { writeFigures } from './helpers/figures.js';
import type { ClockBox } from './helpers/runScenario.js';
import { clockProxy, countSockets, socketsLeft, turns } from './helpers/runScenario.js';

/**
 * Chaos for list polling (`polling: 'list'`) and `waitForAll`: each run puts 3–25 batch predictions with
 * scripted lifecycles on the emulator, injects faults into `DescribeBatchPredictions` and
 * `GetBatchPrediction`, and waits on all of them through ONE client in virtual time — one wait per call
 * (some ids watched twice, some waits aborted, some started late), or one `waitForAll`; in some runs over a
 * hundred bystanders nobody waits on make every pass page. Every wait must end with the emulator's truth (or
 * with a request error the injected faults explain), report its statuses in the order of the script and never
 * ahead of it, send no `Get…` after its end, and leave no timer, list poller or socket behind.
 * `CHAOS_LIST_RUNS` sets the number of runs (default 60), `CHAOS_SEED` replays a run, `CHAOS_SEED` +
 * `CHAOS_PATH` (printed on failure) replays just the failing run. A replay repeats the scenario, not its
 * interleaving with real I/O (requests take real time while the clock auto-advances): a failure that depends
 * on it may take a few replays.
 */
const RUNS = Number(process.env.CHAOS_LIST_RUNS ?? 60);
const PATH = process.env.CHAOS_PATH;
const SEED =
  process.env.CHAOS_SEED === undefined ? (Date.now() + 2) % 2 ** 31 : Number(process.env.CHAOS_SEED);

/**
 * Far beyond every lifecycle (at most 90 s, plus a start up to 20 s late), so a timeout is always a defect: a
 * wait that never sees its end. Generous because virtual time runs on while a request is out in real time: the
 * list poller's timer keeps firing, so a Get held 30 ms by a `delay` fault can take a minute of virtual time.
 * For the same reason the suite bounds no detection lag (it reports the largest, `maxLagMs`).
 */
const TIMEOUT_MS = 2 * 3_600_000;
/** Largest `Retry-After` a throttle fault sends, in seconds. */
const MAX_RETRY_AFTER_S = 3;
/** Answers that decide a `Get…` failed transiently (retried) or for good (the wait fails at once). */
const TRANSIENT_FAULTS: ReadonlySet<string> = new Set(['throttle', 'serverError', 'reset']);
const FATAL_FAULTS: ReadonlySet<string> = new Set(['malformedJson', 'error']);
const GET = 'GetBatchPrediction';
const DESCRIBE = 'DescribeBatchPredictions';

type End = 'COMPLETED' | 'FAILED' | 'DELETED';

/** One wait on a job: when it starts and when (if ever) it is aborted, in virtual ms from the run's start. */
interface WaitPlan {
  readonly startAfterMs: number;
  readonly abortAtMs: number | null;
}

/** One batch prediction: PENDING, then INPROGRESS, then its end (a phase of 0 ms is never visible). */
interface Job {
  readonly pendingMs: number;
  readonly inProgressMs: number;
  readonly end: End;
  /** One or two waits (two waits on one id share its reads). Ignored in `waitForAll` runs. */
  readonly waits: readonly WaitPlan[];
}

interface Run {
  readonly jobs: readonly Job[];
  /** `null`: one call per wait; else one `waitForAll` over every id. */
  readonly group: { readonly abortAtMs: number | null; readonly allComplete: boolean } | null;
  readonly faults: readonly FaultRule[];
  /**
   * Batch predictions nobody waits on, all changing at the same two instants: more than a page (100) of
   * them, so list passes page, and the pages shift when jobs change between two pages of one pass.
   */
  readonly bystanders: { readonly count: number; readonly firstMs: number; readonly secondMs: number } | null;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly retries: number;
  readonly retryMinTimeoutMs: number;
  readonly retryMaxTimeoutMs: number;
  readonly jitterSeed: number;
}

type Outcome =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

// --- Generators.

const weighted = <T>(...entries: [number, fc.Arbitrary<T>][]): fc.Arbitrary<T> =>
  fc.oneof(...entries.map(([weight, arbitrary]) => ({ weight, arbitrary })));

const waitPlanArb: fc.Arbitrary<WaitPlan> = fc.record({
  // Most waits start with the run; a late one registers after the list poller has synced.
  startAfterMs: weighted([4, fc.constant(0)], [1, fc.integer({ min: 1, max: 20_000 })]),
  abortAtMs: weighted<number | null>([5, fc.constant(null)], [1, fc.integer({ min: 0, max: 60_000 })]),
});

const jobArb: fc.Arbitrary<Job> = fc.record({
  pendingMs: fc.integer({ min: 0, max: 30_000 }),
  inProgressMs: fc.integer({ min: 0, max: 60_000 }),
  end: weighted<End>(
    [3, fc.constant('COMPLETED' as const)],
    [1, fc.constant('FAILED' as const)],
    [1, fc.constant('DELETED' as const)],
  ),
  waits: weighted<readonly WaitPlan[]>([5, fc.tuple(waitPlanArb)], [1, fc.tuple(waitPlanArb, waitPlanArb)]),
});

/** Which requests a fault hits: a few of the list passes, of the Gets, or of both, after some go through. */
const target = {
  operation: fc.constantFrom<string | readonly string[]>(DESCRIBE, GET, [DESCRIBE, GET]),
  times: fc.integer({ min: 1, max: 4 }),
  skip: fc.integer({ min: 0, max: 30 }),
};

const faultArb: fc.Arbitrary<FaultRule> = weighted<FaultRule>(
  [
    3,
    fc.record({
      kind: fc.constant('throttle' as const),
      ...target,
      retryAfterSeconds: fc.integer({ min: 0, max: MAX_RETRY_AFTER_S }),
    }),
  ],
  [
    3,
    fc.record({
      kind: fc.constant('serverError' as const),
      ...target,
      status: fc.constantFrom(500 as const, 502 as const, 503 as const, 504 as const),
      format: fc.constantFrom('json' as const, 'html' as const, 'empty' as const),
    }),
  ],
  [2, fc.record({ kind: fc.constant('reset' as const), ...target })],
  // Fatal for a wait when it hits a Get (a 200 it cannot parse); a failed pass when it hits a list.
  [1, fc.record({ kind: fc.constant('malformedJson' as const), ...target, times: fc.constant(1) })],
  [
    1,
    fc.record({
      kind: fc.constant('error' as const),
      ...target,
      times: fc.constant(1),
      status: fc.constant(400),
      errorType: fc.constant('InvalidInputException'),
    }),
  ],
  // A slow answer (real ms): the auto-advancing clock runs list passes and other waits' polls meanwhile,
  // so reads and passes overlap in every order.
  [2, fc.record({ kind: fc.constant('delay' as const), ...target, ms: fc.integer({ min: 5, max: 30 }) })],
);

const runArb: fc.Arbitrary<Run> = fc
  .record({
    jobs: fc.array(jobArb, { minLength: 3, maxLength: 25 }),
    group: weighted<Run['group']>(
      [2, fc.constant(null)],
      [
        1,
        fc.record({
          abortAtMs: weighted<number | null>(
            [3, fc.constant(null)],
            [1, fc.integer({ min: 0, max: 60_000 })],
          ),
          // Half the group runs complete every job, so waitForAll's resolving path is exercised too.
          allComplete: fc.boolean(),
        }),
      ],
    ),
    faults: fc.array(faultArb, { maxLength: 4 }),
    bystanders: weighted<Run['bystanders']>(
      [3, fc.constant(null)],
      [
        1,
        fc.record({
          count: fc.integer({ min: 90, max: 160 }),
          firstMs: fc.integer({ min: 0, max: 40_000 }),
          secondMs: fc.integer({ min: 0, max: 50_000 }),
        }),
      ],
    ),
    minDelayMs: fc.integer({ min: 1000, max: 3000 }),
    extraDelayMs: fc.integer({ min: 0, max: 8000 }),
    retries: fc.integer({ min: 2, max: 5 }),
    retryMinTimeoutMs: fc.integer({ min: 50, max: 500 }),
    retryExtraMs: fc.integer({ min: 0, max: 3000 }),
    jitterSeed: fc.integer({ min: 1, max: 2 ** 30 }),
  })
  .map((r): Run => ({
    jobs:
      r.group?.allComplete === true ? r.jobs.map((job) => ({ ...job, end: 'COMPLETED' as const })) : r.jobs,
    group: r.group,
    faults: r.faults,
    bystanders: r.bystanders,
    minDelayMs: r.minDelayMs,
    maxDelayMs: r.minDelayMs + r.extraDelayMs,
    retries: r.retries,
    retryMinTimeoutMs: r.retryMinTimeoutMs,
    retryMaxTimeoutMs: r.retryMinTimeoutMs + r.retryExtraMs,
    jitterSeed: r.jitterSeed,
  }));

// --- The oracle.

function scriptOf(job: Job): LifecycleStep[] {
  return [
    { status: 'PENDING', forMs: job.pendingMs },
    { status: 'INPROGRESS', forMs: job.inProgressMs },
    job.end === 'FAILED'
      ? { status: 'FAILED', message: 'Chaos: the input data was rejected' }
      : { status: job.end },
  ];
}

/** The statuses the script goes through, in order (a wait may skip any but must never go back). */
const SCRIPT_ORDER = ['PENDING', 'INPROGRESS'] as const;

/** `null` when `seen` (consecutive repeats removed) is a subsequence of the job's script; else why not. */
function outOfOrder(seen: readonly string[], end: End): string | null {
  const script: readonly string[] = [...SCRIPT_ORDER, end];
  const distinct = seen.filter((status, i) => status !== seen[i - 1]);
  let at = 0;
  for (const status of distinct) {
    while (at < script.length && script[at] !== status) at++;
    if (at === script.length)
      return `reported ${JSON.stringify(distinct)}, not in the order of ${JSON.stringify(script)}`;
    at++;
  }
  return null;
}

/** The job's status at virtual time `t` (every job is put at 0). */
function truthAt(job: Job, t: number): string {
  if (t < job.pendingMs) return 'PENDING';
  return t < job.pendingMs + job.inProgressMs ? 'INPROGRESS' : job.end;
}

/**
 * `null` when a poll at virtual time `at` reporting `status` for `id` could have been true: an answer is read
 * at or before the poll, and lifecycles only move forward, so it may lag the truth but never lead it. A
 * status from the future, or another job's, means a state was recorded under the wrong id or time.
 */
function aheadOfTruth(job: Job, id: string, at: number, status: string, resourceId: unknown): string | null {
  if (resourceId !== id) return `a poll at ${at} ms returned ${String(resourceId)}`;
  const script: readonly string[] = [...SCRIPT_ORDER, job.end];
  const truth = truthAt(job, at);
  if (!script.includes(status) || script.indexOf(status) > script.indexOf(truth))
    return `a poll at ${at} ms reported ${status} while the job was ${truth}`;
  return null;
}

/** What the emulator logged for one id's `Get…` requests. */
interface GetFacts {
  readonly transient: number;
  readonly fatal: number;
}

function factsOf(gets: readonly RequestLogEntry[]): GetFacts {
  return {
    transient: gets.filter((g) => g.faults.some((f) => TRANSIENT_FAULTS.has(f))).length,
    fatal: gets.filter((g) => g.faults.some((f) => FATAL_FAULTS.has(f))).length,
  };
}

/**
 * Judges how one (non-aborted) wait on `id` ended against the job's script: its outcome name, and the
 * violation if any. A request error is accepted only when the faults the emulator applied to this id's
 * `Get…` requests explain it: retries+1 transient failures for `retriesExhausted`, a fatal answer otherwise.
 */
function judge(
  id: string,
  end: End,
  outcome: Outcome,
  facts: GetFacts,
  retries: number,
): { readonly name: string; readonly problem: string | null } {
  if (outcome.ok) {
    const resource = outcome.value as { Status?: unknown; BatchPredictionId?: unknown } | undefined;
    if (resource?.Status !== 'COMPLETED' || resource.BatchPredictionId !== id)
      return { name: 'COMPLETED', problem: `resolved with ${JSON.stringify(resource)}` };
    return {
      name: 'COMPLETED',
      problem: end === 'COMPLETED' ? null : `resolved COMPLETED, but the job ends ${end}`,
    };
  }
  const error = outcome.error;
  if (isWaiterError(error) && error.id !== id)
    return { name: 'wrong-id', problem: `error names ${error.id}` };
  if (isResourceFailedError(error))
    return {
      name: 'FAILED',
      problem: end === 'FAILED' ? null : `ResourceFailedError, but the job ends ${end}`,
    };
  if (isResourceDeletedError(error))
    return {
      name: 'DELETED',
      problem: end === 'DELETED' ? null : `ResourceDeletedError, but the job ends ${end}`,
    };
  if (isWaitRequestError(error)) {
    const cause = error.cause;
    if (error.retriesExhausted) {
      const explained = isAmazonMLError(cause) && cause.retryable && facts.transient >= retries + 1;
      return {
        name: 'retries-exhausted',
        problem: explained
          ? null
          : `retries exhausted (${String((cause as Error | undefined)?.name)}) with ${facts.transient} transient faults on its Gets, ${retries} retries`,
      };
    }
    const explained = isAmazonMLError(cause) && !cause.retryable && facts.fatal > 0;
    return {
      name: 'request-error',
      problem: explained
        ? null
        : `WaitRequestError (${String((cause as Error | undefined)?.name)}) that no fatal fault on its Gets explains`,
    };
  }
  if (isWaitTimeoutError(error)) return { name: 'timeout', problem: `timed out: ${error.message}` };
  return {
    name: 'unexpected',
    problem: `unexpected rejection ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
  };
}

// --- One run.

interface WaitRecord {
  readonly id: string;
  readonly job: Job;
  readonly statuses: string[];
  /** What the event listeners found wrong as the events came. */
  readonly problems: string[];
  readonly transitions: { readonly from: string | null; readonly to: string }[];
  polls: number;
  /** Polls that sent (or joined) a Get; the others were answered from a list pass. */
  pollsWithGet: number;
  eventsAfterEnd: number;
  startedAt: number;
  settledAt: number;
  aborted: boolean;
  outcome: Outcome;
  reason: Error;
  getsAtEnd: number;
}

interface RunReport {
  readonly waits: number;
  readonly group: 'resolved' | 'rejected' | 'aborted' | null;
  readonly outcomes: Record<string, number>;
  readonly requests: Record<string, number>;
  readonly faults: Record<string, number>;
  readonly polls: number;
  readonly pollsWithGet: number;
  readonly maxLagMs: number;
  readonly violations: string[];
}

async function runOnce(emulator: Emulator, box: ClockBox, run: Run, n: number): Promise<RunReport> {
  const violations: string[] = [];
  emulator.reset();
  const clock = new VirtualClock({ autoAdvance: true });
  box.clock = clock;
  const ids = run.jobs.map((_, i) => `list-${n}-${i}`);
  run.jobs.forEach((job, i) => emulator.put('BatchPrediction', { BatchPredictionId: ids[i] }, scriptOf(job)));
  const bystanders = run.bystanders;
  for (let k = 0; k < (bystanders?.count ?? 0) && bystanders !== null; k++) {
    emulator.put('BatchPrediction', { BatchPredictionId: `bystander-${n}-${k}` }, [
      { status: 'PENDING', forMs: bystanders.firstMs },
      { status: 'INPROGRESS', forMs: bystanders.secondMs },
      { status: 'COMPLETED' },
    ]);
  }
  for (const rule of run.faults) emulator.addFault(rule);

  const socketBaseline = countSockets();
  const client = new AmazonMLClient({
    endpoint: emulator.endpoint,
    region: emulator.region,
    credentials: { ...emulator.credentials },
  });
  const common: WaitOptions = {
    client,
    clock,
    polling: 'list',
    timeoutMs: TIMEOUT_MS,
    minDelayMs: run.minDelayMs,
    maxDelayMs: run.maxDelayMs,
    retry: { retries: run.retries, minTimeoutMs: run.retryMinTimeoutMs, maxTimeoutMs: run.retryMaxTimeoutMs },
    random: createSeededRandom(run.jitterSeed),
  };
  const getsOf = (id: string): number =>
    emulator.requests().filter((r) => r.operation === GET && r.id === id).length;

  const records: WaitRecord[] = [];
  let group:
    { outcome: Outcome; aborted: boolean; reason: Error; settledAt: number; gets: number } | undefined;

  if (run.group === null) {
    await Promise.all(
      run.jobs.flatMap((job, i) =>
        job.waits.map(async (plan, k) => {
          const id = ids[i] as string;
          const rec: WaitRecord = {
            id,
            job,
            statuses: [],
            problems: [],
            transitions: [],
            polls: 0,
            pollsWithGet: 0,
            eventsAfterEnd: 0,
            startedAt: 0,
            settledAt: 0,
            aborted: false,
            outcome: { ok: true, value: undefined },
            reason: new Error(`chaos abort of ${id} (wait ${k})`),
            getsAtEnd: 0,
          };
          records.push(rec);
          const controller = new AbortController();
          let abortTimer: unknown;
          if (plan.abortAtMs !== null) {
            abortTimer = clock.setTimeout(() => {
              controller.abort(rec.reason);
            }, plan.abortAtMs);
          }
          if (plan.startAfterMs > 0) {
            await new Promise<void>((resolve) => clock.setTimeout(resolve, plan.startAfterMs));
          }
          rec.startedAt = clock.now();
          let settled = false;
          // `attempt` counts the requests sent so far: a poll that did not raise it was served by a list pass.
          let lastAttempt = 0;
          const waiter = createWaiter('BatchPrediction', id, { ...common, signal: controller.signal });
          waiter.on('poll', (event) => {
            if (settled) rec.eventsAfterEnd++;
            const status = String(event.resource.Status);
            rec.statuses.push(status);
            const ahead = aheadOfTruth(job, id, clock.now(), status, event.resource.BatchPredictionId);
            if (ahead !== null) rec.problems.push(ahead);
            rec.polls++;
            if (event.attempt > lastAttempt) rec.pollsWithGet++;
            lastAttempt = event.attempt;
          });
          waiter.on('transition', (event) => {
            if (settled) rec.eventsAfterEnd++;
            rec.transitions.push({ from: event.from, to: event.to });
          });
          rec.outcome = await waiter.result.then(
            (value): Outcome => ({ ok: true, value }),
            (error: unknown): Outcome => ({ ok: false, error }),
          );
          // No macrotask (hence no abort timer) runs between the settlement and this line.
          settled = true;
          rec.settledAt = clock.now();
          rec.aborted = controller.signal.aborted;
          if (abortTimer !== undefined) clock.clearTimeout(abortTimer);
          rec.getsAtEnd = getsOf(id);
        }),
      ),
    );
  } else {
    const controller = new AbortController();
    const reason = new Error('chaos abort of the group');
    let abortTimer: unknown;
    if (run.group.abortAtMs !== null) {
      abortTimer = clock.setTimeout(() => {
        controller.abort(reason);
      }, run.group.abortAtMs);
    }
    const outcome = await waitForAll('BatchPrediction', ids, { ...common, signal: controller.signal }).then(
      (value): Outcome => ({ ok: true, value }),
      (error: unknown): Outcome => ({ ok: false, error }),
    );
    if (abortTimer !== undefined) clock.clearTimeout(abortTimer);
    group = {
      outcome,
      aborted: controller.signal.aborted,
      reason,
      settledAt: clock.now(),
      gets: emulator.requests().filter((r) => r.operation === GET).length,
    };
  }

  // --- Nothing left running: every wait has unregistered, so the list poller must be gone with its timer.
  const shared = SharedPolls.of(client);
  if (clock.pendingTimers !== 0)
    violations.push(`${clock.pendingTimers} virtual timer(s) left after the run`);
  if (shared.size !== 0) violations.push(`${shared.size} resource(s) still registered on the shared client`);
  if (shared.isListPolling('BatchPrediction')) violations.push('the list poller still runs after the run');
  // Let anything left behind act: a stray timer would fire (virtual time) and send a request.
  await turns(8);

  const log = emulator.requests();
  const getsById = new Map<string, RequestLogEntry[]>();
  for (const entry of log) {
    if (entry.operation !== GET || entry.id === undefined) continue;
    const list = getsById.get(entry.id) ?? [];
    list.push(entry);
    getsById.set(entry.id, list);
  }
  const facts = (id: string): GetFacts => factsOf(getsById.get(id) ?? []);
  const terminalAt = (job: Job): number => job.pendingMs + job.inProgressMs;

  const outcomes: Record<string, number> = {};
  const count = (name: string): void => {
    outcomes[name] = (outcomes[name] ?? 0) + 1;
  };
  let maxLagMs = 0;
  let polls = 0;
  let pollsWithGet = 0;
  let groupResult: RunReport['group'] = null;

  for (const rec of records) {
    const where = `${rec.id} (ends ${rec.job.end} at ${terminalAt(rec.job)} ms)`;
    polls += rec.polls;
    pollsWithGet += rec.pollsWithGet;
    if (rec.eventsAfterEnd > 0) violations.push(`${where}: ${rec.eventsAfterEnd} event(s) after the end`);
    for (const problem of rec.problems) violations.push(`${where}: ${problem}`);
    const order = outOfOrder(rec.statuses, rec.job.end);
    if (order !== null) violations.push(`${where}: ${order}`);
    // The transitions are the polls' status changes, chained.
    const distinct = rec.statuses.filter((s, i) => s !== rec.statuses[i - 1]);
    const chain = rec.transitions.map((t) => t.to);
    if (JSON.stringify(chain) !== JSON.stringify(distinct))
      violations.push(`${where}: transitions ${JSON.stringify(chain)}, polls ${JSON.stringify(distinct)}`);
    rec.transitions.forEach((t, i) => {
      if (t.from !== (i === 0 ? null : rec.transitions[i - 1]?.to))
        violations.push(`${where}: transition ${String(t.from)} → ${t.to} does not follow the previous one`);
    });
    if (rec.aborted) {
      count('aborted');
      if (rec.outcome.ok || rec.outcome.error !== rec.reason)
        violations.push(
          `${where}: aborted, but ended ${rec.outcome.ok ? 'COMPLETED' : String(rec.outcome.error)}`,
        );
      continue;
    }
    const verdict = judge(rec.id, rec.job.end, rec.outcome, facts(rec.id), run.retries);
    count(verdict.name);
    if (verdict.problem !== null) violations.push(`${where}: ${verdict.problem}`);
    if (!rec.outcome.ok && isWaiterError(rec.outcome.error)) {
      const history = rec.outcome.error.history.map((h) => h.status);
      if (JSON.stringify(history) !== JSON.stringify(distinct))
        violations.push(
          `${where}: error history ${JSON.stringify(history)}, polls ${JSON.stringify(distinct)}`,
        );
    }
    if (verdict.name === rec.job.end) {
      maxLagMs = Math.max(maxLagMs, rec.settledAt - Math.max(terminalAt(rec.job), rec.startedAt));
    }
  }
  // No Get for an id once every wait on it has ended (unless one was aborted: its request may be in flight).
  for (const id of ids) {
    const on = records.filter((r) => r.id === id);
    if (on.length === 0 || on.some((r) => r.aborted)) continue;
    const atEnd = Math.max(...on.map((r) => r.getsAtEnd));
    const total = getsById.get(id)?.length ?? 0;
    if (total > atEnd) violations.push(`${id}: ${total - atEnd} Get(s) after its waits ended`);
  }

  if (group !== undefined) {
    const where = `waitForAll over ${ids.length} ids`;
    const { outcome } = group;
    const total = log.filter((r) => r.operation === GET).length;
    if (group.aborted) {
      groupResult = 'aborted';
      count('aborted');
      if (outcome.ok || outcome.error !== group.reason)
        violations.push(`${where}: aborted, but ended ${outcome.ok ? 'resolved' : String(outcome.error)}`);
    } else {
      if (total > group.gets) violations.push(`${where}: ${total - group.gets} Get(s) after it ended`);
      if (outcome.ok) {
        groupResult = 'resolved';
        const resources = outcome.value as readonly unknown[];
        if (resources.length !== ids.length)
          violations.push(`${where}: resolved with ${resources.length} resources`);
        ids.forEach((id, i) => {
          const job = run.jobs[i] as Job;
          const verdict = judge(id, job.end, { ok: true, value: resources[i] }, facts(id), run.retries);
          count(verdict.name);
          if (verdict.problem !== null) violations.push(`${where}, ${id} (index ${i}): ${verdict.problem}`);
        });
      } else if (!isMultiWaitError(outcome.error)) {
        violations.push(`${where}: rejected with ${String(outcome.error)}, not a MultiWaitError`);
      } else {
        groupResult = 'rejected';
        const error = outcome.error;
        if (error.outcomes.length !== ids.length || error.outcomes.some((o, i) => o.id !== ids[i]))
          violations.push(`${where}: outcomes ${JSON.stringify(error.outcomes.map((o) => o.id))}`);
        if (error.errors.length === 0 || error.errors.length !== error.failedIds.length)
          violations.push(`${where}: ${error.errors.length} errors for ${error.failedIds.length} failed ids`);
        error.outcomes.forEach((o, i) => {
          const job = run.jobs[i] as Job;
          const verdict = judge(
            o.id,
            job.end,
            o.ok ? { ok: true, value: o.resource } : { ok: false, error: o.error },
            facts(o.id),
            run.retries,
          );
          count(verdict.name);
          if (verdict.problem !== null) violations.push(`${where}, ${o.id}: ${verdict.problem}`);
          if (!o.ok && isWaiterError(o.error)) {
            const order = outOfOrder(
              o.error.history.map((h) => h.status),
              job.end,
            );
            if (order !== null) violations.push(`${where}, ${o.id}: ${order}`);
          }
        });
      }
      maxLagMs = Math.max(maxLagMs, group.settledAt - Math.max(...run.jobs.map(terminalAt)));
    }
  }

  await client.close();
  const sockets = await socketsLeft(socketBaseline);
  if (sockets > 0) violations.push(`${sockets} socket(s) left open after the client closed`);

  const faults: Record<string, number> = {};
  for (const rule of emulator.faults()) {
    if (rule.applied > 0) faults[rule.kind] = (faults[rule.kind] ?? 0) + rule.applied;
  }
  return {
    waits: group === undefined ? records.length : ids.length,
    group: groupResult,
    outcomes,
    requests: { ...emulator.counters().byOperation },
    faults,
    polls,
    pollsWithGet,
    maxLagMs,
    violations,
  };
}

// --- The suite.

describe('chaos: list polling and waitForAll, in virtual time', () => {
  const box: ClockBox = { clock: new VirtualClock({ autoAdvance: true }) };
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, clock: clockProxy(box) });
  });
  afterAll(async () => {
    await emulator.close();
  });

  it(`${RUNS} runs: every list-polled wait ends with the emulator's truth, in order, leaving nothing`, async () => {
    const started = performance.now();
    const reports: RunReport[] = [];
    let n = 0;
    console.log(
      `list chaos: ${RUNS} runs, seed ${SEED} (replay: CHAOS_SEED=${SEED} CHAOS_LIST_RUNS=${RUNS})`,
    );
    const details = await fc.check(
      fc.asyncProperty(runArb, async (run) => {
        n++;
        const report = await runOnce(emulator, box, run, n);
        reports.push(report);
        if (report.violations.length > 0) {
          throw new Error(`run ${n} violated:\n- ${report.violations.join('\n- ')}\n${JSON.stringify(run)}`);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true, ...(PATH === undefined ? {} : { path: PATH }) },
    );
    const seconds = (performance.now() - started) / 1000;

    const sum = (pick: (r: RunReport) => Record<string, number>): Record<string, number> => {
      const total: Record<string, number> = {};
      for (const r of reports) for (const [k, v] of Object.entries(pick(r))) total[k] = (total[k] ?? 0) + v;
      return total;
    };
    const requests = sum((r) => r.requests);
    const faultsByKind = sum((r) => r.faults);
    const figures = {
      seed: SEED,
      runs: reports.length,
      runsCorrect: reports.filter((r) => r.violations.length === 0).length,
      waits: reports.reduce((s, r) => s + r.waits, 0),
      waitForAllRuns: sum((r) => (r.group === null ? {} : { [r.group]: 1 })),
      requests,
      // Poll events of the single waits, and those that sent (or joined) a Get: the rest came from list passes.
      polls: reports.reduce((s, r) => s + r.polls, 0),
      pollsWithGet: reports.reduce((s, r) => s + r.pollsWithGet, 0),
      faultsInjected: Object.entries(faultsByKind)
        .filter(([k]) => k !== 'delay')
        .reduce((s, [, v]) => s + v, 0),
      faultsByKind,
      outcomes: sum((r) => r.outcomes),
      // Virtual ms from a job's end to its wait's end (inflated by requests out in real time, see TIMEOUT_MS).
      maxLagMs: Math.max(0, ...reports.map((r) => r.maxLagMs)),
      seconds: Math.round(seconds * 10) / 10,
      failed: details.failed,
    };
    writeFigures('listChaos', figures);
    console.log(`list chaos figures: ${JSON.stringify(figures)}`);
    if (details.failed) {
      throw new Error(
        `list chaos failed; replay the failing run alone with CHAOS_SEED=${SEED} CHAOS_PATH=${String(details.counterexamplePath)} CHAOS_LIST_RUNS=1:\n${fc.defaultReportMessage(details) ?? ''}\n${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)}`,
      );
    }
    expect(figures.runs).toBe(RUNS);
    // The runs must actually list: passes were sent, and served most reads.
    expect(requests[DESCRIBE] ?? 0).toBeGreaterThan(0);
    if (PATH === undefined && RUNS >= 30) {
      expect(figures.pollsWithGet).toBeLessThan(figures.polls / 2);
      expect(Object.keys(figures.outcomes)).toEqual(
        expect.arrayContaining(['COMPLETED', 'FAILED', 'DELETED', 'aborted']),
      );
      expect(Object.keys(figures.waitForAllRuns).length).toBeGreaterThan(0);
    }
  }, 600_000);

  it('the oracle flags a wrong end, a status going back or ahead, and an unexplained request error', () => {
    const context = {
      kind: 'BatchPrediction' as const,
      id: 'x',
      lastResource: undefined,
      history: [],
      attempts: 1,
    };
    const none = { transient: 0, fatal: 0 };
    const completed = { ok: true as const, value: { BatchPredictionId: 'x', Status: 'COMPLETED' } };
    expect(judge('x', 'COMPLETED', completed, none, 2).problem).toBeNull();
    expect(judge('x', 'FAILED', completed, none, 2).problem).toMatch(/ends FAILED/);
    expect(judge('y', 'COMPLETED', completed, none, 2).problem).toMatch(/resolved with/);
    const failed = { ok: false as const, error: new ResourceFailedError({ ...context, elapsedMs: 1 }) };
    expect(judge('x', 'FAILED', failed, none, 2).problem).toBeNull();
    expect(judge('x', 'DELETED', failed, none, 2).problem).toMatch(/ResourceFailedError/);
    const deleted = { ok: false as const, error: new ResourceDeletedError({ ...context, elapsedMs: 1 }) };
    expect(judge('x', 'COMPLETED', deleted, none, 2).problem).toMatch(/ResourceDeletedError/);
    const throttled = new AmazonMLError('ThrottlingException', 'Rate exceeded', { statusCode: 400 });
    const exhausted = {
      ok: false as const,
      error: new WaitRequestError({ ...context, elapsedMs: 1, cause: throttled, retriesExhausted: true }),
    };
    expect(judge('x', 'COMPLETED', exhausted, { transient: 3, fatal: 0 }, 2).problem).toBeNull();
    expect(judge('x', 'COMPLETED', exhausted, { transient: 2, fatal: 1 }, 2).problem).toMatch(
      /retries exhausted/,
    );
    const invalid = new AmazonMLError('InvalidResponseError', 'truncated JSON', { retryable: false });
    const fatal = {
      ok: false as const,
      error: new WaitRequestError({ ...context, elapsedMs: 1, cause: invalid, retriesExhausted: false }),
    };
    expect(judge('x', 'COMPLETED', fatal, { transient: 0, fatal: 1 }, 2).problem).toBeNull();
    expect(judge('x', 'COMPLETED', fatal, { transient: 5, fatal: 0 }, 2).problem).toMatch(/no fatal fault/);
    expect(judge('x', 'COMPLETED', { ok: false, error: new Error('boom') }, none, 2).problem).toMatch(
      /unexpected/,
    );
    expect(outOfOrder(['PENDING', 'PENDING', 'COMPLETED'], 'COMPLETED')).toBeNull();
    expect(outOfOrder(['INPROGRESS', 'PENDING'], 'COMPLETED')).toMatch(/not in the order/);
    expect(outOfOrder(['COMPLETED', 'INPROGRESS'], 'COMPLETED')).toMatch(/not in the order/);
    expect(outOfOrder(['FAILED'], 'COMPLETED')).toMatch(/not in the order/);
    const job: Job = { pendingMs: 1000, inProgressMs: 1000, end: 'COMPLETED', waits: [] };
    expect(aheadOfTruth(job, 'x', 1500, 'PENDING', 'x')).toBeNull();
    expect(aheadOfTruth(job, 'x', 1500, 'COMPLETED', 'x')).toMatch(/while the job was INPROGRESS/);
    expect(aheadOfTruth(job, 'x', 2000, 'COMPLETED', 'y')).toMatch(/returned y/);
  });
});
