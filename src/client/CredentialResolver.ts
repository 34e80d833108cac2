import type { Logger } from '../model/Logger.js';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from './AwsCredentialIdentity.js';
import { ConfigurationError } from './ConfigurationError.js';
import { describeSdkChainFailure, plainReason, sdkSourceLabel } from './describeSdkChainFailure.js';
import { SdkChainError, type SdkCredentialChain } from './SdkCredentialChain.js';
import type { SharedConfig } from './sharedIniFiles.js';
import { describeType } from '../model/describeValue.js';

/** Provider credentials are refreshed this long before their `expiration` (as the AWS SDK does). */
const CREDENTIAL_REFRESH_WINDOW_MS = 5 * 60_000;

/**
 * After a refresh failed while the current credentials are still valid, they stay in use and the next
 * refresh is tried this much later (so a failing source is not asked on every request). Also the least
 * time between two refreshes when a source hands out credentials already inside their refresh window.
 */
const CREDENTIAL_REFRESH_RETRY_MS = 10_000;

/**
 * Credentials past their refresh point are still used while a refresh runs or after it failed, but not in
 * their last 10 seconds: a request signed then could reach the service after they expired.
 */
export const CREDENTIAL_EXPIRY_MARGIN_MS = 10_000;

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

/** Where the credentials in use came from, kept for the refresh's messages (names only, no secret). */
interface Issuer {
  /** E.g. "web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN` are set)". */
  readonly source: string;
  readonly expiresAtMs: number;
  /** `true` once the service refused them as expired (`ExpiredTokenException`). */
  readonly refused: boolean;
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
 * this cache, and at most one resolution or refresh is in flight.
 *
 * Past the refresh point the next call starts the refresh; while the current credentials are still valid
 * (up to 10 seconds before they expire) calls keep using them instead of waiting for it. When it fails they
 * stay in use (a warning names the source and its reason) and it is tried again 10 seconds later. In their
 * last 10 seconds (or once the service refused them as expired) calls wait for the refresh, and its failure
 * is theirs: a {@link ConfigurationError} that names the source the credentials came from and what each
 * source said. Failures are not cached, so fixing the environment and calling again works.
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
  /** Where the last temporary credentials came from (kept after `invalidate()`). */
  #issuer: Issuer | undefined;

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
    const fresh = this.peek();
    if (fresh !== undefined) return Promise.resolve(fresh);
    const now = this.#input.now();
    const current = this.#cached;
    if (current === undefined || now >= current.expiresAtMs - CREDENTIAL_EXPIRY_MARGIN_MS) {
      return this.#refresh();
    }
    // Due for a refresh but still valid: start it (unless one runs, or one failed a moment ago) and go on
    // signing with these meanwhile.
    if (this.#inflight === undefined && now >= this.#retryRefreshAtMs) void this.#refresh();
    return Promise.resolve(current);
  }

  /** Drops cached temporary credentials (after `ExpiredTokenException`); static ones stay. */
  invalidate(): void {
    if (this.#refreshable) {
      this.#cached = undefined;
      this.#retryRefreshAtMs = 0;
      if (this.#issuer !== undefined) this.#issuer = { ...this.#issuer, refused: true };
    }
  }

  /** The refresh in flight, or a new one. Never rejects unobserved: a background refresh's failure is logged. */
  #refresh(): Promise<SigningCredentials> {
    if (this.#inflight !== undefined) return this.#inflight;
    const inflight = this.#resolve().then(
      ({ credentials, source }) => {
        this.#inflight = undefined;
        this.#cached = credentials;
        const now = this.#input.now();
        // A source that hands out credentials already due (it rotates them later than 5 minutes before
        // they expire) is asked again only after the retry interval, not at every request.
        this.#retryRefreshAtMs = credentials.refreshAtMs <= now ? now + CREDENTIAL_REFRESH_RETRY_MS : 0;
        this.#issuer =
          credentials.expiresAtMs === Number.POSITIVE_INFINITY
            ? undefined
            : { source, expiresAtMs: credentials.expiresAtMs, refused: false };
        return credentials;
      },
      (error: unknown) => {
        this.#inflight = undefined;
        const now = this.#input.now();
        const current = this.#cached;
        const issuer = this.#issuer;
        if (current !== undefined && now < current.expiresAtMs - CREDENTIAL_EXPIRY_MARGIN_MS) {
          this.#retryRefreshAtMs = now + CREDENTIAL_REFRESH_RETRY_MS;
          const source = issuer?.source ?? 'their source';
          this.#input.logger.warn(
            {
              source,
              expiresAt: new Date(current.expiresAtMs).toISOString(),
              retryInMs: CREDENTIAL_REFRESH_RETRY_MS,
              reason:
                error instanceof ConfigurationError ? error.message : plainReason(error, this.#input.sdkEnv),
            },
            `Could not refresh the AWS credentials from ${source}; the current ones stay in use until they expire`,
          );
          return current;
        }
        if (issuer === undefined || !(error instanceof ConfigurationError)) throw error;
        const what = issuer.refused
          ? 'were refused by Amazon ML as expired (ExpiredTokenException)'
          : `${now < issuer.expiresAtMs ? 'expire' : 'expired'} at ${new Date(issuer.expiresAtMs).toISOString()}`;
        throw new ConfigurationError(
          `The AWS credentials from ${issuer.source} ${what} and could not be refreshed: ${error.message}`,
          { tried: error.tried, cause: error },
        );
      },
    );
    this.#inflight = inflight;
    // Nobody may be waiting for a refresh started in the background.
    inflight.catch(() => undefined);
    return inflight;
  }

  /** Finds credentials (see the class), and names the source that gave them. */
  async #resolve(): Promise<{ credentials: SigningCredentials; source: string }> {
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
      return {
        credentials: temporaryCredentials(identity, 'The `credentials` provider'),
        source: 'the `credentials` provider (option `credentials`)',
      };
    }
    if (credentials !== undefined) {
      return {
        credentials: toSigningCredentials(credentials, 'Option `credentials`', Number.POSITIVE_INFINITY),
        source: 'option `credentials`',
      };
    }

    const tried: string[] = ['option `credentials` (not set)'];
    const envKey = env.AWS_ACCESS_KEY_ID;
    const envSecret = env.AWS_SECRET_ACCESS_KEY;
    if (input.explicitProfile) {
      tried.push(
        `environment AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (skipped: ${input.profileSource} names a profile)`,
      );
    } else if (envKey && envSecret) {
      return {
        credentials: toSigningCredentials(
          { accessKeyId: envKey, secretAccessKey: envSecret, sessionToken: env.AWS_SESSION_TOKEN },
          'The environment',
          Number.POSITIVE_INFINITY,
        ),
        source: 'environment AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY',
      };
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
        return {
          credentials: toSigningCredentials(
            { accessKeyId: key, secretAccessKey: secret, sessionToken: profile.aws_session_token },
            `Profile "${input.profile}"`,
            Number.POSITIVE_INFINITY,
          ),
          source: `static keys of profile "${input.profile}"`,
        };
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
      const { identity, step } = await chain.resolve();
      return {
        credentials: temporaryCredentials(identity, 'The AWS SDK default credential chain'),
        source:
          step === undefined
            ? "the AWS SDK's default credential chain"
            : sdkSourceLabel(step, input.sdkEnv, { name: input.profile, section: profile, files }),
      };
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
