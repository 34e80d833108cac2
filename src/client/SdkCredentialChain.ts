import { createRequire } from 'node:module';
import type { Logger } from '../model/Logger.js';
import type { AwsCredentialIdentity } from './AwsCredentialIdentity.js';

/** The step names `defaultProvider` logs (`defaultProvider::<step>`), in its order. */
export type SdkChainStep =
  'fromEnv' | 'fromSSO' | 'fromIni' | 'fromProcess' | 'fromTokenFile' | 'remoteProvider';

/** What one failed run of the SDK's chain reported: each step reached and the last reason it gave. */
export interface SdkChainFailure {
  readonly steps: ReadonlyMap<SdkChainStep, string | undefined>;
  /** The error the chain ended with. */
  readonly error: unknown;
  /**
   * For the remote step (whose errors the chain does not report): the SDK provider's own error, asked once
   * more without retries.
   */
  readonly remoteReason: string | undefined;
}

/** What one successful run of the SDK's chain gave. */
export interface SdkChainResult {
  readonly identity: AwsCredentialIdentity;
  /** The step that gave the credentials (`undefined` if the chain logged none). */
  readonly step: SdkChainStep | undefined;
}

/** Thrown by {@link SdkCredentialChain.resolve} when no provider of the chain found credentials. */
export class SdkChainError extends Error {
  override name = 'SdkChainError';
  readonly failure: SdkChainFailure;

  constructor(failure: SdkChainFailure) {
    super('The AWS SDK default credential chain found no credentials');
    this.failure = failure;
  }
}

/** Options of {@link SdkCredentialChain.load}. */
interface SdkCredentialChainOptions {
  /** The profile the client uses (from option `profile`, `AWS_PROFILE` of its `env`, else `default`). */
  readonly profile: string;
  /** The shared credentials and config files the client reads (from its `env`), so the SDK reads the same. */
  readonly filepath: string;
  readonly configFilepath: string;
  /** Receives the SDK's warnings (never its debug lines). */
  readonly logger: Logger;
  /** Configuration for the SDK's own STS and SSO clients (a request handler with our proxy and CA). */
  readonly clientConfig: Readonly<Record<string, unknown>> | undefined;
}

type DefaultProvider = (
  init: Record<string, unknown>,
) => (options?: { forceRefresh?: boolean }) => Promise<AwsCredentialIdentity>;
type RemoteProviderFactory = (init: Record<string, unknown>) => () => Promise<AwsCredentialIdentity>;

const STEP_LINE = /defaultProvider::(\w+)/;
/** Errors the SDK logs while it looks a setting up (the environment, then the config file), not failures. */
const LOOKUP_LINE = /not set in env, checking config file next\.?$/;
const REASON_LINE = /^@smithy\/property-provider (?:->|\(!\)) ([\s\S]*)$/;

/**
 * The AWS SDK v3 default credential chain (`@aws-sdk/credential-provider-node`'s `defaultProvider`:
 * shared-file profiles with `role_arn`, `credential_process`, SSO; web identity; container credentials;
 * EC2 IMDSv2), loaded with a dynamic `import()` only when the client's own fast path found nothing, so a
 * process with keys in its environment loads none of it.
 *
 * Each {@link SdkCredentialChain.resolve} runs the chain afresh (`forceRefresh`); the caller caches. It
 * records the chain's debug lines during the run to say, on failure, which steps it reached and why each
 * gave nothing.
 * @internal
 */
export class SdkCredentialChain {
  readonly #provider: ReturnType<DefaultProvider>;
  #lines: string[] = [];

  private constructor(defaultProvider: DefaultProvider, options: SdkCredentialChainOptions) {
    const { logger } = options;
    const init: Record<string, unknown> = {
      logger: {
        debug: (...content: unknown[]) => {
          this.#lines.push(content.map(String).join(' '));
        },
        info: () => undefined,
        warn: (...content: unknown[]) => {
          logger.warn({ source: '@aws-sdk/credential-provider-node' }, content.map(String).join(' ').trim());
        },
        error: (...content: unknown[]) => {
          logger.error({ source: '@aws-sdk/credential-provider-node' }, content.map(String).join(' ').trim());
        },
      },
    };
    // The client's own profile and files (it read them from its `env` option): the SDK would read
    // process.env. Files are read afresh at each refresh (a new `aws sso login`, an edited profile).
    init.profile = options.profile;
    init.filepath = options.filepath;
    init.configFilepath = options.configFilepath;
    init.ignoreCache = true;
    if (options.clientConfig !== undefined) init.clientConfig = options.clientConfig;
    this.#provider = defaultProvider(init);
  }

  /** Imports `@aws-sdk/credential-provider-node` (once per process; Node caches modules). */
  static async load(options: SdkCredentialChainOptions): Promise<SdkCredentialChain> {
    const module = (await import('@aws-sdk/credential-provider-node')) as unknown as {
      defaultProvider: DefaultProvider;
    };
    return new SdkCredentialChain(module.defaultProvider, options);
  }

  /**
   * Runs the chain: the credentials and the step that gave them (the last one it reached). Rejects with an
   * {@link SdkChainError} that says what each step reported.
   */
  async resolve(): Promise<SdkChainResult> {
    this.#lines = [];
    try {
      const identity = await this.#provider({ forceRefresh: true });
      return { identity, step: [...stepsOf(this.#lines).keys()].pop() };
    } catch (error) {
      const steps = stepsOf(this.#lines);
      let remoteReason: string | undefined;
      const imdsDisabled = (process.env.AWS_EC2_METADATA_DISABLED ?? 'false') !== 'false';
      if (steps.has('remoteProvider') && (!imdsDisabled || hasContainerVariables())) {
        remoteReason = await this.#askRemoteProvider();
      }
      throw new SdkChainError({ steps, error, remoteReason });
    }
  }

  /**
   * The chain swallows the container and instance-metadata providers' errors: ask the one it used once
   * more, without retries, for its own reason.
   */
  async #askRemoteProvider(): Promise<string | undefined> {
    const container = hasContainerVariables();
    try {
      // Resolved from the SDK package itself: these are its own dependencies, not ours.
      const sdkRequire = createRequire(
        createRequire(import.meta.url).resolve('@aws-sdk/credential-provider-node'),
      );
      const factory = container
        ? (sdkRequire('@aws-sdk/credential-provider-http') as { fromHttp: RemoteProviderFactory }).fromHttp
        : (sdkRequire('@smithy/credential-provider-imds') as { fromInstanceMetadata: RemoteProviderFactory })
            .fromInstanceMetadata;
      await factory({ maxRetries: 0, timeout: 1000 })();
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
}

/** `true` when the SDK's remote step goes to a container credentials endpoint (not to IMDS). */
function hasContainerVariables(): boolean {
  const env = process.env;
  return (
    (env.AWS_CONTAINER_CREDENTIALS_FULL_URI ?? '') !== '' ||
    (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI ?? '') !== ''
  );
}

/** Groups the chain's debug lines by step: the last reason logged after each `defaultProvider::<step>`. */
function stepsOf(lines: readonly string[]): Map<SdkChainStep, string | undefined> {
  const steps = new Map<SdkChainStep, string | undefined>();
  let current: SdkChainStep | undefined;
  for (const line of lines) {
    const step = STEP_LINE.exec(line);
    if (step !== null) {
      current = step[1] as SdkChainStep;
      if (!steps.has(current)) steps.set(current, undefined);
      continue;
    }
    const reason = REASON_LINE.exec(line);
    if (
      reason !== null &&
      current !== undefined &&
      reason[1] !== 'Could not load credentials from any providers' &&
      !LOOKUP_LINE.test(reason[1] ?? '')
    ) {
      steps.set(current, reason[1]);
    }
  }
  return steps;
}
