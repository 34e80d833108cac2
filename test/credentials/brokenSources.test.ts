import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import { ConfigurationError } from '../../src/client/ConfigurationError.js';
import type { Emulator } from '../../src/emulator/Emulator.js';
import { startEmulator } from '../../src/emulator/startEmulator.js';
import { waitForBatchPrediction } from '../../src/waiter/batchPrediction.js';
import { spawnCli } from '../cli/helpers/spawnCli.js';
import {
  LEGACY_START_URL,
  setUpSource,
  spawnEnv,
  writeSsoToken,
  type SourceName,
  type SourceSetup,
  stubSourceEnv,
} from './helpers/credentialSources.js';

let emulator: Emulator;
/** Answers every request with an HTML page (a captive portal or a proxy's error page where credentials were expected). */
let htmlServer: Server;
let htmlUrl: string;
const homes: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ credentialEndpoints: true });
  htmlServer = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<html><body><h1>Sign in to the corporate network</h1></body></html>');
  });
  await new Promise<void>((resolve) => htmlServer.listen(0, '127.0.0.1', resolve));
  htmlUrl = `http://127.0.0.1:${(htmlServer.address() as AddressInfo).port}/v2/credentials/x`;
});
afterAll(async () => {
  await emulator.close();
  await new Promise((resolve) => htmlServer.close(resolve));
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** A source set up, then broken the way it breaks for real users. */
function broken(source: SourceName): SourceSetup {
  const setup = setUpSource(source, emulator);
  homes.push(setup.home);
  const env = setup.env;
  switch (source) {
    case 'container':
      // A token file from another pod.
      writeFileSync(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE!, 'not-the-pod-identity-token');
      break;
    case 'imds':
      // Nothing listens there (an instance whose metadata service is off).
      env.AWS_EC2_METADATA_SERVICE_ENDPOINT = 'http://127.0.0.1:9';
      break;
    case 'webIdentity':
      writeFileSync(env.AWS_WEB_IDENTITY_TOKEN_FILE!, 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.expired-token');
      break;
    case 'assumeRole':
      writeFileSync(
        env.AWS_CONFIG_FILE!,
        `[profile base]\naws_access_key_id = AKIAUNKNOWN000000000\naws_secret_access_key = not-a-key-the-emulator-knows\n\n[profile waiter]\nrole_arn = arn:aws:iam::123456789012:role/aml-waiter\nsource_profile = base\n`,
      );
      break;
    case 'credentialProcess':
      writeFileSync(
        env.AWS_CONFIG_FILE!,
        `[profile helper]\ncredential_process = ${process.execPath} -e "process.stderr.write('vault is sealed');process.exit(2)"\n`,
      );
      break;
    case 'webIdentityProfile':
      writeFileSync(
        join(setup.home, 'web-identity-token'),
        'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.expired-token',
      );
      break;
    case 'credentialSourceEnvironment':
      // Keys of a deleted user.
      env.AWS_ACCESS_KEY_ID = 'AKIAUNKNOWN000000000';
      env.AWS_SECRET_ACCESS_KEY = 'not-a-key-the-emulator-knows';
      break;
    case 'credentialSourceEcs':
      // A token from another task.
      env.AWS_CONTAINER_AUTHORIZATION_TOKEN = 'not-the-task-token';
      break;
    case 'credentialSourceImds':
      // Nothing listens there (an instance whose metadata service is off).
      env.AWS_EC2_METADATA_SERVICE_ENDPOINT = 'http://127.0.0.1:9';
      break;
    case 'ssoLegacy':
      writeSsoToken(
        setup.home,
        emulator.credentialEndpoints!.ssoAccessToken,
        new Date(Date.now() - 3_600_000),
        LEGACY_START_URL,
      );
      break;
    case 'sso':
      // `aws sso login` was last run yesterday.
      writeSsoToken(
        setup.home,
        emulator.credentialEndpoints!.ssoAccessToken,
        new Date(Date.now() - 3_600_000),
      );
      break;
  }
  return setup;
}

/** What each broken source's entry in the error says (besides the variable names). */
const EXPECTED: Readonly<Record<SourceName, RegExp>> = {
  container:
    /AWS SDK: container credentials: `AWS_CONTAINER_CREDENTIALS_FULL_URI` and `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` are set; the container credentials provider failed: .*401/,
  imds: /AWS SDK: EC2 instance metadata \(IMDSv2\) at `AWS_EC2_METADATA_SERVICE_ENDPOINT`: the instance metadata provider failed: \S+/,
  webIdentity:
    /AWS SDK: web identity \(`AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN` are set\): .*web identity token is not one this emulator accepts/,
  assumeRole:
    /AWS SDK: profile "waiter" in .* \(uses role_arn, source_profile\): .*security token included in the request is invalid/,
  credentialProcess: /AWS SDK: profile "helper" in .* \(uses credential_process\): .*vault is sealed/,
  sso: /AWS SDK: profile "dev" in .* \(uses sso_session, sso_account_id, sso_role_name\): .*(expired|refresh)/i,
  webIdentityProfile:
    /AWS SDK: profile "oidc" in .* \(uses role_arn, web_identity_token_file\): .*web identity token is not one this emulator accepts/,
  credentialSourceEnvironment:
    /AWS SDK: profile "env-role" in .* \(uses role_arn, credential_source\): .*security token included in the request is invalid/,
  // The SDK swallows the container provider's error inside the profile step; the container step (asked
  // again) gives it.
  // The SDK logs neither why the instance metadata failed inside the profile step (only a setting it looked
  // up, which is no reason) nor in its own step: the IMDS step, asked again, gives it.
  credentialSourceImds:
    /AWS SDK: profile "instance-role" in .* \(uses role_arn, credential_source\): its credential_source Ec2InstanceMetadata gave no credentials \(IMDSv2 at `AWS_EC2_METADATA_SERVICE_ENDPOINT`; the SDK gives no reason\)\n(.*\n)* {2}- AWS SDK: EC2 instance metadata \(IMDSv2\) at `AWS_EC2_METADATA_SERVICE_ENDPOINT`: the instance metadata provider failed: \S+/,
  ssoLegacy:
    /AWS SDK: profile "legacy" in .* \(uses sso_start_url, sso_account_id, sso_role_name\): The SSO session associated with this profile has expired\./,
  credentialSourceEcs:
    /AWS SDK: profile "task-role" in .* \(uses role_arn, credential_source\): its credential_source EcsContainer gave no credentials \(`AWS_CONTAINER_CREDENTIALS_FULL_URI` and `AWS_CONTAINER_AUTHORIZATION_TOKEN` are set; the SDK gives no reason\)\n.*\n.*\n {2}- AWS SDK: container credentials: `AWS_CONTAINER_CREDENTIALS_FULL_URI` and `AWS_CONTAINER_AUTHORIZATION_TOKEN` are set; the container credentials provider failed: .*401/,
};

describe.each(Object.keys(EXPECTED) as SourceName[])('a broken %s source', (source) => {
  test('fails the wait with a ConfigurationError naming the source, its variables and the reason, no secret', async () => {
    const setup = broken(source);
    stubSourceEnv(setup);
    emulator.put('BatchPrediction', { BatchPredictionId: `bp-broken-${source}`, Status: 'COMPLETED' });
    const before = emulator.requests().filter((r) => r.operation.startsWith('Get')).length;
    const error = await waitForBatchPrediction(`bp-broken-${source}`, { timeoutMs: 30_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'WaitRequestError' });
    const cause = (error as { cause?: unknown }).cause;
    expect(cause).toBeInstanceOf(ConfigurationError);
    const message = (cause as ConfigurationError).message;
    expect(message).toMatch(/^No AWS credentials found for Amazon ML\. Tried:\n/);
    expect(message).toMatch(EXPECTED[source]);
    // No Amazon ML request went out without credentials.
    expect(emulator.requests().filter((r) => r.operation.startsWith('Get')).length).toBe(before);
    const everything = `${message}\n${inspect(error, { depth: 10 })}\n${JSON.stringify(error)}`;
    for (const secret of setup.secrets) expect(everything).not.toContain(secret);
    expect(everything).not.toContain(emulator.credentials.secretAccessKey);
  });
});

test('an endpoint that answers an HTML page is said plainly not to have answered with credentials', async () => {
  const setup = setUpSource('container', emulator);
  homes.push(setup.home);
  stubSourceEnv({ ...setup, env: { ...setup.env, AWS_CONTAINER_CREDENTIALS_FULL_URI: htmlUrl } });
  const client = new AmazonMLClient();
  try {
    const error = await client.getBatchPrediction('bp-html').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toContain(
      '`AWS_CONTAINER_CREDENTIALS_FULL_URI` and `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` are set; the container credentials provider failed: the endpoint did not answer with credentials (its answer is not JSON)',
    );
  } finally {
    await client.close();
  }
});

test('aml-wait with a broken source exits 3 with the sources tried on stderr', async () => {
  const setup = broken('webIdentity');
  const run = await spawnCli(['--timeout', '20s', 'bp-broken-cli'], spawnEnv(setup));
  expect(run.code).toBe(3);
  expect(run.stderr).toMatch(EXPECTED.webIdentity);
  expect(run.stderr).toContain('`AWS_EC2_METADATA_DISABLED` is set');
  for (const secret of setup.secrets) expect(run.stderr + run.stdout).not.toContain(secret);
});

test('aml-wait --profile names a profile the files do not have: the error says so', async () => {
  const setup = setUpSource('assumeRole', emulator);
  homes.push(setup.home);
  const { AWS_PROFILE: _unused, ...env } = spawnEnv(setup);
  const run = await spawnCli(['--profile', 'nope', '--timeout', '20s', 'bp-x'], env);
  expect(run.code).toBe(3);
  expect(run.stderr).toContain(
    `static keys of profile "nope" in ${join(setup.home, '.aws', 'credentials')} (missing) and ${join(setup.home, '.aws', 'config')} (no such profile)`,
  );
});
