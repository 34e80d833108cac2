import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';
import type { Emulator } from '../../../src/emulator/Emulator.js';

/** The credential sources a job runner on AWS has, beyond keys in the environment. */
export const SOURCES = [
  'container',
  'imds',
  'webIdentity',
  'assumeRole',
  'credentialProcess',
  'sso',
  'webIdentityProfile',
  'credentialSourceEnvironment',
  'credentialSourceEcs',
  'credentialSourceImds',
  'ssoLegacy',
] as const;
export type SourceName = (typeof SOURCES)[number];

/** The emulator operation that issues each source's credentials (as its request log names it). */
export const ISSUING_OPERATION: Readonly<Record<SourceName, string>> = {
  container: 'Container.GetCredentials',
  imds: 'IMDS.GetRoleCredentials',
  webIdentity: 'STS.AssumeRoleWithWebIdentity',
  assumeRole: 'STS.AssumeRole',
  credentialProcess: 'Container.GetCredentials',
  sso: 'SSO.GetRoleCredentials',
  webIdentityProfile: 'STS.AssumeRoleWithWebIdentity',
  credentialSourceEnvironment: 'STS.AssumeRole',
  credentialSourceEcs: 'STS.AssumeRole',
  credentialSourceImds: 'STS.AssumeRole',
  ssoLegacy: 'SSO.GetRoleCredentials',
};

/**
 * How many credentials the emulator issues each time a source is resolved: one, except for a role assumed
 * with container or instance credentials (those, then the role's).
 */
export const ISSUED_PER_RESOLUTION: Readonly<Record<SourceName, number>> = {
  container: 1,
  imds: 1,
  webIdentity: 1,
  assumeRole: 1,
  credentialProcess: 1,
  sso: 1,
  webIdentityProfile: 1,
  credentialSourceEnvironment: 1,
  credentialSourceEcs: 2,
  credentialSourceImds: 2,
  ssoLegacy: 1,
};

/** Every variable a test environment sets or clears, so that nothing of the runner's own leaks in. */
export const AWS_VARIABLES = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_ENDPOINT_URL',
  'AWS_ENDPOINT_URL_MACHINE_LEARNING',
  'AWS_ENDPOINT_URL_STS',
  'AWS_ENDPOINT_URL_SSO',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  'AWS_EC2_METADATA_DISABLED',
  'AWS_EC2_METADATA_SERVICE_ENDPOINT',
  'AWS_CA_BUNDLE',
  'AWS_MAX_ATTEMPTS',
  'AWS_SDK_UA_APP_ID',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
] as const;

/** What one source needs: the environment a platform would set, and the files it would leave. */
export interface SourceSetup {
  readonly name: SourceName;
  /** The variables to set (every name of {@link AWS_VARIABLES} not here must be unset). */
  readonly env: Record<string, string>;
  /** The temporary home directory holding `.aws/` (and the token files). */
  readonly home: string;
  /** Secrets written for this source (tokens), for the secrets scan. */
  readonly secrets: readonly string[];
}

export const ROLE_ARN = 'arn:aws:iam::123456789012:role/aml-waiter';

/**
 * Sets up one source against an emulator started with `credentialEndpoints`: the variables ECS / EKS /
 * EC2 / a laptop would have, and the files (profile, token file, SSO token cache, credential_process
 * helper) in a fresh temporary home. Only the emulator's endpoint and region are given besides; every
 * test that is not about IMDS sets `AWS_EC2_METADATA_DISABLED=true`.
 */
export function setUpSource(name: SourceName, emulator: Emulator): SourceSetup {
  const endpoints = emulator.credentialEndpoints;
  if (endpoints === undefined) throw new Error('start the emulator with `credentialEndpoints`');
  const home = mkdtempSync(join(tmpdir(), `aml-creds-${name}-`));
  mkdirSync(join(home, '.aws', 'sso', 'cache'), { recursive: true });
  const config = join(home, '.aws', 'config');
  const env: Record<string, string> = {
    HOME: home,
    AWS_CONFIG_FILE: config,
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    AWS_REGION: emulator.region,
    AWS_ENDPOINT_URL_MACHINE_LEARNING: emulator.endpoint,
    AWS_ENDPOINT_URL_STS: endpoints.stsEndpoint,
    AWS_ENDPOINT_URL_SSO: endpoints.ssoEndpoint,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  const secrets: string[] = [];
  const { accessKeyId, secretAccessKey } = emulator.credentials;
  writeFileSync(config, '[default]\nregion = us-east-1\n');
  switch (name) {
    case 'container': {
      // EKS Pod Identity style: a full URI and a token file.
      const tokenFile = join(home, 'pod-identity-token');
      writeFileSync(tokenFile, endpoints.containerAuthorizationToken);
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI = endpoints.containerCredentialsFullUri;
      env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE = tokenFile;
      secrets.push(endpoints.containerAuthorizationToken);
      break;
    }
    case 'imds':
      delete env.AWS_EC2_METADATA_DISABLED;
      env.AWS_EC2_METADATA_SERVICE_ENDPOINT = endpoints.instanceMetadataEndpoint;
      break;
    case 'webIdentity': {
      // EKS IRSA / GitHub Actions OIDC style.
      const tokenFile = join(home, 'web-identity-token');
      writeFileSync(tokenFile, endpoints.webIdentityToken);
      env.AWS_WEB_IDENTITY_TOKEN_FILE = tokenFile;
      env.AWS_ROLE_ARN = ROLE_ARN;
      env.AWS_ROLE_SESSION_NAME = 'aml-waiter-test';
      secrets.push(endpoints.webIdentityToken);
      break;
    }
    case 'assumeRole':
      writeFileSync(
        config,
        `[default]\nregion = us-east-1\n\n[profile base]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n\n[profile waiter]\nrole_arn = ${ROLE_ARN}\nsource_profile = base\nrole_session_name = aml-waiter-test\n`,
      );
      env.AWS_PROFILE = 'waiter';
      break;
    case 'credentialProcess': {
      // A helper that fetches credentials from an internal service (here: the emulator's container
      // endpoint) and prints them in credential_process format.
      const helper = join(home, 'credential-helper.mjs');
      const tokenFile = join(home, 'helper-token');
      writeFileSync(tokenFile, endpoints.containerAuthorizationToken);
      writeFileSync(
        helper,
        `import { readFileSync } from 'node:fs';
const [uri, tokenFile] = process.argv.slice(2);
const response = await fetch(uri, { headers: { Authorization: readFileSync(tokenFile, 'utf8') } });
if (!response.ok) {
  process.stderr.write('credential service answered ' + response.status + '\\n');
  process.exit(1);
}
const c = await response.json();
process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey, SessionToken: c.Token, Expiration: c.Expiration }));
`,
      );
      writeFileSync(
        config,
        `[default]\nregion = us-east-1\n\n[profile helper]\ncredential_process = ${process.execPath} ${helper} ${endpoints.containerCredentialsFullUri} ${tokenFile}\n`,
      );
      env.AWS_PROFILE = 'helper';
      secrets.push(endpoints.containerAuthorizationToken);
      break;
    }
    case 'webIdentityProfile': {
      // The web identity settings in a profile instead of the environment (a shared config for CI jobs).
      const tokenFile = join(home, 'web-identity-token');
      writeFileSync(tokenFile, endpoints.webIdentityToken);
      writeFileSync(
        config,
        `[default]\nregion = us-east-1\n\n[profile oidc]\nrole_arn = ${ROLE_ARN}\nweb_identity_token_file = ${tokenFile}\nrole_session_name = aml-waiter-test\n`,
      );
      env.AWS_PROFILE = 'oidc';
      secrets.push(endpoints.webIdentityToken);
      break;
    }
    case 'credentialSourceEnvironment':
      // A role assumed with the keys in the environment (a CI runner's user keys, a role per job).
      writeFileSync(
        config,
        `[default]\nregion = us-east-1\n\n[profile env-role]\nrole_arn = ${ROLE_ARN}\ncredential_source = Environment\nrole_session_name = aml-waiter-test\n`,
      );
      env.AWS_ACCESS_KEY_ID = accessKeyId;
      env.AWS_SECRET_ACCESS_KEY = secretAccessKey;
      env.AWS_PROFILE = 'env-role';
      break;
    case 'credentialSourceEcs':
      // A role assumed with the ECS task's own credentials (ECS style: the token in the environment).
      writeFileSync(
        config,
        `[default]\nregion = us-east-1\n\n[profile task-role]\nrole_arn = ${ROLE_ARN}\ncredential_source = EcsContainer\nrole_session_name = aml-waiter-test\n`,
      );
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI = endpoints.containerCredentialsFullUri;
      env.AWS_CONTAINER_AUTHORIZATION_TOKEN = endpoints.containerAuthorizationToken;
      env.AWS_PROFILE = 'task-role';
      secrets.push(endpoints.containerAuthorizationToken);
      break;
    case 'credentialSourceImds':
      // A role assumed with the EC2 instance's own role.
      writeFileSync(
        config,
        `[default]\nregion = us-east-1\n\n[profile instance-role]\nrole_arn = ${ROLE_ARN}\ncredential_source = Ec2InstanceMetadata\nrole_session_name = aml-waiter-test\n`,
      );
      delete env.AWS_EC2_METADATA_DISABLED;
      env.AWS_EC2_METADATA_SERVICE_ENDPOINT = endpoints.instanceMetadataEndpoint;
      env.AWS_PROFILE = 'instance-role';
      break;
    case 'ssoLegacy':
      // A laptop with an SSO profile of the older form (no sso-session), after `aws sso login`.
      writeFileSync(
        config,
        `[default]\nregion = us-east-1\n\n[profile legacy]\nsso_start_url = ${LEGACY_START_URL}\nsso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = AmlWaiter\nregion = us-east-1\n`,
      );
      writeSsoToken(home, endpoints.ssoAccessToken, new Date(Date.now() + 8 * 3_600_000), LEGACY_START_URL);
      env.AWS_PROFILE = 'legacy';
      secrets.push(endpoints.ssoAccessToken);
      break;
    case 'sso': {
      // A laptop after `aws sso login --sso-session corp`.
      writeFileSync(
        config,
        `[default]\nregion = us-east-1\n\n[profile dev]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = AmlWaiter\nregion = us-east-1\n\n[sso-session corp]\nsso_region = us-east-1\nsso_start_url = https://corp.awsapps.com/start\nsso_registration_scopes = sso:account:access\n`,
      );
      writeSsoToken(home, endpoints.ssoAccessToken, new Date(Date.now() + 8 * 3_600_000));
      env.AWS_PROFILE = 'dev';
      secrets.push(endpoints.ssoAccessToken);
      break;
    }
  }
  return { name, env, home, secrets };
}

/** The start URL of the older-form SSO profile (its token cache file is named after it). */
export const LEGACY_START_URL = 'https://legacy.awsapps.com/start';

/**
 * Writes the SSO token cache file `aws sso login` leaves: named after the SSO session (`corp`), or for an
 * older-form profile, after its start URL.
 */
export function writeSsoToken(home: string, accessToken: string, expiresAt: Date, cacheKey = 'corp'): void {
  const file = join(
    home,
    '.aws',
    'sso',
    'cache',
    `${createHash('sha1').update(cacheKey).digest('hex')}.json`,
  );
  writeFileSync(
    file,
    JSON.stringify({
      startUrl: cacheKey.startsWith('https://') ? cacheKey : 'https://corp.awsapps.com/start',
      region: 'us-east-1',
      accessToken,
      expiresAt: expiresAt.toISOString(),
    }),
  );
}

/** The environment of a spawned process for a source: PATH and the source's variables, nothing inherited. */
export function spawnEnv(setup: SourceSetup, extra: Record<string, string> = {}): Record<string, string> {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', ...setup.env, ...extra };
}

/**
 * Points this process's environment at one source (the SDK's providers read `process.env`): its variables,
 * every other AWS variable unset. Undone by `vi.unstubAllEnvs()`.
 */
export function stubSourceEnv(setup: SourceSetup): void {
  vi.stubEnv('HOME', setup.env.HOME);
  for (const name of AWS_VARIABLES) vi.stubEnv(name, setup.env[name]);
}
