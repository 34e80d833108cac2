import { ConfigurationError } from './ConfigurationError.js';
import type { IniSection, SharedConfig } from './sharedIniFiles.js';
import { describeValue } from '../model/describeValue.js';

/** The region names Amazon ML actually runs in. */
export const AMAZON_ML_REGIONS: ReadonlySet<string> = new Set(['us-east-1', 'eu-west-1']);

const REGION_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/** `true` for a syntactically valid region name (`us-east-1`, `eu-west-1`, `local`). */
export function isValidRegion(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 63 && REGION_PATTERN.test(value);
}

/**
 * Parses and checks an endpoint: an absolute `http:` or `https:` URL without credentials, query or
 * fragment; its path is kept (requests are POSTed to it). Returns `undefined` when valid input is
 * not a URL; the caller builds the error (TypeError for options, ConfigurationError for env/files).
 */
export function parseEndpoint(value: string | URL): URL | string {
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    return 'it is not an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `its protocol ${url.protocol} is not http: or https:`;
  if (url.username !== '' || url.password !== '') return 'it contains user info';
  if (url.search !== '' || url.hash !== '') return 'it has a query or fragment';
  return url;
}

/** Where each setting came from: the effective values and a trail of what was tried. */
interface EndpointAndRegion {
  readonly endpoint: URL;
  /** `true` when the endpoint was configured (option, env or profile), not derived from the region. */
  readonly customEndpoint: boolean;
  readonly region: string;
}

/** Inputs of {@link resolveEndpointAndRegion}. */
interface EndpointAndRegionInput {
  readonly endpoint: URL | undefined;
  readonly region: string | undefined;
  readonly profile: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly loadShared: () => Promise<SharedConfig>;
}

function envEndpoint(env: Readonly<Record<string, string | undefined>>, name: string): URL | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const parsed = parseEndpoint(raw);
  if (typeof parsed === 'string') {
    throw new ConfigurationError(
      `Environment variable ${name} is not a usable endpoint (${parsed}): ${describeValue(raw)}`,
    );
  }
  return parsed;
}

function profileDescription(shared: SharedConfig, profile: string): string {
  return `profile "${profile}" in ${shared.configFile.path}${shared.configFile.found ? '' : ' (missing)'} and ${shared.credentialsFile.path}${shared.credentialsFile.found ? '' : ' (missing)'}`;
}

/**
 * Resolves the endpoint and region as `API.md` orders them:
 * - endpoint: option → `AWS_ENDPOINT_URL_MACHINE_LEARNING` → `AWS_ENDPOINT_URL` → the profile's
 *   `services` section `machine_learning.endpoint_url` → the profile's `endpoint_url` →
 *   `https://machinelearning.{region}.amazonaws.com`. `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true`
 *   (or the profile's `ignore_configured_endpoint_urls = true`) skips the env and profile steps.
 * - region: option → `AWS_REGION` → `AWS_DEFAULT_REGION` → the profile's `region` →
 *   {@link ConfigurationError} listing what was tried.
 *
 * The shared files are read only when a step needs them.
 */
export async function resolveEndpointAndRegion(input: EndpointAndRegionInput): Promise<EndpointAndRegion> {
  const { env } = input;
  const loadProfile = async (): Promise<{ shared: SharedConfig; profile: IniSection | undefined }> => {
    const shared = await input.loadShared();
    return { shared, profile: shared.profiles.get(input.profile) };
  };

  // Region.
  const tried: string[] = [];
  let region = input.region;
  if (region === undefined) {
    tried.push('option `region` (not set)');
    for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION'] as const) {
      const value = env[name];
      if (value === undefined || value === '') {
        tried.push(`environment variable ${name} (not set)`);
        continue;
      }
      if (!isValidRegion(value)) {
        throw new ConfigurationError(
          `Environment variable ${name} is not a region name like us-east-1: ${describeValue(value)}`,
        );
      }
      region = value;
      break;
    }
  }
  if (region === undefined) {
    const { shared, profile } = await loadProfile();
    const fromProfile = profile?.region;
    if (fromProfile !== undefined && fromProfile !== '') {
      if (!isValidRegion(fromProfile)) {
        throw new ConfigurationError(
          `The region of profile "${input.profile}" is not a region name like us-east-1: ${describeValue(fromProfile)}`,
        );
      }
      region = fromProfile;
    } else {
      tried.push(
        `${profileDescription(shared, input.profile)} (${profile === undefined ? 'no such profile' : 'no `region` key'})`,
      );
      throw new ConfigurationError(
        `No AWS region configured for Amazon ML. Tried: ${tried.join('; ')}. Set the \`region\` option or AWS_REGION (Amazon ML runs in us-east-1 and eu-west-1).`,
        { tried },
      );
    }
  }

  // Endpoint.
  if (input.endpoint !== undefined) return { endpoint: input.endpoint, customEndpoint: true, region };
  const ignoreConfigured = (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '').toLowerCase() === 'true';
  if (!ignoreConfigured) {
    const fromEnv =
      envEndpoint(env, 'AWS_ENDPOINT_URL_MACHINE_LEARNING') ?? envEndpoint(env, 'AWS_ENDPOINT_URL');
    if (fromEnv !== undefined) return { endpoint: fromEnv, customEndpoint: true, region };
    const { shared, profile: section } = await loadProfile();
    if (section !== undefined && (section.ignore_configured_endpoint_urls ?? '').toLowerCase() !== 'true') {
      let raw: string | undefined;
      let where = '';
      const servicesName = section.services;
      if (servicesName !== undefined && servicesName !== '') {
        const services = shared.services.get(servicesName);
        if (services === undefined) {
          throw new ConfigurationError(
            `Profile "${input.profile}" names services section "${servicesName}", which ${shared.configFile.path} does not define`,
          );
        }
        raw = services['machine_learning.endpoint_url'];
        where = `[services ${servicesName}] machine_learning.endpoint_url`;
      }
      if (raw === undefined || raw === '') {
        raw = section.endpoint_url;
        where = `profile "${input.profile}" endpoint_url`;
      }
      if (raw !== undefined && raw !== '') {
        const parsed = parseEndpoint(raw);
        if (typeof parsed === 'string') {
          throw new ConfigurationError(
            `${where} is not a usable endpoint (${parsed}): ${describeValue(raw)}`,
          );
        }
        return { endpoint: parsed, customEndpoint: true, region };
      }
    }
  }
  return {
    endpoint: new URL(`https://machinelearning.${region}.amazonaws.com/`),
    customEndpoint: false,
    region,
  };
}
