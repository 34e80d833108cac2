import type { Logger } from '../model/Logger.js';
import { ConfigurationError } from './ConfigurationError.js';
import { resolveNetworkSettings, type NetworkSettings } from './createNetworkDispatcher.js';
import type { IniSection, SharedConfig } from './sharedIniFiles.js';
import { MAX_APP_ID_LENGTH, userAgent } from './userAgent.js';
import { describeValue } from '../model/describeValue.js';

/** How requests are sent, from the environment and the profile (the AWS CLI's and SDKs' settings). */
interface RequestSettings {
  readonly network: NetworkSettings;
  /** The `User-Agent` header of every request. */
  readonly userAgent: string;
  /** `AWS_MAX_ATTEMPTS` / profile `max_attempts`, if set: attempts per poll, first one included. */
  readonly maxAttempts: number | undefined;
}

/** Inputs of {@link resolveRequestSettings}. */
interface RequestSettingsInput {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly profile: string;
  readonly loadShared: () => Promise<SharedConfig>;
  readonly logger: Logger;
}

function parseMaxAttempts(raw: string, where: string): number {
  const value = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new ConfigurationError(`${where} must be a whole number ≥ 1, got ${describeValue(raw)}`);
  }
  return value;
}

/**
 * Resolves the proxy and CA bundle (`HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` in either case,
 * `AWS_CA_BUNDLE` → profile `ca_bundle`), the User-Agent's app id (`AWS_SDK_UA_APP_ID` → profile
 * `sdk_ua_app_id`) and the attempts per poll (`AWS_MAX_ATTEMPTS` → profile `max_attempts`). The shared
 * files are read only when a setting is not in the environment.
 */
export async function resolveRequestSettings(input: RequestSettingsInput): Promise<RequestSettings> {
  const { env } = input;
  const fromEnv = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value.trim() === '' ? undefined : value;
  };
  const envCaBundle = fromEnv('AWS_CA_BUNDLE');
  const envAppId = fromEnv('AWS_SDK_UA_APP_ID');
  const envMaxAttempts = fromEnv('AWS_MAX_ATTEMPTS');
  let section: IniSection | undefined;
  if (envCaBundle === undefined || envAppId === undefined || envMaxAttempts === undefined) {
    section = (await input.loadShared()).profiles.get(input.profile);
  }
  const pick = (envValue: string | undefined, key: string): string | undefined => {
    if (envValue !== undefined) return envValue;
    const value = section?.[key];
    return value === undefined || value.trim() === '' ? undefined : value;
  };

  let appId = pick(envAppId, 'sdk_ua_app_id')?.trim();
  if (appId !== undefined && appId.length > MAX_APP_ID_LENGTH) {
    input.logger.warn(
      { appIdLength: appId.length },
      `The User-Agent app id (${envAppId !== undefined ? 'AWS_SDK_UA_APP_ID' : `profile "${input.profile}" sdk_ua_app_id`}) is longer than ${MAX_APP_ID_LENGTH} characters; only the first ${MAX_APP_ID_LENGTH} are sent`,
    );
    appId = appId.slice(0, MAX_APP_ID_LENGTH);
  }
  const rawAttempts = pick(envMaxAttempts, 'max_attempts');
  return {
    network: resolveNetworkSettings(
      env,
      envCaBundle === undefined ? section?.ca_bundle : undefined,
      input.profile,
    ),
    userAgent: userAgent(appId),
    maxAttempts:
      rawAttempts === undefined
        ? undefined
        : parseMaxAttempts(
            rawAttempts,
            envMaxAttempts !== undefined ? 'AWS_MAX_ATTEMPTS' : `max_attempts of profile "${input.profile}"`,
          ),
  };
}
