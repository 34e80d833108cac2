import type { Dispatcher } from 'undici';
import type { Logger } from '../model/Logger.js';
import { SIGNING_SERVICE } from '../model/wireShapes.js';
import type { AmazonMLClientConfig } from './AmazonMLClientConfig.js';
import { AwsJsonRequestSigner } from './AwsJsonRequestSigner.js';
import { ConfigurationError } from './ConfigurationError.js';
import { CredentialResolver } from './CredentialResolver.js';
import { readCaBundle, usesProxy, type NetworkSettings } from './createNetworkDispatcher.js';
import { AMAZON_ML_REGIONS, resolveEndpointAndRegion } from './resolveEndpointAndRegion.js';
import { resolveRequestSettings } from './resolveRequestSettings.js';
import { SdkCredentialChain } from './SdkCredentialChain.js';
import { loadSharedConfig, sharedFilePaths, type SharedConfig } from './sharedIniFiles.js';
import { UndiciSdkRequestHandler } from './UndiciSdkRequestHandler.js';

/** Where the client reads its settings from: the environment, the profile and the credentials it names. */
interface ClientEnvironment {
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
  /** The `User-Agent` header of every request. */
  readonly userAgent: string;
  /** `AWS_MAX_ATTEMPTS` / profile `max_attempts`, if set. */
  readonly maxAttempts: number | undefined;
  /** The option `dispatcher`, else the client's own pool (with the proxy and CA bundle). */
  readonly dispatcher: Dispatcher;
  /**
   * Configuration for the AWS SDK's own STS and SSO clients: a request handler on {@link dispatcher}
   * when a proxy, a CA bundle or a `dispatcher` is configured, so those calls take the same way out.
   */
  readonly sdkClientConfig: Readonly<Record<string, unknown>> | undefined;
}

/** How the settings get the client's own pool (the transport owns it and closes it). */
type OwnDispatcher = (network: NetworkSettings, ca: string | undefined) => Dispatcher;

/**
 * The client's settings, resolved lazily and once, the way the AWS SDK does: the environment and the
 * profile at the first call that needs them, the endpoint and region (options → env → shared files),
 * the proxy, CA bundle, User-Agent and attempts (env → profile) at the first request. A failed
 * resolution is tried again by the next call.
 * @internal
 */
export class ClientSettings {
  readonly #config: AmazonMLClientConfig;
  readonly #endpoint: URL | undefined;
  readonly #logger: Logger;
  readonly #wallClock: () => number;
  readonly #ownDispatcher: OwnDispatcher;
  readonly #timeoutMs: number;
  #environment: ClientEnvironment | undefined;
  #resolved: ResolvedSettings | undefined;
  #resolving: Promise<ResolvedSettings> | undefined;

  constructor(
    config: AmazonMLClientConfig,
    endpoint: URL | undefined,
    logger: Logger,
    wallClock: () => number,
    ownDispatcher: OwnDispatcher,
    timeoutMs: number,
  ) {
    this.#config = config;
    this.#endpoint = endpoint;
    this.#logger = logger;
    this.#wallClock = wallClock;
    this.#ownDispatcher = ownDispatcher;
    this.#timeoutMs = timeoutMs;
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
      sdkEnv: process.env,
      logger: this.#logger,
      loadSdkChain: async () => {
        const settings = this.#resolved ?? (await this.resolve());
        const files = sharedFilePaths(env);
        return SdkCredentialChain.load({
          profile,
          filepath: files.credentialsPath,
          configFilepath: files.configPath,
          logger: this.#logger,
          clientConfig: settings.sdkClientConfig,
        });
      },
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
    const request = await resolveRequestSettings({
      env: environment.env,
      profile: environment.profile,
      loadShared: environment.loadShared,
      logger: this.#logger,
    });
    const given = this.#config.dispatcher;
    const ca = given === undefined ? await readCaBundle(request.network) : undefined;
    const dispatcher = given ?? this.#ownDispatcher(request.network, ca);
    const url = resolved.endpoint;
    const path = url.pathname === '' ? '/' : url.pathname;
    const settings: ResolvedSettings = {
      userAgent: request.userAgent,
      maxAttempts: request.maxAttempts,
      dispatcher,
      sdkClientConfig:
        given !== undefined || ca !== undefined || usesProxy(request.network)
          ? { requestHandler: new UndiciSdkRequestHandler(dispatcher, this.#timeoutMs) }
          : undefined,
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
