import type { Logger } from '../model/Logger.js';
import { SIGNING_SERVICE } from '../model/wireShapes.js';
import type { AmazonMLClientConfig } from './AmazonMLClientConfig.js';
import { AwsJsonRequestSigner } from './AwsJsonRequestSigner.js';
import { ConfigurationError } from './ConfigurationError.js';
import { CredentialResolver } from './CredentialResolver.js';
import { AMAZON_ML_REGIONS, resolveEndpointAndRegion } from './resolveEndpointAndRegion.js';
import { loadSharedConfig, type SharedConfig } from './sharedIniFiles.js';

/** Where the client reads its settings from: the environment, the profile and the credentials it names. */
export interface ClientEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly credentials: CredentialResolver;
  readonly profile: string;
  /** `true` when a profile was named (option `profile` or `AWS_PROFILE`): env keys are then skipped. */
  readonly explicitProfile: boolean;
  /** The shared config and credentials files, read once (again after a failed read). */
  readonly loadShared: () => Promise<SharedConfig>;
}

/** Where and how the client sends its requests, once resolved. */
export interface ResolvedSettings {
  readonly origin: string;
  readonly host: string;
  /** The endpoint's host name and port, for telemetry. */
  readonly hostname: string;
  readonly port: number | undefined;
  readonly path: string;
  readonly region: string;
  /** The endpoint URL (`href`). */
  readonly endpoint: string;
  readonly signer: AwsJsonRequestSigner;
}

/**
 * The client's settings, resolved lazily and once, the way the AWS SDK does: the environment and the
 * profile at the first call that needs them, the endpoint and region (options → env → shared files)
 * at the first request. A failed resolution is tried again by the next call.
 * @internal
 */
export class ClientSettings {
  readonly #config: AmazonMLClientConfig;
  readonly #endpoint: URL | undefined;
  readonly #logger: Logger;
  readonly #wallClock: () => number;
  #environment: ClientEnvironment | undefined;
  #resolved: ResolvedSettings | undefined;
  #resolving: Promise<ResolvedSettings> | undefined;

  constructor(
    config: AmazonMLClientConfig,
    endpoint: URL | undefined,
    logger: Logger,
    wallClock: () => number,
  ) {
    this.#config = config;
    this.#endpoint = endpoint;
    this.#logger = logger;
    this.#wallClock = wallClock;
  }

  /** The settings, if already resolved (the hot path: no promise). */
  get current(): ResolvedSettings | undefined {
    return this.#resolved;
  }

  /** The endpoint and region known without resolving anything (for `inspect` and `toJSON`). */
  describe(): { endpoint: string | undefined; region: string | undefined } {
    return {
      endpoint: this.#resolved?.endpoint ?? this.#endpoint?.href,
      region: this.#resolved?.region ?? this.#config.region,
    };
  }

  /** The environment, profile and credential resolver (made at the first call, from `env`). */
  environment(): ClientEnvironment {
    this.#environment ??= this.#makeEnvironment();
    return this.#environment;
  }

  /** Resolves the endpoint, region and signer once; concurrent calls share one resolution. */
  resolve(): Promise<ResolvedSettings> {
    this.#resolving ??= this.#resolve().catch((error: unknown) => {
      this.#resolving = undefined;
      throw error;
    });
    return this.#resolving;
  }

  #makeEnvironment(): ClientEnvironment {
    const config = this.#config;
    const env = config.env ?? process.env;
    const fromEnv = env.AWS_PROFILE;
    const profileFromEnv = fromEnv !== undefined && fromEnv !== '';
    const profile = config.profile ?? (profileFromEnv ? fromEnv : 'default');
    const explicitProfile = config.profile !== undefined || profileFromEnv;
    let shared: Promise<SharedConfig> | undefined;
    const loadShared = (): Promise<SharedConfig> => {
      shared ??= loadSharedConfig(env).catch((error: unknown) => {
        shared = undefined;
        throw new ConfigurationError(
          `Could not read the AWS shared config files: ${error instanceof Error ? error.message : String(error)}`,
          { cause: error },
        );
      });
      return shared;
    };
    const credentials = new CredentialResolver({
      credentials: config.credentials,
      profile,
      explicitProfile,
      profileSource: config.profile !== undefined ? 'option `profile`' : 'AWS_PROFILE',
      env,
      loadShared,
      now: this.#wallClock,
    });
    return { env, credentials, profile, explicitProfile, loadShared };
  }

  async #resolve(): Promise<ResolvedSettings> {
    const environment = this.environment();
    const resolved = await resolveEndpointAndRegion({
      endpoint: this.#endpoint,
      region: this.#config.region,
      profile: environment.profile,
      env: environment.env,
      loadShared: environment.loadShared,
    });
    if (!resolved.customEndpoint && !AMAZON_ML_REGIONS.has(resolved.region)) {
      this.#logger.warn(
        { region: resolved.region, endpoint: resolved.endpoint.href },
        `Amazon ML only runs in us-east-1 and eu-west-1; requests to region ${resolved.region} will likely fail to connect`,
      );
    }
    const url = resolved.endpoint;
    const path = url.pathname === '' ? '/' : url.pathname;
    const settings: ResolvedSettings = {
      origin: url.origin,
      host: url.host,
      hostname: url.hostname,
      port: url.port === '' ? undefined : Number(url.port),
      path,
      region: resolved.region,
      endpoint: url.href,
      signer: new AwsJsonRequestSigner({
        host: url.host,
        path,
        region: resolved.region,
        service: SIGNING_SERVICE,
      }),
    };
    this.#resolved = settings;
    return settings;
  }
}
