import { JSON_CONTENT_TYPE } from '../model/wireShapes.js';
import type { FaultPlan } from './FaultPlan.js';
import type { FaultRule } from './FaultRule.js';
import { ServiceError, serviceErrors } from './ServiceError.js';

/*
 * Everything the emulator does with a fault kind — how a rule of it is checked, whether it applies to
 * `Describe…` only, and what it does to the answer — is its one entry in `faultKinds` below. The rule
 * types stay in FaultRule.ts (public, and imported by the browser console page, which must not see this
 * file's Node-side imports); the table's type demands an entry for every kind of the `FaultRule` union.
 */

/** What an answering fault may do with the request it decides. */
interface FaultAnswer {
  /** The operation named by the request (`GetBatchPrediction`, …). */
  readonly operation: string;
  /** The caller, as its signature names it. */
  readonly userArn: string;
  /** Answers with an error in the AWS JSON shape. */
  sendError(error: ServiceError): void;
  /** Answers with this status and body. */
  send(status: number, body: string, contentType: string, errorType?: string): void;
  /** Destroys the connection without answering. */
  reset(): void;
  /** The answer the operation would give, as JSON text (`undefined` when it fails). */
  render(): string | undefined;
}

type RuleOf<K extends FaultRule['kind']> = Extract<FaultRule, { readonly kind: K }>;

/** How one fault kind behaves. */
type FaultKindDefinition<R extends FaultRule> = {
  /** Checks the kind's own members (the common ones are checked before); throws naming the bad field. */
  readonly validate?: (rule: Readonly<Record<string, unknown>>) => void;
  /** The kind applies to the four `Describe…` operations only. */
  readonly listOnly?: boolean;
} & (
  | {
      /** Decides the answer (the first matching answering rule wins). */
      readonly answer: (rule: R, request: FaultAnswer) => void;
    }
  | {
      /** Changes the answer: adds to the plan (combines with other rules). */
      readonly modify: (plan: FaultPlan, rule: R) => void;
    }
);

const HTML_503 =
  '<html><head><title>503 Service Temporarily Unavailable</title></head><body><center><h1>503 Service Temporarily Unavailable</h1></center></body></html>';

function nonNegativeNumber(value: unknown, field: string, required: boolean): void {
  if (value === undefined && !required) return;
  if (!(typeof value === 'number' && Number.isFinite(value) && value >= 0)) {
    throw new RangeError(`Expected \`${field}\` to be a finite number >= 0, got ${JSON.stringify(value)}`);
  }
}

function oneOf(value: unknown, field: string, allowed: readonly unknown[], error: typeof TypeError): void {
  if (!allowed.includes(value)) {
    const names = allowed.map(String);
    const list = `${names.slice(0, -1).join(', ')} or ${names.at(-1) ?? ''}`;
    throw new error(`Expected \`${field}\` to be ${list}, got ${JSON.stringify(value)}`);
  }
}

/** Each fault kind, defined once. */
export const faultKinds: { readonly [K in FaultRule['kind']]: FaultKindDefinition<RuleOf<K>> } = {
  throttle: {
    validate(rule) {
      nonNegativeNumber(rule.retryAfterSeconds, 'rule.retryAfterSeconds', false);
      nonNegativeNumber(rule.retryAfterMs, 'rule.retryAfterMs', false);
    },
    answer(rule, request) {
      const headers: Record<string, string> = {};
      if (rule.retryAfterSeconds !== undefined)
        headers['Retry-After'] = String(Math.ceil(rule.retryAfterSeconds));
      if (rule.retryAfterMs !== undefined)
        headers['x-amz-retry-after'] = String(Math.round(rule.retryAfterMs));
      request.sendError(serviceErrors.throttling(headers));
    },
  },
  serverError: {
    validate(rule) {
      if (rule.status !== undefined) oneOf(rule.status, 'rule.status', [500, 502, 503, 504], RangeError);
      if (rule.format !== undefined) oneOf(rule.format, 'rule.format', ['json', 'html', 'empty'], TypeError);
    },
    answer(rule, request) {
      const status = rule.status ?? 500;
      const format = rule.format ?? 'json';
      if (format === 'json') {
        request.sendError(
          status === 500
            ? serviceErrors.internal()
            : new ServiceError(status, 'ServiceUnavailableException', 'Service Unavailable'),
        );
      } else if (format === 'html') {
        request.send(status, HTML_503.replaceAll('503', String(status)), 'text/html', `Http${status}`);
      } else {
        request.send(status, '', JSON_CONTENT_TYPE, `Http${status}`);
      }
    },
  },
  error: {
    validate(rule) {
      const { status } = rule;
      if (!(typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599)) {
        throw new RangeError(
          `Expected \`rule.status\` to be an HTTP error status 400-599, got ${JSON.stringify(status)}`,
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
    },
    answer(rule, request) {
      request.sendError(new ServiceError(rule.status, rule.errorType, rule.message ?? 'Injected error'));
    },
  },
  reset: {
    answer(_rule, request) {
      request.reset();
    },
  },
  delay: {
    validate(rule) {
      nonNegativeNumber(rule.ms, 'rule.ms', true);
    },
    modify(plan, rule) {
      plan.delayMs += rule.ms;
    },
  },
  malformedJson: {
    answer(_rule, request) {
      const json = request.render() ?? '{"message":"truncated"}';
      request.send(200, json.slice(0, Math.max(1, Math.floor(json.length / 2))), JSON_CONTENT_TYPE);
    },
  },
  skewDate: {
    validate(rule) {
      if (!(typeof rule.skewMs === 'number' && Number.isFinite(rule.skewMs))) {
        throw new RangeError(
          `Expected \`rule.skewMs\` to be a finite number, got ${JSON.stringify(rule.skewMs)}`,
        );
      }
    },
    modify(plan, rule) {
      plan.skewMs += rule.skewMs;
    },
  },
  errorTypeQuirk: {
    validate(rule) {
      oneOf(rule.quirk, 'rule.quirk', ['typeOnly', 'headerOnly', 'fullyQualified', 'numericCode'], TypeError);
    },
    modify(plan, rule) {
      plan.quirk = rule.quirk;
    },
  },
  largeLongs: {
    modify(plan) {
      plan.largeLongs = true;
    },
  },
  listDenied: {
    listOnly: true,
    answer(_rule, request) {
      request.sendError(serviceErrors.notAuthorized(request.userArn, request.operation));
    },
  },
  emptyPages: {
    listOnly: true,
    modify(plan) {
      plan.listView = { empty: true, lagMs: plan.listView?.lagMs ?? 0 };
    },
  },
  laggingPages: {
    listOnly: true,
    validate(rule) {
      nonNegativeNumber(rule.lagMs, 'rule.lagMs', true);
    },
    modify(plan, rule) {
      plan.listView = {
        empty: plan.listView?.empty ?? false,
        lagMs: (plan.listView?.lagMs ?? 0) + rule.lagMs,
      };
    },
  },
};

/** The definition of a rule's kind. */
export function faultKindOf(rule: FaultRule): FaultKindDefinition<FaultRule> {
  return faultKinds[rule.kind] as unknown as FaultKindDefinition<FaultRule>;
}

function nonNegativeInteger(value: unknown, field: string): void {
  if (value !== undefined && !(typeof value === 'number' && Number.isSafeInteger(value) && value >= 0)) {
    throw new RangeError(`Expected \`${field}\` to be an integer >= 0, got ${JSON.stringify(value)}`);
  }
}

/** Validates a fault rule; throws a TypeError/RangeError naming the bad field (`rule.kind`, `rule.times`, …). */
export function validateFaultRule(value: unknown): asserts value is FaultRule {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`Expected \`rule\` to be an object, got ${JSON.stringify(value)}`);
  }
  const rule = value as Record<string, unknown>;
  if (typeof rule.kind !== 'string' || !Object.hasOwn(faultKinds, rule.kind)) {
    throw new TypeError(
      `Expected \`rule.kind\` to be one of ${Object.keys(faultKinds).join(', ')}, got ${JSON.stringify(rule.kind)}`,
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
  faultKinds[rule.kind as FaultRule['kind']].validate?.(rule);
}
