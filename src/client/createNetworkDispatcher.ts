import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { Agent as UndiciAgent, Dispatcher, EnvHttpProxyAgent as UndiciEnvHttpProxyAgent } from 'undici';
import { ConfigurationError } from './ConfigurationError.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The first non-empty value among `names`. */
function firstSet(env: Env, names: readonly string[]): string | undefined {
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/** How requests leave the process, as the environment and profile configure it. */
export interface NetworkSettings {
  /** `HTTPS_PROXY` / `https_proxy` (falls back to the HTTP proxy, as undici and curl do). */
  readonly httpsProxy: string | undefined;
  /** `HTTP_PROXY` / `http_proxy`. */
  readonly httpProxy: string | undefined;
  /** `NO_PROXY` / `no_proxy`. */
  readonly noProxy: string | undefined;
  /** Path of the PEM CA bundle: `AWS_CA_BUNDLE`, else the profile's `ca_bundle`. */
  readonly caBundle: string | undefined;
  /** Where {@link NetworkSettings.caBundle} came from, for messages. */
  readonly caBundleSource: string | undefined;
}

/** Reads the proxy and CA-bundle settings (`AWS_CA_BUNDLE` wins over the profile's `ca_bundle`). */
export function resolveNetworkSettings(
  env: Env,
  profileCaBundle: string | undefined,
  profile: string,
): NetworkSettings {
  const envBundle = firstSet(env, ['AWS_CA_BUNDLE']);
  const caBundle = envBundle ?? (profileCaBundle?.trim() === '' ? undefined : profileCaBundle?.trim());
  return {
    httpsProxy: firstSet(env, ['https_proxy', 'HTTPS_PROXY']),
    httpProxy: firstSet(env, ['http_proxy', 'HTTP_PROXY']),
    noProxy: firstSet(env, ['no_proxy', 'NO_PROXY']),
    caBundle,
    caBundleSource:
      caBundle === undefined
        ? undefined
        : envBundle !== undefined
          ? 'AWS_CA_BUNDLE'
          : `profile "${profile}" ca_bundle`,
  };
}

/** `true` when a proxy variable is set (then undici's `EnvHttpProxyAgent` is loaded). */
export function usesProxy(settings: NetworkSettings): boolean {
  return settings.httpsProxy !== undefined || settings.httpProxy !== undefined;
}

/** Reads the CA bundle named by the settings, or throws a {@link ConfigurationError} naming its source. */
export async function readCaBundle(settings: NetworkSettings): Promise<string | undefined> {
  if (settings.caBundle === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(settings.caBundle, 'utf8');
  } catch (error) {
    throw new ConfigurationError(
      `Could not read the CA bundle ${settings.caBundle} (from ${settings.caBundleSource ?? 'AWS_CA_BUNDLE'}): ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { cause: error },
    );
  }
  if (!text.includes('-----BEGIN CERTIFICATE-----')) {
    throw new ConfigurationError(
      `The CA bundle ${settings.caBundle} (from ${settings.caBundleSource ?? 'AWS_CA_BUNDLE'}) holds no PEM certificate`,
    );
  }
  return text;
}

/** Options of {@link createNetworkDispatcher}. */
interface NetworkDispatcherOptions {
  readonly settings: NetworkSettings;
  /** PEM certificates to trust instead of Node's default list (from {@link readCaBundle}). */
  readonly ca: string | undefined;
  /** Connections per origin. */
  readonly connections: number;
  readonly keepAliveTimeout: number;
  readonly connectTimeout: number;
}

const requireUndici = createRequire(import.meta.url);
// undici's Agent alone (the same module the root entry re-exports, so the same class), loaded with the client:
// the root entry also loads fetch, WebSocket, caches and mocks, about 50 ms more at start-up. These are deep
// imports of undici's internals (named in docs/ARCHITECTURE.md): a patch release within our tilde range could
// move them; the tests and the package test would catch it. The proxy agent is loaded only when a proxy is set.
const Agent = requireUndici('undici/lib/dispatcher/agent.js') as typeof UndiciAgent;

/**
 * The keep-alive dispatcher the client owns: undici's `Agent` (its module alone: the root entry also loads
 * fetch, WebSocket, caches and mocks), or, only when a proxy variable is set, undici's `EnvHttpProxyAgent`
 * with the proxies and `NO_PROXY` given explicitly (upper or lower case, lower case first, like curl). A CA
 * bundle is trusted for direct TLS connections, for TLS through a proxy's tunnel and for an `https:` proxy.
 */
export function createNetworkDispatcher(options: NetworkDispatcherOptions): Dispatcher {
  const { settings, ca } = options;
  const tls = ca === undefined ? {} : { ca };
  const agentOptions = {
    keepAliveTimeout: options.keepAliveTimeout,
    connections: options.connections,
    connect: { timeout: options.connectTimeout, ...tls },
  };
  if (!usesProxy(settings)) return new Agent(agentOptions);
  const EnvHttpProxyAgent = requireUndici(
    'undici/lib/dispatcher/env-http-proxy-agent.js',
  ) as typeof UndiciEnvHttpProxyAgent;
  return new EnvHttpProxyAgent({
    ...agentOptions,
    httpProxy: settings.httpProxy ?? '',
    httpsProxy: settings.httpsProxy ?? settings.httpProxy ?? '',
    noProxy: settings.noProxy ?? '',
    requestTls: tls,
    proxyTls: tls,
  });
}
