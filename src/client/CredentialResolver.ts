import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from './AwsCredentialIdentity.js';
import { ConfigurationError } from './ConfigurationError.js';
import type { SharedConfig } from './sharedIniFiles.js';
import { describeType } from './validate.js';

/** Provider credentials are refreshed this long before their `expiration` (as the AWS SDK does). */
export const CREDENTIAL_REFRESH_WINDOW_MS = 5 * 60_000;

/** The credentials the signer needs (a frozen copy; never logged). */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string | undefined;
  /** Epoch ms after which this copy must be refreshed; `Infinity` for static credentials. */
  readonly refreshAtMs: number;
}

/** Inputs of a {@link CredentialResolver}. */
export interface CredentialResolverInput {
  readonly credentials: AwsCredentialIdentity | AwsCredentialIdentityProvider | undefined;
  readonly profile: string;
  /** `true` when the profile came from the `profile` option or `AWS_PROFILE` (then env keys are skipped). */
  readonly explicitProfile: boolean;
  readonly profileSource: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly loadShared: () => Promise<SharedConfig>;
  /** Epoch ms (the client's `wallClock`). */
  readonly now: () => number;
}

const UNSUPPORTED_PROFILE_KEYS = [
  'role_arn',
  'credential_process',
  'sso_session',
  'sso_start_url',
  'web_identity_token_file',
  'login_session',
  'credential_source',
];

/**
 * Checks a credentials object (from the option, a provider or a file) and copies the fields the
 * signer needs. Messages name the bad field and its type, never its value.
 */
export function toSigningCredentials(
  value: unknown,
  source: string,
  refreshAtMs: number,
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
  });
}

function expirationOf(value: unknown): number {
  if (typeof value !== 'object' || value === null) return Number.POSITIVE_INFINITY;
  const expiration = (value as { expiration?: unknown }).expiration;
  if (expiration instanceof Date && !Number.isNaN(expiration.getTime())) {
    return expiration.getTime() - CREDENTIAL_REFRESH_WINDOW_MS;
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * Finds credentials in the order `API.md` gives (option → env keys unless a profile is named →
 * shared files) and caches them: static ones for the client's life, a provider's result until 5
 * minutes before its `expiration`. Concurrent calls share one in-flight resolution. Failures are
 * not cached, so fixing the environment and calling again works.
 * @internal
 */
export class CredentialResolver {
  readonly #input: CredentialResolverInput;
  #cached: SigningCredentials | undefined;
  #inflight: Promise<SigningCredentials> | undefined;

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
    if (this.#inflight === undefined) {
      const inflight = this.#resolve().then(
        (credentials) => {
          this.#cached = credentials;
          this.#inflight = undefined;
          return credentials;
        },
        (error: unknown) => {
          this.#inflight = undefined;
          throw error;
        },
      );
      this.#inflight = inflight;
    }
    return this.#inflight;
  }

  /** Drops cached provider credentials (after `ExpiredTokenException`); static ones stay. */
  invalidate(): void {
    if (typeof this.#input.credentials === 'function') this.#cached = undefined;
  }

  async #resolve(): Promise<SigningCredentials> {
    const input = this.#input;
    const { credentials, env } = input;
    if (typeof credentials === 'function') {
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
      return toSigningCredentials(identity, 'The `credentials` provider', expirationOf(identity));
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
      tried.push(`profile "${input.profile}" in ${files} (no such profile)`);
    } else {
      const key = profile.aws_access_key_id;
      const secret = profile.aws_secret_access_key;
      if (key && secret) {
        return toSigningCredentials(
          { accessKeyId: key, secretAccessKey: secret, sessionToken: profile.aws_session_token },
          `Profile "${input.profile}"`,
          Number.POSITIVE_INFINITY,
        );
      }
      const unsupported = UNSUPPORTED_PROFILE_KEYS.find((k) => profile[k] !== undefined);
      if (unsupported !== undefined) {
        tried.push(
          `profile "${input.profile}" in ${files} (uses \`${unsupported}\`, which aml-waiter does not resolve; pass \`credentials: fromNodeProviderChain()\` from @aws-sdk/credential-providers)`,
        );
      } else {
        tried.push(`profile "${input.profile}" in ${files} (no aws_access_key_id/aws_secret_access_key)`);
      }
    }
    throw new ConfigurationError(`No AWS credentials found for Amazon ML. Tried: ${tried.join('; ')}.`, {
      tried,
    });
  }
}
