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
