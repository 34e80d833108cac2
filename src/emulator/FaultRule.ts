/** Which requests a fault applies to, and how often. */
export interface FaultMatch {
  /** Operation name(s), e.g. `GetBatchPrediction`. Default: every operation. */
  readonly operation?: string | readonly string[] | undefined;
  /** Resource id the request names (its `…Id` member). Default: any. */
  readonly id?: string | undefined;
  /** Sequence: apply to this many matching requests, then stop. Default: unlimited. */
  readonly times?: number | undefined;
  /** Sequence: let this many matching requests through first. Default 0. */
  readonly skip?: number | undefined;
  /** Apply to each matching request with this probability (0..1, from the emulator's `random`). Default 1. */
  readonly rate?: number | undefined;
}

/** Answer `400 ThrottlingException` ("Rate exceeded"), optionally with `Retry-After` (s) and/or `x-amz-retry-after` (ms). */
export interface ThrottleFault extends FaultMatch {
  readonly kind: 'throttle';
  readonly retryAfterSeconds?: number | undefined;
  readonly retryAfterMs?: number | undefined;
}

/** Answer a 5xx: JSON (`InternalServerException` for 500, `ServiceUnavailableException` otherwise), an HTML page, or an empty body. */
export interface ServerErrorFault extends FaultMatch {
  readonly kind: 'serverError';
  /** Default 500. */
  readonly status?: 500 | 502 | 503 | 504 | undefined;
  /** Default `json`. */
  readonly format?: 'json' | 'html' | 'empty' | undefined;
}

/** Answer any error: status, type and message of your choice. */
export interface CustomErrorFault extends FaultMatch {
  readonly kind: 'error';
  readonly status: number;
  readonly errorType: string;
  readonly message?: string | undefined;
}

/** Destroy the connection without answering (the client sees ECONNRESET / "other side closed"). */
export interface ResetFault extends FaultMatch {
  readonly kind: 'reset';
}

/** Wait `ms` milliseconds of real time before handling the request (to exceed a client timeout). */
export interface DelayFault extends FaultMatch {
  readonly kind: 'delay';
  readonly ms: number;
}

/** Answer 200 with a truncated, unparseable JSON body. */
export interface MalformedJsonFault extends FaultMatch {
  readonly kind: 'malformedJson';
}

/** Send a `Date` header `skewMs` away from the real time (the request is otherwise handled normally). */
export interface SkewDateFault extends FaultMatch {
  readonly kind: 'skewDate';
  readonly skewMs: number;
}

/**
 * Change how the error type of an error response is sent (reference §10.5): `typeOnly` — only `__type`;
 * `headerOnly` — only `x-amzn-ErrorType`; `fullyQualified` — `com.amazonaws.machinelearning#Type:http://internal.amazon.com/coral/…`
 * in both; `numericCode` — add `"code": 0` to the body.
 */
export interface ErrorTypeQuirkFault extends FaultMatch {
  readonly kind: 'errorTypeQuirk';
  readonly quirk: 'typeOnly' | 'headerOnly' | 'fullyQualified' | 'numericCode';
}

/** Send long members (`TotalRecordCount`, …) above 2^53 in successful responses (reference §10.5 (h)). */
export interface LargeLongsFault extends FaultMatch {
  readonly kind: 'largeLongs';
}

/**
 * Deny `Describe…` as IAM does for a policy that allows `Get…` but not the list: 403
 * `AccessDeniedException` naming the caller and the action. Applies to the four `Describe…` operations
 * (narrow it with `operation`).
 */
export interface ListDeniedFault extends FaultMatch {
  readonly kind: 'listDenied';
}

/** Answer `Describe…` with an empty page (no `Results`, no `NextToken`): an index that shows no job. */
export interface EmptyPagesFault extends FaultMatch {
  readonly kind: 'emptyPages';
}

/**
 * Answer `Describe…` from an index `lagMs` behind the lifecycle clock: jobs created within `lagMs` are
 * missing and every status is the one it had `lagMs` ago.
 */
export interface LaggingPagesFault extends FaultMatch {
  readonly kind: 'laggingPages';
  readonly lagMs: number;
}

/**
 * A fault-injection rule. `throttle`, `serverError`, `error`, `reset`, `malformedJson` and `listDenied`
 * decide the answer (the first matching one wins); `delay`, `skewDate`, `errorTypeQuirk`, `largeLongs`,
 * `emptyPages` and `laggingPages` modify it and combine with the others. The last three apply to
 * `Describe…` calls only.
 */
export type FaultRule =
  | ThrottleFault
  | ServerErrorFault
  | CustomErrorFault
  | ResetFault
  | DelayFault
  | MalformedJsonFault
  | SkewDateFault
  | ErrorTypeQuirkFault
  | LargeLongsFault
  | ListDeniedFault
  | EmptyPagesFault
  | LaggingPagesFault;

/** A rule as the emulator reports it: with its id and how often it matched and fired. */
export type FaultRuleState = FaultRule & {
  readonly ruleId: string;
  readonly matched: number;
  readonly applied: number;
};

const KINDS = new Set([
  'throttle',
  'serverError',
  'error',
  'reset',
  'delay',
  'malformedJson',
  'skewDate',
  'errorTypeQuirk',
  'largeLongs',
  'listDenied',
  'emptyPages',
  'laggingPages',
]);

/** The operations the list faults apply to. */
export const LIST_OPERATIONS: ReadonlySet<string> = new Set([
  'DescribeBatchPredictions',
  'DescribeDataSources',
  'DescribeMLModels',
  'DescribeEvaluations',
]);

/** Kinds that only ever apply to `Describe…` calls. */
export const LIST_FAULT_KINDS: ReadonlySet<string> = new Set(['listDenied', 'emptyPages', 'laggingPages']);

function nonNegativeInteger(value: unknown, field: string): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) {
    throw new RangeError(`Expected \`${field}\` to be an integer >= 0, got ${JSON.stringify(value)}`);
  }
}

function nonNegativeNumber(value: unknown, field: string, required: boolean): void {
  if (value === undefined && !required) return;
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
    throw new RangeError(`Expected \`${field}\` to be a finite number >= 0, got ${JSON.stringify(value)}`);
  }
}

/** Validates a fault rule; throws a TypeError/RangeError naming the bad field (`rule.kind`, `rule.times`, …). */
export function validateFaultRule(value: unknown): asserts value is FaultRule {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`Expected \`rule\` to be an object, got ${JSON.stringify(value)}`);
  }
  const rule = value as Record<string, unknown>;
  if (typeof rule.kind !== 'string' || !KINDS.has(rule.kind)) {
    throw new TypeError(
      `Expected \`rule.kind\` to be one of ${[...KINDS].join(', ')}, got ${JSON.stringify(rule.kind)}`,
    );
  }
  const op = rule.operation;
  if (
    op !== undefined &&
    typeof op !== 'string' &&
    !(Array.isArray(op) && op.every((o) => typeof o === 'string'))
  ) {
    throw new TypeError(
      `Expected \`rule.operation\` to be a string or an array of strings, got ${JSON.stringify(op)}`,
    );
  }
  if (rule.id !== undefined && typeof rule.id !== 'string') {
    throw new TypeError(`Expected \`rule.id\` to be a string, got ${JSON.stringify(rule.id)}`);
  }
  nonNegativeInteger(rule.times, 'rule.times');
  nonNegativeInteger(rule.skip, 'rule.skip');
  if (rule.rate !== undefined && !(typeof rule.rate === 'number' && rule.rate >= 0 && rule.rate <= 1)) {
    throw new RangeError(`Expected \`rule.rate\` to be a number in 0..1, got ${JSON.stringify(rule.rate)}`);
  }
  switch (rule.kind) {
    case 'throttle':
      nonNegativeNumber(rule.retryAfterSeconds, 'rule.retryAfterSeconds', false);
      nonNegativeNumber(rule.retryAfterMs, 'rule.retryAfterMs', false);
      break;
    case 'serverError':
      if (rule.status !== undefined && ![500, 502, 503, 504].includes(rule.status as number)) {
        throw new RangeError(
          `Expected \`rule.status\` to be 500, 502, 503 or 504, got ${JSON.stringify(rule.status)}`,
        );
      }
      if (rule.format !== undefined && !['json', 'html', 'empty'].includes(rule.format as string)) {
        throw new TypeError(
          `Expected \`rule.format\` to be json, html or empty, got ${JSON.stringify(rule.format)}`,
        );
      }
      break;
    case 'error':
      if (!(
        typeof rule.status === 'number' &&
        Number.isInteger(rule.status) &&
        rule.status >= 400 &&
        rule.status <= 599
      )) {
        throw new RangeError(
          `Expected \`rule.status\` to be an HTTP error status 400-599, got ${JSON.stringify(rule.status)}`,
        );
      }
      if (typeof rule.errorType !== 'string' || !/^[A-Za-z0-9_.#:/-]{1,256}$/.test(rule.errorType)) {
        throw new TypeError(
          `Expected \`rule.errorType\` to be an error type name, got ${JSON.stringify(rule.errorType)}`,
        );
      }
      if (rule.message !== undefined && typeof rule.message !== 'string') {
        throw new TypeError(`Expected \`rule.message\` to be a string, got ${JSON.stringify(rule.message)}`);
      }
      break;
    case 'delay':
      nonNegativeNumber(rule.ms, 'rule.ms', true);
      break;
    case 'laggingPages':
      nonNegativeNumber(rule.lagMs, 'rule.lagMs', true);
      break;
    case 'skewDate':
      if (!(typeof rule.skewMs === 'number' && Number.isFinite(rule.skewMs))) {
        throw new RangeError(
          `Expected \`rule.skewMs\` to be a finite number, got ${JSON.stringify(rule.skewMs)}`,
        );
      }
      break;
    case 'errorTypeQuirk':
      if (!['typeOnly', 'headerOnly', 'fullyQualified', 'numericCode'].includes(rule.quirk as string)) {
        throw new TypeError(
          `Expected \`rule.quirk\` to be typeOnly, headerOnly, fullyQualified or numericCode, got ${JSON.stringify(rule.quirk)}`,
        );
      }
      break;
    default:
      break;
  }
}
