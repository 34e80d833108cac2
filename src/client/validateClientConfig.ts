import { MAX_TIMER_MS } from '../model/Clock.js';
import type { AmazonMLClientConfig } from './AmazonMLClientConfig.js';
import { isValidRegion, parseEndpoint } from './resolveEndpointAndRegion.js';
import { describeType, describeValue } from '../model/describeValue.js';
import { isPlainObject } from './validate.js';

/** A client configuration whose every member was checked, with its `endpoint` parsed. */
interface ValidatedClientConfig {
  readonly config: AmazonMLClientConfig;
  /** `config.endpoint` as a URL, when one was given. */
  readonly endpoint: URL | undefined;
}

/**
 * Checks every member of an {@link AmazonMLClientConfig} synchronously (types, URL, numbers), before
 * anything is read or sent. Members it does not know are ignored.
 * @throws {TypeError | RangeError} for a malformed option, naming it (a credential only by its type).
 */
export function validateClientConfig(config: unknown): ValidatedClientConfig {
  const c = checkMembers(config);
  return { config: c, endpoint: c.endpoint === undefined ? undefined : checkEndpoint(c.endpoint) };
}

function checkEndpoint(endpoint: unknown): URL {
  if (typeof endpoint !== 'string' && !(endpoint instanceof URL)) {
    throw new TypeError(`Expected \`endpoint\` to be a URL string or URL, got ${describeValue(endpoint)}`);
  }
  const parsed = parseEndpoint(endpoint);
  if (typeof parsed === 'string') {
    throw new RangeError(
      `Expected \`endpoint\` to be an http(s) URL, but ${parsed}: ${describeValue(String(endpoint))}`,
    );
  }
  return parsed;
}

function checkMembers(config: unknown): AmazonMLClientConfig {
  if (config === undefined) return {};
  if (!isPlainObject(config)) {
    throw new TypeError(`Expected \`config\` to be an object, got ${describeValue(config)}`);
  }
  const c = config as AmazonMLClientConfig;
  if (c.region !== undefined && !isValidRegion(c.region)) {
    const ErrorClass = typeof c.region === 'string' ? RangeError : TypeError;
    throw new ErrorClass(
      `Expected \`region\` to be a region name like "us-east-1", got ${describeValue(c.region)}`,
    );
  }
  if (c.credentials !== undefined && typeof c.credentials !== 'function') {
    if (!isPlainObject(c.credentials)) {
      throw new TypeError(
        `Expected \`credentials\` to be a credentials object or a provider function, got ${describeType(c.credentials)}`,
      );
    }
    for (const field of ['accessKeyId', 'secretAccessKey'] as const) {
      const value = c.credentials[field] as unknown;
      if (typeof value !== 'string' || value === '') {
        // Never echo a credential value, only its type.
        throw new TypeError(
          `Expected \`credentials.${field}\` to be a non-empty string, got ${describeType(value)}`,
        );
      }
    }
    const token = c.credentials.sessionToken as unknown;
    if (token !== undefined && typeof token !== 'string') {
      throw new TypeError(`Expected \`credentials.sessionToken\` to be a string, got ${describeType(token)}`);
    }
  }
  if (c.profile !== undefined) {
    if (typeof c.profile !== 'string' || c.profile.trim() === '' || c.profile === '__proto__') {
      throw new TypeError(`Expected \`profile\` to be a profile name, got ${describeValue(c.profile)}`);
    }
  }
  if (c.requestTimeoutMs !== undefined) {
    const ms = c.requestTimeoutMs as unknown;
    if (typeof ms !== 'number') {
      throw new TypeError(`Expected \`requestTimeoutMs\` to be a number, got ${describeValue(ms)}`);
    }
    if (!Number.isInteger(ms) || ms < 1 || ms > MAX_TIMER_MS) {
      throw new RangeError(
        `Expected \`requestTimeoutMs\` to be an integer from 1 to ${MAX_TIMER_MS}, got ${describeValue(ms)}`,
      );
    }
  }
  if (c.maxRequestsPerSecond !== undefined) {
    const rate = c.maxRequestsPerSecond as unknown;
    if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0) {
      throw new RangeError(
        `Expected \`maxRequestsPerSecond\` to be a finite number > 0, got ${describeValue(rate)}`,
      );
    }
  }
  if (c.maxConcurrentRequests !== undefined) {
    const limit = c.maxConcurrentRequests as unknown;
    if (
      typeof limit !== 'number' ||
      (!Number.isSafeInteger(limit) && limit !== Number.POSITIVE_INFINITY) ||
      limit < 1
    ) {
      throw new RangeError(
        `Expected \`maxConcurrentRequests\` to be an integer ≥ 1 or Infinity, got ${describeValue(limit)}`,
      );
    }
  }
  if (c.dispatcher !== undefined) {
    const d = c.dispatcher as unknown;
    if (
      typeof d !== 'object' ||
      d === null ||
      typeof (d as { request?: unknown }).request !== 'function' ||
      typeof (d as { dispatch?: unknown }).dispatch !== 'function'
    ) {
      throw new TypeError(`Expected \`dispatcher\` to be an undici Dispatcher, got ${describeValue(d)}`);
    }
  }
  if (c.logger !== undefined) {
    const logger = c.logger as unknown;
    if (
      typeof logger !== 'object' ||
      logger === null ||
      !(['debug', 'info', 'warn', 'error'] as const).every(
        (level) => typeof (logger as Record<string, unknown>)[level] === 'function',
      )
    ) {
      throw new TypeError(
        `Expected \`logger\` to be an object with debug, info, warn and error methods, got ${describeValue(logger)}`,
      );
    }
  }
  if (c.env !== undefined && !isPlainObject(c.env) && c.env !== process.env) {
    throw new TypeError(`Expected \`env\` to be an object of strings, got ${describeValue(c.env)}`);
  }
  if (c.wallClock !== undefined && typeof c.wallClock !== 'function') {
    throw new TypeError(
      `Expected \`wallClock\` to be a function returning epoch milliseconds, got ${describeValue(c.wallClock)}`,
    );
  }
  return c;
}
