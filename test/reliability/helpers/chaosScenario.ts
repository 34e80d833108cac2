import fc from 'fast-check';
import type { FaultRule } from '../../../src/emulator/FaultRule.js';
import type { LifecycleStep } from '../../../src/emulator/LifecycleScript.js';
import type { ResourceKind } from '../../../src/model/ResourceKind.js';

/** How the wait is consumed. */
export type Face = 'promise' | 'observable' | 'waiter';

/** When (if ever) the scenario aborts its wait. */
export type AbortPlan =
  | { readonly type: 'none' }
  | { readonly type: 'before' }
  /** At this virtual time since the wait started. */
  | { readonly type: 'at'; readonly atMs: number }
  /** Right after the n-th `Get…` call was sent (the request is in flight). */
  | { readonly type: 'request'; readonly n: number };

/** One generated chaos scenario: a lifecycle, faults, wait options and an abort plan. */
export interface Scenario {
  readonly kind: ResourceKind;
  readonly face: Face;
  /** Not visible for this long after the wait starts (0: visible at once). */
  readonly notFoundForMs: number;
  readonly phases: readonly { readonly status: 'PENDING' | 'INPROGRESS'; readonly forMs: number }[];
  /** The terminal status reached after the phases (`null`: never, the wait must time out). */
  readonly terminal: 'COMPLETED' | 'FAILED' | 'DELETED' | null;
  /** For COMPLETED/FAILED: deleted this long after reaching it (`null`: never). */
  readonly deletedAfterMs: number | null;
  readonly timeoutMs: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly notFoundGraceMs: number;
  readonly retries: number;
  readonly retryMinTimeoutMs: number;
  readonly retryMaxTimeoutMs: number;
  /** Fault rules (matched on the scenario's id by the runner). */
  readonly faults: readonly FaultRule[];
  /** The server's clock is off by this much (0, or beyond the 15-minute SigV4 window). */
  readonly serverSkewMs: number;
  readonly abort: AbortPlan;
  /** Seed of the waiter's jitter. */
  readonly jitterSeed: number;
}

/** Real time the emulator holds a "slow" response, and the client's request timeout (real ms, kept small). */
export const SLOW_RESPONSE_MS = 250;
export const REQUEST_TIMEOUT_MS = 100;
/** Largest `Retry-After` a throttle fault sends, in seconds. */
export const MAX_RETRY_AFTER_S = 5;

/** Error types the emulator is told to send that must never be retried. */
export const NON_RETRYABLE_FAULT_TYPES = new Set(['InvalidInputException', 'AccessDeniedException']);

const burst = { times: fc.integer({ min: 1, max: 4 }), skip: fc.integer({ min: 0, max: 8 }) };

/** Transient faults: throttling storms, 5xx bursts (JSON, HTML, empty), resets, throttling by other names. */
const transientFault: fc.Arbitrary<FaultRule> = fc.oneof(
  fc.record(
    {
      kind: fc.constant('throttle' as const),
      ...burst,
      retryAfterSeconds: fc.integer({ min: 0, max: MAX_RETRY_AFTER_S }),
    },
    { requiredKeys: ['kind', 'times', 'skip'] },
  ),
  fc.record({
    kind: fc.constant('serverError' as const),
    ...burst,
    status: fc.constantFrom(500 as const, 502 as const, 503 as const, 504 as const),
    format: fc.constantFrom('json' as const, 'html' as const, 'empty' as const),
  }),
  fc.record({ kind: fc.constant('reset' as const), ...burst }),
  fc
    .tuple(
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 0, max: 8 }),
      // Throttling and server errors under other names and statuses (reference §6.1).
      fc.constantFrom(
        { status: 429, errorType: 'TooManyRequestsException' },
        { status: 417, errorType: 'LimitExceededException' },
        { status: 400, errorType: 'ThrottlingException' },
        { status: 400, errorType: 'RequestLimitExceeded' },
        { status: 500, errorType: 'InternalServerException' },
      ),
    )
    .map(([times, skip, e]): FaultRule => ({ kind: 'error', times, skip, ...e })),
);

/** Faults that end a wait at once: invalid input, access denied, a 200 with truncated JSON. */
const fatalFault: fc.Arbitrary<FaultRule> = fc.oneof(
  fc.record({
    kind: fc.constant('error' as const),
    times: fc.constant(1),
    skip: fc.integer({ min: 0, max: 12 }),
    status: fc.constant(400),
    errorType: fc.constant('InvalidInputException'),
  }),
  fc.record({
    kind: fc.constant('error' as const),
    times: fc.constant(1),
    skip: fc.integer({ min: 0, max: 12 }),
    status: fc.constant(403),
    errorType: fc.constant('AccessDeniedException'),
    message: fc.constant('User is not authorized to perform: machinelearning:GetBatchPrediction'),
  }),
  fc.record({
    kind: fc.constant('malformedJson' as const),
    times: fc.constant(1),
    skip: fc.integer({ min: 0, max: 12 }),
  }),
);

/** Modifiers: qualified/odd error-type encodings and skewed `Date` headers on answers. */
const modifierFault: fc.Arbitrary<FaultRule> = fc.oneof(
  fc.record({
    kind: fc.constant('errorTypeQuirk' as const),
    quirk: fc.constantFrom(
      'typeOnly' as const,
      'headerOnly' as const,
      'fullyQualified' as const,
      'numericCode' as const,
    ),
  }),
  fc.record({
    kind: fc.constant('skewDate' as const),
    skewMs: fc.integer({ min: -3_600_000, max: 3_600_000 }),
  }),
);

/** A slow response: longer than the client's request timeout (real time, so rare and short). */
const slowFault: fc.Arbitrary<FaultRule> = fc.record({
  kind: fc.constant('delay' as const),
  ms: fc.constant(SLOW_RESPONSE_MS),
  times: fc.constant(1),
  skip: fc.integer({ min: 0, max: 4 }),
});

const faultsArb: fc.Arbitrary<FaultRule[]> = fc
  .tuple(
    fc.array(transientFault, { maxLength: 3 }),
    fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fatalFault }),
    fc.array(modifierFault, { maxLength: 2 }),
    fc.oneof({ weight: 15, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: slowFault }),
  )
  .map(([transient, fatal, modifiers, slow]) => [
    ...modifiers,
    ...(slow === undefined ? [] : [slow]),
    ...transient,
    ...(fatal === undefined ? [] : [fatal]),
  ]);

const abortArb = (timeoutMs: number): fc.Arbitrary<AbortPlan> =>
  fc.oneof(
    { weight: 14, arbitrary: fc.constant({ type: 'none' as const }) },
    { weight: 1, arbitrary: fc.constant({ type: 'before' as const }) },
    {
      weight: 2,
      arbitrary: fc.integer({ min: 0, max: timeoutMs }).map((atMs) => ({ type: 'at' as const, atMs })),
    },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 1, max: 6 }).map((n) => ({ type: 'request' as const, n })),
    },
  );

/** The scenario generator. */
export const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    kind: fc.constantFrom<ResourceKind>('BatchPrediction', 'DataSource', 'MLModel', 'Evaluation'),
    face: fc.constantFrom<Face>('promise', 'observable', 'waiter'),
    notFoundForMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20_000 })),
    phases: fc.array(
      fc.record({
        status: fc.constantFrom('PENDING' as const, 'INPROGRESS' as const),
        forMs: fc.integer({ min: 0, max: 120_000 }),
      }),
      { maxLength: 3 },
    ),
    terminal: fc.constantFrom('COMPLETED' as const, 'FAILED' as const, 'DELETED' as const, null),
    deletedAfterMs: fc.oneof(
      { weight: 3, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 30_000 }) },
    ),
    timeoutMs: fc.integer({ min: 10_000, max: 900_000 }),
    minDelayMs: fc.integer({ min: 200, max: 5_000 }),
    extraDelayMs: fc.integer({ min: 0, max: 60_000 }),
    graceMode: fc.constantFrom('generous' as const, 'generous' as const, 'short' as const),
    retries: fc.integer({ min: 2, max: 5 }),
    retryMinTimeoutMs: fc.integer({ min: 50, max: 1_000 }),
    retryExtraMs: fc.integer({ min: 0, max: 20_000 }),
    faults: faultsArb,
    serverSkewMs: fc.oneof(
      { weight: 5, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 16 * 60_000, max: 90 * 60_000 }) },
      { weight: 1, arbitrary: fc.integer({ min: -90 * 60_000, max: -16 * 60_000 }) },
    ),
    jitterSeed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  })
  .chain((r) =>
    abortArb(r.timeoutMs).map((abort): Scenario => {
      const maxDelayMs = r.minDelayMs + r.extraDelayMs;
      const retryMaxTimeoutMs = r.retryMinTimeoutMs + r.retryExtraMs;
      return {
        kind: r.kind,
        face: r.face,
        notFoundForMs: r.notFoundForMs,
        phases: r.phases,
        terminal: r.terminal,
        deletedAfterMs: r.terminal === 'COMPLETED' || r.terminal === 'FAILED' ? r.deletedAfterMs : null,
        timeoutMs: r.timeoutMs,
        minDelayMs: r.minDelayMs,
        maxDelayMs,
        // Generous: the resource surely shows up within the grace; short: it may not.
        notFoundGraceMs:
          r.graceMode === 'short'
            ? Math.max(0, Math.floor(r.notFoundForMs / 2))
            : r.notFoundForMs +
              maxDelayMs +
              12 * Math.max(retryMaxTimeoutMs, MAX_RETRY_AFTER_S * 1000) +
              1000,
        retries: r.retries,
        retryMinTimeoutMs: r.retryMinTimeoutMs,
        retryMaxTimeoutMs,
        faults: r.faults,
        serverSkewMs: r.serverSkewMs,
        abort,
        jitterSeed: r.jitterSeed,
      };
    }),
  );

/** The emulator lifecycle script of a scenario. */
export function scriptOf(s: Scenario): LifecycleStep[] {
  const steps: LifecycleStep[] = [];
  if (s.notFoundForMs > 0) steps.push({ notFoundForMs: s.notFoundForMs });
  for (const phase of s.phases) steps.push({ status: phase.status, forMs: phase.forMs });
  if (s.terminal === null) {
    steps.push({ status: 'INPROGRESS' });
  } else if (s.deletedAfterMs !== null) {
    steps.push({
      status: s.terminal,
      forMs: s.deletedAfterMs,
      ...(s.terminal === 'FAILED' ? { message: 'Chaos: the input data was rejected' } : {}),
    });
    steps.push({ status: 'DELETED' });
  } else {
    steps.push({
      status: s.terminal,
      ...(s.terminal === 'FAILED' ? { message: 'Chaos: the input data was rejected' } : {}),
    });
  }
  // A script must have a status step after `notFoundForMs`.
  return steps;
}

/** Virtual time at which the lifecycle first shows a terminal status (`null`: never). */
export function terminalAtMs(s: Scenario): number | null {
  if (s.terminal === null) return null;
  return s.notFoundForMs + s.phases.reduce((sum, p) => sum + p.forMs, 0);
}
