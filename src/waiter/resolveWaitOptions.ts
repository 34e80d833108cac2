import { describeValue } from '../model/describeValue.js';
import { AmazonMLClient } from '../client/AmazonMLClient.js';
import { readClientOption } from '../client/readClientOption.js';
import type { Clock } from '../model/Clock.js';
import { systemClock } from '../model/Clock.js';
import { isValidEntityId } from '../model/entityId.js';
import {
  clientTelemetryOf,
  resolveTelemetryOption,
  type TelemetryOption,
  type TelemetrySettings,
} from '../client/TelemetryOption.js';
import type { Logger } from '../model/Logger.js';
import { silentLogger } from '../model/Logger.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import { isResourceKind } from '../model/ResourceKind.js';
import type { BackoffStrategy } from './backoff.js';
import { exponentialJitterBackoff } from './backoff.js';
import { MAX_TIMER_MS } from '../model/Clock.js';
import { parseCheckpoint, type ParsedCheckpoint } from './WaitCheckpoint.js';
import type { AmazonMLClientLike, PollingMode, WaitOptions } from './WaitOptions.js';
import { WAIT_DEFAULTS } from './WaitOptions.js';

/** @internal Options after validation and defaults. */
export interface ResolvedWaitOptions<K extends ResourceKind = ResourceKind> {
  readonly kind: K;
  readonly id: string;
  readonly timeoutMs: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly notFoundGraceMs: number;
  readonly retries: number;
  /** `true` when `retry.retries` was given; otherwise a client's `AWS_MAX_ATTEMPTS` / `max_attempts` sets it. */
  readonly retriesGiven: boolean;
  readonly retryMinTimeoutMs: number;
  readonly retryMaxTimeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly random: () => number;
  readonly backoff: BackoffStrategy;
  readonly polling: PollingMode;
  /** Set when the wait reports to OpenTelemetry. */
  readonly telemetry: TelemetrySettings | undefined;
  /** Set when resuming from a checkpoint. */
  readonly checkpoint: ParsedCheckpoint<K> | undefined;
  /**
   * Returns the client for one wait; `release()` closes it when the wait owns it and no one else uses it.
   * `shared` is `true` for a client the caller passed (other waits may use it too).
   */
  readonly acquireClient: () => { client: AmazonMLClientLike; release: () => void; shared: boolean };
}

function number(
  name: string,
  value: unknown,
  fallback: number,
  { min, max = Number.MAX_SAFE_INTEGER, integer = false }: { min: number; max?: number; integer?: boolean },
): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    throw new TypeError(`Expected \`${name}\` to be a number, got ${describeValue(value)}.`);
  }
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new RangeError(`Expected \`${name}\` to be a finite number from ${min} to ${max}, got ${value}.`);
  }
  if (integer && !Number.isInteger(value)) {
    throw new RangeError(`Expected \`${name}\` to be an integer, got ${value}.`);
  }
  return value;
}

function fn<T>(name: string, value: unknown): T {
  if (typeof value !== 'function')
    throw new TypeError(`Expected \`${name}\` to be a function, got ${describeValue(value)}.`);
  return value as T;
}

function methods<T>(name: string, value: unknown, names: readonly string[]): T {
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`Expected \`${name}\` to be an object, got ${describeValue(value)}.`);
  }
  for (const method of names) {
    const member = (value as Record<string, unknown>)[method];
    if (typeof member !== 'function') {
      throw new TypeError(`Expected \`${name}.${method}\` to be a function, got ${describeValue(member)}.`);
    }
  }
  return value as T;
}

/** @internal The options of a wait, checked, without its client. */
export type CheckedWaitOptions<K extends ResourceKind = ResourceKind> = Omit<
  ResolvedWaitOptions<K>,
  'telemetry' | 'acquireClient'
>;

/**
 * @internal Validates `options` for a wait on `kind`/`id`, applies the defaults and resolves its client (a
 * client config becomes a client, made here and closed when its last wait ends). Throws a `TypeError` or
 * `RangeError` naming the option and echoing the bad value; sends nothing.
 */
export function resolveWaitOptions<K extends ResourceKind>(
  kind: K,
  id: unknown,
  options: WaitOptions | undefined,
): ResolvedWaitOptions<K> {
  const checked = checkWaitOptions(kind, id, options);
  // Added to the object just made, not spread into a new one: V8 gives each object made by spreading and
  // adding properties a hidden class of its own (~1 KB per wait).
  return Object.freeze(Object.assign(checked, waitClient(checked.logger, options ?? {})));
}

/**
 * @internal {@link resolveWaitOptions} without the client: what a wait handed to others (a fleet job)
 * checks before it is queued. `options.client` and `options.telemetry` are not looked at.
 */
export function checkWaitOptions<K extends ResourceKind>(
  kind: K,
  id: unknown,
  options: WaitOptions | undefined,
): CheckedWaitOptions<K> {
  if (!isResourceKind(kind))
    throw new TypeError(`Expected \`kind\` to be a resource kind, got ${describeValue(kind)}.`);
  if (!isValidEntityId(id)) {
    throw new TypeError(`Expected \`id\` to be 1-64 characters of [a-zA-Z0-9_.-], got ${describeValue(id)}.`);
  }
  const raw: unknown = options;
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw))) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(raw)}.`);
  }
  // Callers may be plain JavaScript: check every value as `unknown`, whatever the types say.
  const o = (raw ?? {}) as { readonly [P in keyof WaitOptions]?: unknown };

  const timeoutMs = number('timeoutMs', o.timeoutMs, WAIT_DEFAULTS.timeoutMs, { min: 1 });
  const minDelayMs = number(
    'minDelayMs',
    o.minDelayMs,
    Math.min(WAIT_DEFAULTS.minDelayMs, typeof o.maxDelayMs === 'number' ? o.maxDelayMs : Infinity),
    {
      min: 1,
      max: MAX_TIMER_MS,
    },
  );
  const maxDelayMs = number('maxDelayMs', o.maxDelayMs, Math.max(WAIT_DEFAULTS.maxDelayMs, minDelayMs), {
    min: 1,
    max: MAX_TIMER_MS,
  });
  if (maxDelayMs < minDelayMs) {
    throw new RangeError(
      `Expected \`maxDelayMs\` (${maxDelayMs}) to be greater than or equal to \`minDelayMs\` (${minDelayMs}).`,
    );
  }
  const notFoundGraceMs = number('notFoundGraceMs', o.notFoundGraceMs, WAIT_DEFAULTS.notFoundGraceMs, {
    min: 0,
  });

  if (o.retry !== undefined && (typeof o.retry !== 'object' || o.retry === null)) {
    throw new TypeError(`Expected \`retry\` to be an object, got ${describeValue(o.retry)}.`);
  }
  const retry = (o.retry ?? {}) as {
    readonly retries?: unknown;
    minTimeoutMs?: unknown;
    maxTimeoutMs?: unknown;
  };
  const retries = number('retry.retries', retry.retries, WAIT_DEFAULTS.retries, {
    min: 0,
    max: 100,
    integer: true,
  });
  const retryMinTimeoutMs = number(
    'retry.minTimeoutMs',
    retry.minTimeoutMs,
    WAIT_DEFAULTS.retryMinTimeoutMs,
    {
      min: 0,
      max: MAX_TIMER_MS,
    },
  );
  const retryMaxTimeoutMs = number(
    'retry.maxTimeoutMs',
    retry.maxTimeoutMs,
    Math.max(WAIT_DEFAULTS.retryMaxTimeoutMs, retryMinTimeoutMs),
    { min: 0, max: MAX_TIMER_MS },
  );
  if (retryMaxTimeoutMs < retryMinTimeoutMs) {
    throw new RangeError(
      `Expected \`retry.maxTimeoutMs\` (${retryMaxTimeoutMs}) to be greater than or equal to \`retry.minTimeoutMs\` (${retryMinTimeoutMs}).`,
    );
  }

  const signal = o.signal;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`Expected \`signal\` to be an AbortSignal, got ${describeValue(signal)}.`);
  }
  const logger = methods<Logger>('logger', o.logger ?? silentLogger, ['debug', 'info', 'warn', 'error']);
  const clock = methods<Clock>('clock', o.clock ?? systemClock, [
    'now',
    'wallNow',
    'setTimeout',
    'clearTimeout',
  ]);
  const random = fn<() => number>('random', o.random ?? Math.random);
  const backoff = fn<BackoffStrategy>('backoff', o.backoff ?? exponentialJitterBackoff);
  let checkpoint: ParsedCheckpoint<K> | undefined;
  if (o.checkpoint !== undefined) {
    const parsed = parseCheckpoint(o.checkpoint);
    if (parsed.kind !== kind || parsed.id !== id) {
      throw new TypeError(
        `Expected \`checkpoint\` to be of the ${kind} ${id}, got one of the ${parsed.kind} ${parsed.id}.`,
      );
    }
    checkpoint = parsed as ParsedCheckpoint<K>;
  }
  const polling = o.polling ?? 'auto';
  if (polling !== 'auto' && polling !== 'get' && polling !== 'list') {
    throw new TypeError(`Expected \`polling\` to be 'auto', 'get' or 'list', got ${describeValue(polling)}.`);
  }

  return {
    kind,
    id,
    timeoutMs,
    minDelayMs,
    maxDelayMs,
    notFoundGraceMs,
    retries,
    retriesGiven: retry.retries !== undefined,
    retryMinTimeoutMs,
    retryMaxTimeoutMs,
    signal,
    logger,
    clock,
    random,
    backoff,
    polling,
    checkpoint,
  };
}

/** The client of a wait (see {@link ResolvedWaitOptions.acquireClient}) and whether it reports to OpenTelemetry. */
function waitClient(
  logger: Logger,
  o: { readonly client?: unknown; readonly telemetry?: unknown },
): Pick<ResolvedWaitOptions, 'telemetry' | 'acquireClient'> {
  const ownTelemetry = resolveTelemetryOption(o.telemetry);
  const option = readClientOption<AmazonMLClientLike>(o.client, {
    logger,
    telemetry: o.telemetry as TelemetryOption | undefined,
  });
  let telemetry: TelemetrySettings | undefined;
  let acquireClient: ResolvedWaitOptions['acquireClient'];
  if ('given' in option) {
    const { given } = option;
    // A client that reports to OpenTelemetry has its waits report too, unless told `telemetry: false`.
    telemetry = o.telemetry === undefined ? clientTelemetryOf(given) : ownTelemetry;
    acquireClient = () => ({ client: given, release: () => undefined, shared: true });
  } else {
    // Constructing validates the config synchronously (bad endpoint, bad numbers…), before any request.
    // The client opens no connection until its first call; it is closed when its last wait ends.
    const { config } = option;
    let current: AmazonMLClient | undefined = new AmazonMLClient(config);
    telemetry = o.telemetry === undefined ? clientTelemetryOf(current) : ownTelemetry;
    let users = 0;
    acquireClient = () => {
      users++;
      const client = (current ??= new AmazonMLClient(config));
      let released = false;
      return {
        client,
        shared: false,
        release: () => {
          if (released) return;
          released = true;
          if (--users === 0 && current !== undefined) {
            current = undefined;
            client.close().catch(() => undefined);
          }
        },
      };
    };
  }
  return { telemetry, acquireClient };
}
