import { brandGuard } from './brandGuard.js';

/**
 * Thrown (as a rejection of the first call that needs it) when the client cannot work out its
 * region, endpoint or credentials: nothing configured, a bad or missing profile, a credential
 * provider that threw or returned something unusable. The message lists what was tried, in order,
 * and never holds a secret. The waiter treats it as fatal.
 *
 * @example
 * ```ts
 * import { AmazonMLClient, isConfigurationError } from 'aml-waiter';
 * try {
 *   await new AmazonMLClient().getBatchPrediction('bp-1');
 * } catch (error) {
 *   if (isConfigurationError(error)) console.error(error.message);
 * }
 * ```
 */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError' as const;
  /** Stable code, survives serialization and duplicate installs. */
  readonly code = 'ERR_AML_CONFIG' as const;
  /** Brand for {@link isConfigurationError}, which also works across duplicate installs. */
  readonly isAmlConfigurationError = true as const;
  /** The sources consulted, in order, each with why it gave nothing (no secrets). */
  readonly tried: readonly string[];

  constructor(message: string, options: { tried?: readonly string[] | undefined; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.tried = Object.freeze([...(options.tried ?? [])]);
  }

  /** A JSON form without the stack. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, message: this.message, tried: this.tried };
  }
}

/** `true` for a {@link ConfigurationError}, including one from another copy of this package. */
export const isConfigurationError: (error: unknown) => error is ConfigurationError = brandGuard(
  ConfigurationError,
  'isAmlConfigurationError',
  (code) => code === 'ERR_AML_CONFIG',
);
