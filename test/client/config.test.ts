import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { AmazonMLClient, type AmazonMLClientConfig } from '../../src/client/AmazonMLClient.js';
import type { AwsCredentialIdentity } from '../../src/client/AwsCredentialIdentity.js';
import { ConfigurationError, isConfigurationError } from '../../src/client/ConfigurationError.js';
import { parseIni } from '../../src/client/sharedIniFiles.js';
import { startCannedServer, type CannedServer } from './helpers/cannedServer.js';

let server: CannedServer;
let home: string;
const clients: AmazonMLClient[] = [];

beforeAll(async () => {
  server = await startCannedServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'aml-client-home-'));
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.close()));
  rmSync(home, { recursive: true, force: true });
  server.requests.length = 0;
});

function writeAws(file: 'config' | 'credentials', text: string): string {
  mkdirSync(join(home, '.aws'), { recursive: true });
  const path = join(home, '.aws', file);
  writeFileSync(path, text);
  return path;
}

function client(config: AmazonMLClientConfig): AmazonMLClient {
  const c = new AmazonMLClient({ ...config, env: { HOME: home, ...config.env } });
  clients.push(c);
  return c;
}

/** The access key id the server saw in the last request's Authorization header. */
function lastAccessKey(): string | undefined {
  return /Credential=([^/]+)\//.exec(String(server.requests.at(-1)?.headers.authorization))?.[1];
}

async function configError(promise: Promise<unknown>): Promise<ConfigurationError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigurationError);
  expect(isConfigurationError(error)).toBe(true);
  expect(error).toMatchObject({ name: 'ConfigurationError', code: 'ERR_AML_CONFIG' });
  return error as ConfigurationError;
}

describe('region', () => {
  test('option → AWS_REGION → AWS_DEFAULT_REGION → profile region', async () => {
    writeAws('config', '[default]\nregion = eu-west-1\n');
    const env = { AWS_REGION: 'us-east-1', AWS_DEFAULT_REGION: 'us-west-2' };
    const endpoint = server.endpoint;
    expect((await client({ endpoint, region: 'ap-south-1', env }).resolveConfig()).region).toBe('ap-south-1');
    expect((await client({ endpoint, env }).resolveConfig()).region).toBe('us-east-1');
    expect(
      (await client({ endpoint, env: { AWS_DEFAULT_REGION: 'us-west-2' } }).resolveConfig()).region,
    ).toBe('us-west-2');
    expect((await client({ endpoint }).resolveConfig()).region).toBe('eu-west-1');
  });

  test('no region anywhere → ConfigurationError listing what was tried', async () => {
    const error = await configError(client({ endpoint: server.endpoint }).resolveConfig());
    const configPath = join(home, '.aws', 'config');
    const credentialsPath = join(home, '.aws', 'credentials');
    expect(error.tried).toEqual([
      'option `region` (not set)',
      'environment variable AWS_REGION (not set)',
      'environment variable AWS_DEFAULT_REGION (not set)',
      `profile "default" in ${configPath} (missing) and ${credentialsPath} (missing) (no such profile)`,
    ]);
    expect(error.message).toContain(
      'No AWS region configured for Amazon ML. Tried: option `region` (not set);',
    );
  });

  test('a malformed AWS_REGION is a ConfigurationError naming the variable', async () => {
    const error = await configError(client({ env: { AWS_REGION: 'us east 1' } }).resolveConfig());
    expect(error.message).toBe(
      'Environment variable AWS_REGION is not a region name like us-east-1: "us east 1"',
    );
  });

  test('warns once when the region has no Amazon ML endpoint and none is configured', async () => {
    const warnings: unknown[] = [];
    const logger = {
      debug: () => undefined,
      info: () => undefined,
      error: () => undefined,
      warn: (b: unknown) => warnings.push(b),
    };
    const c = client({ region: 'us-west-2', logger });
    expect(await c.resolveConfig()).toEqual({
      endpoint: 'https://machinelearning.us-west-2.amazonaws.com/',
      region: 'us-west-2',
    });
    await c.resolveConfig();
    expect(warnings).toEqual([
      { region: 'us-west-2', endpoint: 'https://machinelearning.us-west-2.amazonaws.com/' },
    ]);
    await client({ region: 'us-west-2', logger, endpoint: server.endpoint }).resolveConfig();
    await client({ region: 'eu-west-1', logger }).resolveConfig();
    expect(warnings).toHaveLength(1);
  });
});

describe('endpoint', () => {
  const base = { region: 'us-east-1' };

  test('option → AWS_ENDPOINT_URL_MACHINE_LEARNING → AWS_ENDPOINT_URL → services → profile endpoint_url → default', async () => {
    writeAws(
      'config',
      [
        '[default]',
        'services = local-ml',
        'endpoint_url = http://profile.example:2',
        '',
        '[services local-ml]',
        'machine_learning =',
        '  endpoint_url = http://services.example:1',
        's3 =',
        '  endpoint_url = http://s3.example',
        '',
        '[profile plain]',
        'endpoint_url = http://plain.example:3',
        '[profile none]',
        'region = us-east-1',
      ].join('\n'),
    );
    const env = {
      AWS_ENDPOINT_URL_MACHINE_LEARNING: 'http://ml-env.example:5',
      AWS_ENDPOINT_URL: 'http://env.example:4',
    };
    const endpointOf = async (config: AmazonMLClientConfig): Promise<string> =>
      (await client({ ...base, ...config }).resolveConfig()).endpoint;
    expect(await endpointOf({ endpoint: 'http://option.example:6/p', env })).toBe(
      'http://option.example:6/p',
    );
    expect(await endpointOf({ env })).toBe('http://ml-env.example:5/');
    expect(await endpointOf({ env: { AWS_ENDPOINT_URL: 'http://env.example:4' } })).toBe(
      'http://env.example:4/',
    );
    expect(await endpointOf({})).toBe('http://services.example:1/');
    expect(await endpointOf({ profile: 'plain' })).toBe('http://plain.example:3/');
    expect(await endpointOf({ profile: 'none' })).toBe('https://machinelearning.us-east-1.amazonaws.com/');
  });

  test('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS skips env and profile endpoints, not the option', async () => {
    writeAws('config', '[default]\nendpoint_url = http://profile.example\n');
    const env = { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL: 'http://env.example' };
    expect((await client({ ...base, env }).resolveConfig()).endpoint).toBe(
      'https://machinelearning.us-east-1.amazonaws.com/',
    );
    expect((await client({ ...base, env, endpoint: 'http://opt.example' }).resolveConfig()).endpoint).toBe(
      'http://opt.example/',
    );
  });

  test('a profile naming a missing services section is an error', async () => {
    writeAws('config', '[default]\nservices = nope\n');
    const error = await configError(client(base).resolveConfig());
    expect(error.message).toContain('Profile "default" names services section "nope"');
  });

  test('a bad endpoint in the environment is an error naming the variable', async () => {
    const error = await configError(
      client({ ...base, env: { AWS_ENDPOINT_URL: 'ftp://x' } }).resolveConfig(),
    );
    expect(error.message).toBe(
      'Environment variable AWS_ENDPOINT_URL is not a usable endpoint (its protocol ftp: is not http: or https:): "ftp://x"',
    );
  });
});

describe('shared files', () => {
  test('`[profile x]` in config, plain `[x]` in credentials; credentials file wins; plain `[x]` in config is ignored', async () => {
    writeAws(
      'config',
      [
        '[profile dev]',
        'region = eu-west-1',
        'aws_access_key_id = FROM_CONFIG',
        'aws_secret_access_key = config-secret',
        '[ignored]',
        'region = us-west-2',
      ].join('\n'),
    );
    writeAws(
      'credentials',
      '[dev]\naws_access_key_id = FROM_CREDENTIALS\naws_secret_access_key = cred-secret\n',
    );
    const c = client({ endpoint: server.endpoint, profile: 'dev' });
    expect((await c.resolveConfig()).region).toBe('eu-west-1');
    await c.getBatchPrediction('bp-1');
    expect(lastAccessKey()).toBe('FROM_CREDENTIALS');
    await configError(client({ endpoint: server.endpoint, profile: 'ignored' }).resolveConfig());
  });

  test('AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE (with ~/) and AWS_PROFILE', async () => {
    mkdirSync(join(home, 'elsewhere'));
    writeFileSync(join(home, 'elsewhere', 'cfg'), '[profile team]\nregion = eu-west-1\n');
    writeFileSync(
      join(home, 'elsewhere', 'creds'),
      '[team]\naws_access_key_id = TEAM_KEY\naws_secret_access_key = s\naws_session_token = tok\n',
    );
    const c = client({
      endpoint: server.endpoint,
      env: {
        AWS_CONFIG_FILE: '~/elsewhere/cfg',
        AWS_SHARED_CREDENTIALS_FILE: '~/elsewhere/creds',
        AWS_PROFILE: 'team',
      },
    });
    expect((await c.resolveConfig()).region).toBe('eu-west-1');
    await c.getBatchPrediction('bp-1');
    expect(lastAccessKey()).toBe('TEAM_KEY');
    expect(server.requests.at(-1)!.headers['x-amz-security-token']).toBe('tok');
  });

  test('parseIni: comments, sub-sections, whitespace, __proto__', () => {
    const parsed = parseIni(
      [
        '# comment',
        '; another',
        '[ default ]',
        'region = eu-west-1 # trailing comment',
        'secret = a#b',
        'services =',
        '  machine_learning.x = nested',
        '[services s]',
        'machine_learning =',
        '  endpoint_url = http://x',
        'other = 1',
        '[__proto__]',
        'polluted = yes',
      ].join('\r\n'),
    );
    expect({ ...parsed.get('default') }).toEqual({
      region: 'eu-west-1',
      secret: 'a#b',
      'services.machine_learning.x': 'nested',
    });
    expect({ ...parsed.get('services s') }).toEqual({
      'machine_learning.endpoint_url': 'http://x',
      other: '1',
    });
    expect(parsed.has('__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('credentials', () => {
  const env = {
    AWS_ACCESS_KEY_ID: 'ENV_KEY',
    AWS_SECRET_ACCESS_KEY: 'env-secret',
    AWS_SESSION_TOKEN: 'env-token',
  };

  beforeEach(() => {
    writeAws(
      'credentials',
      '[default]\naws_access_key_id = FILE_KEY\naws_secret_access_key = file-secret\n[other]\naws_access_key_id = OTHER_KEY\naws_secret_access_key = x\n',
    );
  });

  test('option → env → shared files', async () => {
    const base = { endpoint: server.endpoint, region: 'us-east-1' };
    await client({
      ...base,
      env,
      credentials: { accessKeyId: 'OPT_KEY', secretAccessKey: 's' },
    }).getBatchPrediction('b');
    expect(lastAccessKey()).toBe('OPT_KEY');
    await client({ ...base, env }).getBatchPrediction('b');
    expect(lastAccessKey()).toBe('ENV_KEY');
    expect(server.requests.at(-1)!.headers['x-amz-security-token']).toBe('env-token');
    await client(base).getBatchPrediction('b');
    expect(lastAccessKey()).toBe('FILE_KEY');
  });

  test('AWS_PROFILE (or the profile option) skips the env keys', async () => {
    const base = { endpoint: server.endpoint, region: 'us-east-1' };
    await client({ ...base, env: { ...env, AWS_PROFILE: 'other' } }).getBatchPrediction('b');
    expect(lastAccessKey()).toBe('OTHER_KEY');
    await client({ ...base, env, profile: 'default' }).getBatchPrediction('b');
    expect(lastAccessKey()).toBe('FILE_KEY');
  });

  test('nothing found → ConfigurationError listing every source, no request sent', async () => {
    rmSync(join(home, '.aws'), { recursive: true });
    // The AWS SDK's providers read process.env: nothing may probe 169.254.169.254 or find a real source.
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    for (const name of [
      'AWS_WEB_IDENTITY_TOKEN_FILE',
      'AWS_ROLE_ARN',
      'AWS_CONTAINER_CREDENTIALS_FULL_URI',
      'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    ]) {
      vi.stubEnv(name, undefined);
    }
    try {
      const error = await configError(
        client({
          endpoint: server.endpoint,
          region: 'us-east-1',
          env: { AWS_ACCESS_KEY_ID: 'HALF' },
        }).getBatchPrediction('b'),
      );
      const files = `${join(home, '.aws', 'credentials')} (missing) and ${join(home, '.aws', 'config')} (missing)`;
      expect(error.tried).toEqual([
        'option `credentials` (not set)',
        'environment AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (only AWS_ACCESS_KEY_ID is set)',
        `static keys of profile "default" in ${files} (no such profile)`,
        `AWS SDK: profile "default" in ${files}: Could not resolve credentials using profile: [default] in configuration/credentials file(s).`,
        'AWS SDK: credential_process of profile "default": Profile default could not be found in shared credentials file.',
        'AWS SDK: web identity (none of `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN` is set): Web identity configuration not specified',
        'AWS SDK: EC2 instance metadata (IMDSv2): `AWS_EC2_METADATA_DISABLED` is set: EC2 Instance Metadata Service access disabled',
      ]);
      expect(error.message).toBe(
        `No AWS credentials found for Amazon ML. Tried:\n${error.tried.map((entry) => `  - ${entry}`).join('\n')}`,
      );
      expect(server.requests).toHaveLength(0);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  test('a profile using credential_process is resolved by the AWS SDK', async () => {
    const script = join(home, 'get-creds.sh');
    writeFileSync(
      script,
      `#!/bin/sh\necho '{"Version":1,"AccessKeyId":"PROC_KEY","SecretAccessKey":"proc-secret","SessionToken":"proc-token"}'\n`,
      { mode: 0o755 },
    );
    writeAws('config', `[profile proc]\ncredential_process = ${script}\n`);
    await client({ endpoint: server.endpoint, region: 'us-east-1', profile: 'proc' }).getBatchPrediction('b');
    expect(lastAccessKey()).toBe('PROC_KEY');
    expect(server.requests.at(-1)!.headers['x-amz-security-token']).toBe('proc-token');
  });
});

describe('credential providers', () => {
  function provider(results: (() => AwsCredentialIdentity)[]) {
    let calls = 0;
    const fn = async (): Promise<AwsCredentialIdentity> => {
      const make = results[Math.min(calls, results.length - 1)]!;
      calls++;
      await new Promise((resolve) => setImmediate(resolve));
      return make();
    };
    return { fn, calls: () => calls };
  }

  test('cached until 5 minutes before expiration, then refreshed; concurrent calls share one call', async () => {
    let now = Date.UTC(2026, 0, 1);
    const expiration = new Date(now + 60 * 60_000);
    const p = provider([
      () => ({ accessKeyId: 'KEY1', secretAccessKey: 's1', sessionToken: 't1', expiration }),
      () => ({
        accessKeyId: 'KEY2',
        secretAccessKey: 's2',
        sessionToken: 't2',
        expiration: new Date(now + 3_600_000),
      }),
    ]);
    const c = client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: p.fn,
      wallClock: () => now,
    });
    await Promise.all([c.getBatchPrediction('a'), c.getBatchPrediction('b'), c.getBatchPrediction('c')]);
    expect(p.calls()).toBe(1);
    now = expiration.getTime() - 5 * 60_000 - 1;
    await c.getBatchPrediction('d');
    expect(p.calls()).toBe(1);
    expect(lastAccessKey()).toBe('KEY1');
    now = expiration.getTime() - 5 * 60_000;
    // At the refresh point the request still signs with KEY1 (valid for 5 more minutes) and starts the
    // refresh; the next one signs with KEY2.
    await c.getBatchPrediction('e');
    expect(lastAccessKey()).toBe('KEY1');
    await vi.waitFor(() => {
      expect(p.calls()).toBe(2);
    });
    await new Promise((resolve) => setImmediate(resolve));
    await c.getBatchPrediction('f');
    expect(p.calls()).toBe(2);
    expect(lastAccessKey()).toBe('KEY2');
    expect(server.requests.at(-1)!.headers['x-amz-security-token']).toBe('t2');
  });

  /** A provider whose answers the test gives one by one: each call waits for the next `answer()`. */
  function controlledProvider() {
    const pending: { resolve: (c: AwsCredentialIdentity) => void; reject: (e: Error) => void }[] = [];
    let calls = 0;
    const fn = (): Promise<AwsCredentialIdentity> =>
      new Promise((resolve, reject) => {
        calls++;
        pending.push({ resolve, reject });
      });
    return {
      fn,
      calls: () => calls,
      answer: (credentials: AwsCredentialIdentity) => {
        pending.shift()!.resolve(credentials);
      },
      fail: (error: Error) => {
        pending.shift()!.reject(error);
      },
    };
  }

  test('a slow refresh: requests go on with the still-valid credentials meanwhile, one refresh in flight', async () => {
    let now = Date.UTC(2026, 0, 1);
    const expiration = new Date(now + 60 * 60_000);
    const p = controlledProvider();
    const c = client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: p.fn,
      wallClock: () => now,
    });
    const first = c.getBatchPrediction('a');
    await vi.waitFor(() => {
      expect(p.calls()).toBe(1);
    });
    p.answer({ accessKeyId: 'KEY1', secretAccessKey: 's1', sessionToken: 't1', expiration });
    await first;
    now = expiration.getTime() - 4 * 60_000;
    // The provider has not answered the refresh: 20 requests meanwhile sign with KEY1, one call is made.
    for (let i = 0; i < 20; i++) await c.getBatchPrediction(`b${i}`);
    expect(p.calls()).toBe(2);
    expect(
      server.requests.map((r) => /Credential=([^/]+)\//.exec(String(r.headers.authorization))?.[1]),
    ).toEqual(Array.from({ length: 21 }, () => 'KEY1'));
    p.answer({
      accessKeyId: 'KEY2',
      secretAccessKey: 's2',
      sessionToken: 't2',
      expiration: new Date(now + 60 * 60_000),
    });
    await vi.waitFor(async () => {
      await c.getBatchPrediction('c');
      expect(lastAccessKey()).toBe('KEY2');
    });
    expect(p.calls()).toBe(2);
  });

  test('a refresh that fails: the current credentials stay in use, retried every 10 s; in their last 10 s the call fails naming the provider', async () => {
    const start = Date.UTC(2026, 0, 1);
    let now = start;
    const expiration = new Date(start + 60 * 60_000);
    const warnings: { bindings: Record<string, unknown>; message: string | undefined }[] = [];
    const noop = (): void => undefined;
    const p = controlledProvider();
    const c = client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: p.fn,
      wallClock: () => now,
      logger: {
        debug: noop,
        info: noop,
        error: noop,
        warn: (bindings, message) => warnings.push({ bindings, message }),
      },
    });
    const first = c.getBatchPrediction('a');
    await vi.waitFor(() => {
      expect(p.calls()).toBe(1);
    });
    p.answer({ accessKeyId: 'KEY1', secretAccessKey: 's1', sessionToken: 'session-token-1', expiration });
    await first;

    // Due at 55 min: the refresh starts, and fails (the request was signed with KEY1 meanwhile).
    now = expiration.getTime() - 5 * 60_000;
    await c.getBatchPrediction('b');
    expect(p.calls()).toBe(2);
    p.fail(new Error('token service unavailable'));
    await vi.waitFor(() => {
      expect(warnings).toHaveLength(1);
    });
    expect(warnings[0]).toEqual({
      bindings: {
        source: 'the `credentials` provider (option `credentials`)',
        expiresAt: expiration.toISOString(),
        retryInMs: 10_000,
        reason: 'The `credentials` provider failed: Error: token service unavailable',
      },
      message:
        'Could not refresh the AWS credentials from the `credentials` provider (option `credentials`); the current ones stay in use until they expire',
    });
    // Not asked again for 10 s of wall time, however many requests.
    now += 9_999;
    for (let i = 0; i < 5; i++) await c.getBatchPrediction(`c${i}`);
    expect(p.calls()).toBe(2);
    now += 1;
    await c.getBatchPrediction('d');
    expect(p.calls()).toBe(3);
    expect(lastAccessKey()).toBe('KEY1');
    p.fail(new Error('token service unavailable'));
    await vi.waitFor(() => {
      expect(warnings).toHaveLength(2);
    });

    // 10 s before expiry KEY1 is no longer used: the call waits for the refresh and fails with it.
    now = expiration.getTime() - 10_000;
    const requestsBefore = server.requests.length;
    const failing = c.getBatchPrediction('e');
    const joining = c.getBatchPrediction('f');
    await vi.waitFor(() => {
      expect(p.calls()).toBe(4);
    });
    p.fail(new Error('token service unavailable'));
    const error = await configError(failing);
    expect(await configError(joining)).toBe(error);
    expect(error.message).toBe(
      `The AWS credentials from the \`credentials\` provider (option \`credentials\`) expire at ${expiration.toISOString()} and could not be refreshed: The \`credentials\` provider failed: Error: token service unavailable`,
    );
    expect(error.tried).toEqual(['option `credentials` (a provider function, which threw)']);
    expect(JSON.stringify(warnings) + String(error)).not.toContain('session-token-1');
    expect(server.requests).toHaveLength(requestsBefore);
    expect(p.calls()).toBe(4);

    // The provider works again: the next call gets new credentials.
    const recovered = c.getBatchPrediction('g');
    await vi.waitFor(() => {
      expect(p.calls()).toBe(5);
    });
    p.answer({ accessKeyId: 'KEY3', secretAccessKey: 's3', expiration: new Date(now + 60 * 60_000) });
    await recovered;
    expect(lastAccessKey()).toBe('KEY3');
  });

  test('credentials without expiration are cached for good', async () => {
    const p = provider([() => ({ accessKeyId: 'K', secretAccessKey: 's' })]);
    const c = client({ endpoint: server.endpoint, region: 'us-east-1', credentials: p.fn });
    for (let i = 0; i < 3; i++) await c.getBatchPrediction('a');
    expect(p.calls()).toBe(1);
  });

  test('ExpiredTokenException drops cached provider credentials', async () => {
    const p = provider([
      () => ({ accessKeyId: 'OLD', secretAccessKey: 's' }),
      () => ({ accessKeyId: 'NEW', secretAccessKey: 's' }),
    ]);
    server.reply(
      {
        status: 400,
        body: {
          __type: 'ExpiredTokenException',
          message: 'The security token included in the request is expired',
        },
      },
      { body: {} },
    );
    const c = client({ endpoint: server.endpoint, region: 'us-east-1', credentials: p.fn });
    await expect(c.getBatchPrediction('a')).rejects.toMatchObject({ name: 'ExpiredTokenException' });
    await c.getBatchPrediction('a');
    expect(lastAccessKey()).toBe('NEW');
    expect(p.calls()).toBe(2);
  });

  test('a provider that throws → ConfigurationError with the cause; the next call tries again', async () => {
    const cause = new Error('Could not load credentials from any providers');
    let fail = true;
    const c = client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: () =>
        fail ? Promise.reject(cause) : Promise.resolve({ accessKeyId: 'K', secretAccessKey: 's' }),
    });
    const error = await configError(c.getBatchPrediction('a'));
    expect(error.message).toBe(
      'The `credentials` provider failed: Error: Could not load credentials from any providers',
    );
    expect(error.cause).toBe(cause);
    expect(server.requests).toHaveLength(0);
    fail = false;
    await c.getBatchPrediction('a');
    expect(server.requests).toHaveLength(1);
  });

  test('a provider returning something unusable → ConfigurationError naming the field, not its value', async () => {
    const c = client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: () => Promise.resolve({ accessKeyId: 'K', secretAccessKey: '' }),
    });
    const error = await configError(c.getBatchPrediction('a'));
    expect(error.message).toBe('The `credentials` provider gave no usable `secretAccessKey` (a string)');
  });

  test('works with the AWS SDK provider shape (identityProperties argument, extra fields)', async () => {
    let received: unknown = 'unset';
    const sdkShaped = (identityProperties?: Record<string, unknown>) => {
      received = identityProperties;
      return Promise.resolve({
        accessKeyId: 'SDK_KEY',
        secretAccessKey: 's',
        credentialScope: 'us-east-1',
        accountId: '123456789012',
        $source: { CREDENTIALS_CODE: 'e' },
      });
    };
    await client({
      endpoint: server.endpoint,
      region: 'us-east-1',
      credentials: sdkShaped,
    }).getBatchPrediction('a');
    expect(received).toBeUndefined();
    expect(lastAccessKey()).toBe('SDK_KEY');
  });
});
