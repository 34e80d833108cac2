import type { Logger } from '../model/Logger.js';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from './AwsCredentialIdentity.js';
import { ConfigurationError } from './ConfigurationError.js';
import { describeSdkChainFailure, plainReason } from './describeSdkChainFailure.js';
import { SdkChainError, type SdkCredentialChain } from './SdkCredentialChain.js';
import type { SharedConfig } from './sharedIniFiles.js';
import { describeType } from '../model/describeValue.js';

/** Provider credentials are refreshed this long before their `expiration` (as the AWS SDK does). */
const CREDENTIAL_REFRESH_WINDOW_MS = 5 * 60_000;

/**
 * After a refresh failed while the current credentials are still valid, they stay in use and the next
 * refresh is tried this much later (so a failing source is not asked on every request).
 */
const CREDENTIAL_REFRESH_RETRY_MS = 10_000;

/** The credentials the signer needs (a frozen copy; never logged). */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string | undefined;
  /** Epoch ms after which this copy must be refreshed; `Infinity` for static credentials. */
  readonly refreshAtMs: number;
  /** Epoch ms at which the credentials stop working (their `expiration`); `Infinity` when unknown. */
  readonly expiresAtMs: number;
}

/** Inputs of a {@link CredentialResolver}. */
interface CredentialResolverInput {
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;
  readonly profile: string;
  /** `true` when the profile came from the `profile` option or `AWS_PROFILE` (then env keys are skipped). */
  readonly explicitProfile: boolean;
  readonly profileSource: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly loadShared: () => Promise<SharedConfig>;
  /** Epoch ms (the client's `wallClock`). */
  readonly now: () => number;
  /** Loads the AWS SDK's default chain (lazily, the first time the fast path finds nothing). */
  readonly loadSdkChain: () => Promise<SdkCredentialChain>;
  /** The environment the SDK's providers read (they read `process.env`, whatever option `env` says). */
  readonly sdkEnv: Readonly<Record<string, string | undefined>>;
  /** Receives refresh warnings (never secrets). */
  readonly logger: Logger;
}

/** Profile keys that make a profile with static keys resolve through a role instead (as the SDK does). */
const ROLE_PROFILE_KEYS = ['role_arn', 'credential_source'];

/**
 * Checks a credentials object (from the option, a provider or a file) and copies the fields the
 * signer needs. Messages name the bad field and its type, never its value.
 */
function toSigningCredentials(
  value: unknown,
  source: string,
  refreshAtMs: number,
  expiresAtMs: number = refreshAtMs,
): SigningCredentials {
  if (typeof value !== 'object' || value === null) {
    throw new ConfigurationError(`${source} gave ${describeType(value)} instead of a credentials object`);
  }
  const { accessKeyId, secretAccessKey, sessionToken } = value as Record<string, unknown>;
  if (typeof accessKeyId !== 'string' || accessKeyId === '') {
    throw new ConfigurationError(`${source} gave no usable \`accessKeyId\` (a ${describeType(accessKeyId)})`);
  }
  if (typeof secretAccessKey !== 'string' || secretAccessKey === '') {
    throw new ConfigurationError(
      `${source} gave no usable \`secretAccessKey\` (a ${describeType(secretAccessKey)})`,
    );
  }
  if (sessionToken !== undefined && sessionToken !== null && typeof sessionToken !== 'string') {
    throw new ConfigurationError(
      `${source} gave a \`sessionToken\` that is a ${describeType(sessionToken)}, not a string`,
    );
  }
  return Object.freeze({
    accessKeyId,
    secretAccessKey,
    sessionToken: typeof sessionToken === 'string' && sessionToken !== '' ? sessionToken : undefined,
    refreshAtMs,
    expiresAtMs,
  });
}

/** Epoch ms of a credentials object's `expiration`, or `Infinity`. */
function expirationOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return Number.POSITIVE_INFINITY;
  const expiration = (value as { expiration?: unknown }).expiration;
  if (expiration instanceof Date && !Number.isNaN(expiration.getTime())) return expiration.getTime();
  return Number.POSITIVE_INFINITY;
}

/** Checks a provider's result and schedules its refresh 5 minutes before its expiration. */
function temporaryCredentials(identity: unknown, source: string): SigningCredentials {
  const expiresAtMs = expirationOf(identity);
  return toSigningCredentials(identity, source, expiresAtMs - CREDENTIAL_REFRESH_WINDOW_MS, expiresAtMs);
}

/**
 * Finds credentials in the order `API.md` gives (option → env keys unless a profile is named → static keys
 * of the profile → the AWS SDK's default chain, loaded only then) and caches them: static ones for the
 * client's life, temporary ones until 5 minutes before their `expiration`. Every wait of the client shares
 * this cache, and at most one resolution or refresh is in flight: concurrent calls share it. When a refresh
 * fails while the current credentials are still valid, they stay in use (a warning is logged) and the
 * refresh is tried again 10 seconds later; once they have expired the error is the call's. Failures are
 * not cached, so fixing the environment and calling again works.
 * @internal
 */
export class CredentialResolver {
  readonly #input: CredentialResolverInput;
  #cached: SigningCredentials | undefined;
  #inflight: Promise<SigningCredentials> | undefined;
  /** `true` once the credentials came from a provider or the SDK's chain (so they can be asked again). */
  #refreshable = false;
  #sdkChain: Promise<SdkCredentialChain> | undefined;
  #retryRefreshAtMs = 0;

  constructor(input: CredentialResolverInput) {
    this.#input = input;
  }

  /** The cached credentials if still fresh, else `undefined` (the hot path avoids a promise). */
  peek(): SigningCredentials | undefined {
    const cached = this.#cached;
    return cached !== undefined && this.#input.now() < cached.refreshAtMs ? cached : undefined;
  }

  /** Resolves (or returns cached) credentials. */
  get(): Promise<SigningCredentials> {
    const cached = this.peek();
    if (cached !== undefined) return Promise.resolve(cached);
    const stale = this.#cached;
    if (stale !== undefined && this.#inflight === undefined && this.#input.now() < this.#retryRefreshAtMs) {
      // A refresh failed a moment ago and these still work: use them until the retry is due.
      if (this.#input.now() < stale.expiresAtMs) return Promise.resolve(stale);
    }
    if (this.#inflight === undefined) {
      const inflight = this.#resolve().then(
        (credentials) => {
          this.#cached = credentials;
          this.#inflight = undefined;
          return credentials;
        },
        (error: unknown) => {
          this.#inflight = undefined;
          const now = this.#input.now();
          if (stale !== undefined && now < stale.expiresAtMs) {
            this.#retryRefreshAtMs = now + CREDENTIAL_REFRESH_RETRY_MS;
            this.#input.logger.warn(
              {
                expiresInMs: stale.expiresAtMs - now,
                retryInMs: CREDENTIAL_REFRESH_RETRY_MS,
                error: error instanceof Error ? plainReason(error, this.#input.sdkEnv) : 'a non-Error value',
              },
              'Could not refresh AWS credentials; the current ones stay in use until they expire',
            );
            return stale;
          }
          throw error;
        },
      );
      this.#inflight = inflight;
    }
    return this.#inflight;
  }

  /** Drops cached temporary credentials (after `ExpiredTokenException`); static ones stay. */
  invalidate(): void {
    if (this.#refreshable) {
      this.#cached = undefined;
      this.#retryRefreshAtMs = 0;
    }
  }

  async #resolve(): Promise<SigningCredentials> {
    const input = this.#input;
    const { credentials, env } = input;
    if (typeof credentials === 'function') {
      this.#refreshable = true;
      let identity: unknown;
      try {
        identity = await credentials();
      } catch (error) {
        const reason = error instanceof Error ? `${error.name}: ${error.message}` : 'a non-Error value';
        throw new ConfigurationError(`The \`credentials\` provider failed: ${reason}`, {
          tried: ['option `credentials` (a provider function, which threw)'],
          cause: error,
        });
      }
      return temporaryCredentials(identity, 'The `credentials` provider');
    }
    if (credentials !== undefined) {
      return toSigningCredentials(credentials, 'Option `credentials`', Number.POSITIVE_INFINITY);
    }

    const tried: string[] = ['option `credentials` (not set)'];
    const envKey = env.AWS_ACCESS_KEY_ID;
    const envSecret = env.AWS_SECRET_ACCESS_KEY;
    if (input.explicitProfile) {
      tried.push(
        `environment AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (skipped: ${input.profileSource} names a profile)`,
      );
    } else if (envKey && envSecret) {
      return toSigningCredentials(
        { accessKeyId: envKey, secretAccessKey: envSecret, sessionToken: env.AWS_SESSION_TOKEN },
        'The environment',
        Number.POSITIVE_INFINITY,
      );
    } else if (envKey || envSecret) {
      tried.push(
        `environment AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (only ${envKey ? 'AWS_ACCESS_KEY_ID' : 'AWS_SECRET_ACCESS_KEY'} is set)`,
      );
    } else {
      tried.push('environment AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (not set)');
    }

    const shared = await input.loadShared();
    const files = `${shared.credentialsFile.path}${shared.credentialsFile.found ? '' : ' (missing)'} and ${shared.configFile.path}${shared.configFile.found ? '' : ' (missing)'}`;
    const profile = shared.profiles.get(input.profile);
    if (profile === undefined) {
      tried.push(`static keys of profile "${input.profile}" in ${files} (no such profile)`);
    } else {
      const key = profile.aws_access_key_id;
      const secret = profile.aws_secret_access_key;
      const role = ROLE_PROFILE_KEYS.find((k) => profile[k] !== undefined);
      if (key && secret && role === undefined) {
        return toSigningCredentials(
          { accessKeyId: key, secretAccessKey: secret, sessionToken: profile.aws_session_token },
          `Profile "${input.profile}"`,
          Number.POSITIVE_INFINITY,
        );
      }
      tried.push(
        `static keys of profile "${input.profile}" in ${files} (${role !== undefined ? `it uses \`${role}\`: left to the AWS SDK` : 'no aws_access_key_id/aws_secret_access_key'})`,
      );
    }

    this.#sdkChain ??= input.loadSdkChain().catch((error: unknown) => {
      this.#sdkChain = undefined;
      throw error;
    });
    this.#refreshable = true;
    try {
      const chain = await this.#sdkChain;
      return temporaryCredentials(await chain.resolve(), 'The AWS SDK default credential chain');
    } catch (error) {
      if (error instanceof ConfigurationError) throw error;
      if (error instanceof SdkChainError) {
        tried.push(
          ...describeSdkChainFailure(error.failure, input.sdkEnv, {
            name: input.profile,
            section: profile,
            files,
          }),
        );
      } else {
        tried.push(`the AWS SDK default credential chain: ${plainReason(error, input.sdkEnv)}`);
      }
      throw new ConfigurationError(
        `No AWS credentials found for Amazon ML. Tried:\n${tried.map((entry) => `  - ${entry}`).join('\n')}`,
        { tried },
      );
    }
  }
}
