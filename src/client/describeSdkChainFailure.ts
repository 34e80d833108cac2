import type { SdkChainFailure, SdkChainStep } from './SdkCredentialChain.js';
import type { IniSection } from './sharedIniFiles.js';

type Env = Readonly<Record<string, string | undefined>>;

/** What the message may say about the profile the chain read (names of keys only). */
interface ChainProfileView {
  readonly name: string;
  /** The merged profile, if the shared files have it. */
  readonly section: IniSection | undefined;
  /** `"<credentials path> and <config path>"`, with `(missing)` marks. */
  readonly files: string;
}

const NO_PROVIDER_FOUND = 'Could not load credentials from any providers';
const MAX_REASON = 300;
/** Profile keys that make the SDK do more than read static keys. */
const PROFILE_SOURCE_KEYS = [
  'role_arn',
  'source_profile',
  'credential_source',
  'web_identity_token_file',
  'credential_process',
  'sso_session',
  'sso_start_url',
  'sso_account_id',
  'sso_role_name',
  'login_session',
];
const SECRET_NAME = /SECRET|TOKEN|PASSWORD|SESSION|CREDENTIAL/i;

function isSet(env: Env, name: string): boolean {
  return (env[name] ?? '') !== '';
}

/** "`A` and `B` are set" / "`A` is set" / "none of `A`, `B` is set", names only. */
function seen(env: Env, names: readonly string[]): string {
  const set = names.filter((name) => isSet(env, name)).map((name) => `\`${name}\``);
  if (set.length === 0) return `none of ${names.map((name) => `\`${name}\``).join(', ')} is set`;
  return `${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set`;
}

/**
 * A provider's reason in plain words: the SDK's class-name prefixes dropped, a JSON syntax error (an HTML
 * page where credentials were expected) said plainly, values of secret-looking variables redacted, and at
 * most 300 characters.
 */
export function plainReason(reason: unknown, env: Env): string {
  let text = reason instanceof Error ? reason.message : String(reason);
  text = text
    .replace(/^(?:\w*(?:Provider)?Error: )+/, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (/Unexpected token|is not valid JSON|Unexpected end of JSON|in JSON at position/.test(text)) {
    text = 'the endpoint did not answer with credentials (its answer is not JSON)';
  }
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.length >= 8 && SECRET_NAME.test(name))
      text = text.split(value).join('[redacted]');
  }
  return text.length > MAX_REASON ? `${text.slice(0, MAX_REASON - 1)}…` : text;
}

function reasonOf(failure: SdkChainFailure, step: SdkChainStep, env: Env): string | undefined {
  const reason = (step === 'remoteProvider' ? failure.remoteReason : undefined) ?? failure.steps.get(step);
  return reason === undefined ? undefined : plainReason(reason, env);
}

const CONTAINER_VARIABLES = [
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
];

function usesContainer(env: Env): boolean {
  return (
    isSet(env, 'AWS_CONTAINER_CREDENTIALS_FULL_URI') || isSet(env, 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI')
  );
}

function imdsAddress(env: Env): string {
  return isSet(env, 'AWS_EC2_METADATA_SERVICE_ENDPOINT')
    ? '`AWS_EC2_METADATA_SERVICE_ENDPOINT`'
    : 'the default address';
}

/**
 * Names the source one step of the SDK's chain reads, with the variables and profile keys it sees (names
 * only): e.g. "web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN` are set)".
 */
export function sdkSourceLabel(step: SdkChainStep, env: Env, profile: ChainProfileView): string {
  switch (step) {
    case 'fromEnv':
      return 'keys in the process environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`)';
    case 'fromSSO':
      return `SSO settings of profile "${profile.name}"`;
    case 'fromIni': {
      const keys =
        profile.section === undefined
          ? []
          : PROFILE_SOURCE_KEYS.filter((key) => profile.section?.[key] !== undefined);
      return `profile "${profile.name}" in ${profile.files}${keys.length > 0 ? ` (uses ${keys.join(', ')})` : ''}`;
    }
    case 'fromProcess':
      return `credential_process of profile "${profile.name}"`;
    case 'fromTokenFile':
      return `web identity (${seen(env, ['AWS_WEB_IDENTITY_TOKEN_FILE', 'AWS_ROLE_ARN'])})`;
    case 'remoteProvider':
      return usesContainer(env)
        ? `container credentials (${seen(env, CONTAINER_VARIABLES)})`
        : `EC2 instance metadata (IMDSv2) at ${imdsAddress(env)}`;
  }
}

/**
 * The SDK does not report why a profile's `credential_source` gave nothing (its container and instance
 * metadata errors are swallowed): say which it was and what it could see.
 */
function credentialSourceReason(profile: ChainProfileView, env: Env): string | undefined {
  const source = profile.section?.credential_source;
  if (source === 'EcsContainer') {
    return `its credential_source EcsContainer gave no credentials (${seen(env, CONTAINER_VARIABLES)}; the SDK gives no reason)`;
  }
  if (source === 'Ec2InstanceMetadata') {
    return `its credential_source Ec2InstanceMetadata gave no credentials (IMDSv2 at ${imdsAddress(env)}; the SDK gives no reason)`;
  }
  if (source === 'Environment') {
    return `its credential_source Environment gave no credentials (${seen(env, ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])})`;
  }
  return undefined;
}

/**
 * The "tried" entries for the AWS SDK's default chain after it found nothing: each source it reached, the
 * variables and profile keys it saw (names only, never values) and the provider's own reason.
 */
export function describeSdkChainFailure(
  failure: SdkChainFailure,
  env: Env,
  profile: ChainProfileView,
): string[] {
  const steps = failure.steps;
  // A step that threw a final error (a profile whose role could not be assumed…) stops the chain: that
  // error is its reason.
  const ended =
    !(failure.error instanceof Error) || failure.error.message !== NO_PROVIDER_FOUND
      ? [...steps.keys()].pop()
      : undefined;
  const reason = (step: SdkChainStep): string => {
    const own = reasonOf(failure, step, env);
    if (own !== undefined) return own;
    if (step === ended) return plainReason(failure.error, env);
    if (step === 'fromIni') {
      const silent = credentialSourceReason(profile, env);
      if (silent !== undefined) return silent;
    }
    return 'no reason given';
  };
  const entries: string[] = [];
  const notReached = (what: string): void => {
    entries.push(`${what} (not tried: the chain stopped at the error above)`);
  };

  for (const step of ['fromIni', 'fromProcess', 'fromTokenFile'] as const) {
    const what = `AWS SDK: ${sdkSourceLabel(step, env, profile)}`;
    if (steps.has(step)) entries.push(`${what}: ${reason(step)}`);
    else notReached(what);
  }

  const imdsDisabled = isSet(env, 'AWS_EC2_METADATA_DISABLED') && env.AWS_EC2_METADATA_DISABLED !== 'false';
  const remoteWhat = usesContainer(env)
    ? `AWS SDK: container credentials: ${seen(env, CONTAINER_VARIABLES)}`
    : imdsDisabled
      ? 'AWS SDK: EC2 instance metadata (IMDSv2): `AWS_EC2_METADATA_DISABLED` is set'
      : `AWS SDK: ${sdkSourceLabel('remoteProvider', env, profile)}`;
  const remoteFailed = usesContainer(env)
    ? '; the container credentials provider failed'
    : imdsDisabled
      ? ''
      : ': the instance metadata provider failed';
  if (steps.has('remoteProvider')) entries.push(`${remoteWhat}${remoteFailed}: ${reason('remoteProvider')}`);
  else notReached(remoteWhat);
  return entries;
}
