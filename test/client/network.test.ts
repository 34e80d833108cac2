import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { AmazonMLClient, type AmazonMLClientConfig } from '../../src/client/AmazonMLClient.js';
import { ConfigurationError } from '../../src/client/ConfigurationError.js';
import type { Emulator } from '../../src/emulator/Emulator.js';
import { createSelfSignedCertificate } from '../../src/emulator/createSelfSignedCertificate.js';
import { startEmulator } from '../../src/emulator/startEmulator.js';
import { waitForBatchPrediction } from '../../src/waiter/batchPrediction.js';
import { AWS_VARIABLES, setUpSource } from '../credentials/helpers/credentialSources.js';
import { startLoopbackProxy, type LoopbackProxy } from '../helpers/loopbackProxy.js';

/** A name no DNS resolves: a client reaches it only through the proxy, which maps it to 127.0.0.1. */
const PROXIED_HOST = 'aml-emulator.invalid';

let emulator: Emulator;
let tlsEmulator: Emulator;
let proxy: LoopbackProxy;
let dir: string;
let caFile: string;
const clients: AmazonMLClient[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ credentialEndpoints: { sources: ['sts'] } });
  // A certificate also valid for the name only the proxy resolves (the `tls: { key, cert }` form); STS and
  // SSO on it too, for the AWS SDK's own calls over TLS.
  tlsEmulator = await startEmulator({
    tls: await createSelfSignedCertificate([PROXIED_HOST]),
    credentialEndpoints: { sources: ['sts', 'sso'] },
  });
  proxy = await startLoopbackProxy([PROXIED_HOST]);
  dir = mkdtempSync(join(tmpdir(), 'aml-network-'));
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, tlsEmulator.certificate!);
  emulator.put('BatchPrediction', { BatchPredictionId: 'bp-1', Status: 'COMPLETED' });
  tlsEmulator.put('BatchPrediction', { BatchPredictionId: 'bp-1', Status: 'COMPLETED' });
});
afterAll(async () => {
  await Promise.all([emulator.close(), tlsEmulator.close(), proxy.close()]);
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  vi.unstubAllEnvs();
  proxy.seen.length = 0;
  await Promise.all(clients.splice(0).map((c) => c.close()));
});

function client(
  target: Emulator,
  env: Record<string, string>,
  extra: AmazonMLClientConfig = {},
): AmazonMLClient {
  const c = new AmazonMLClient({
    region: target.region,
    credentials: target.credentials,
    env: { HOME: dir, AWS_CONFIG_FILE: join(dir, 'config'), ...env },
    ...extra,
  });
  clients.push(c);
  return c;
}

/** The emulator's endpoint under the name only the proxy resolves. */
function proxiedEndpoint(target: Emulator): string {
  return target.endpoint.replace('127.0.0.1', PROXIED_HOST);
}

describe('proxy (HTTPS_PROXY / HTTP_PROXY / NO_PROXY, either case)', () => {
  test.each([['HTTP_PROXY'], ['http_proxy']])('%s: every request goes through the proxy', async (name) => {
    const c = client(emulator, { [name]: proxy.url }, { endpoint: proxiedEndpoint(emulator) });
    for (let i = 0; i < 3; i++) expect((await c.getBatchPrediction('bp-1')).Status).toBe('COMPLETED');
    // The host resolves nowhere but in the proxy: had one request gone direct, it would have failed.
    expect(proxy.seen.length).toBeGreaterThan(0);
    expect(proxy.seen.every((line) => line.includes(PROXIED_HOST))).toBe(true);
  });

  test.each([
    ['NO_PROXY', 'HTTPS_PROXY', 'HTTP_PROXY'],
    ['no_proxy', 'https_proxy', 'http_proxy'],
  ])('%s bypasses the proxy (%s, %s) for the hosts it names', async (noProxy, httpsProxy, httpProxy) => {
    const c = client(
      emulator,
      { [httpsProxy]: proxy.url, [httpProxy]: proxy.url, [noProxy]: 'localhost,127.0.0.1' },
      {
        endpoint: emulator.endpoint,
      },
    );
    expect((await c.getBatchPrediction('bp-1')).Status).toBe('COMPLETED');
    expect(proxy.seen).toEqual([]);
    // The same client settings without the bypass do go through the proxy (the host resolves only there).
    const proxied = client(emulator, { [httpProxy]: proxy.url }, { endpoint: proxiedEndpoint(emulator) });
    expect((await proxied.getBatchPrediction('bp-1')).Status).toBe('COMPLETED');
    expect(proxy.seen.length).toBeGreaterThan(0);
  });

  test.each([['HTTPS_PROXY'], ['https_proxy']])(
    'HTTPS over %s (a CONNECT tunnel) trusts AWS_CA_BUNDLE for the service',
    async (name) => {
      const c = client(
        tlsEmulator,
        { [name]: proxy.url, AWS_CA_BUNDLE: caFile },
        { endpoint: proxiedEndpoint(tlsEmulator) },
      );
      expect((await c.getBatchPrediction('bp-1')).Status).toBe('COMPLETED');
      expect(proxy.seen).toEqual([`CONNECT ${new URL(proxiedEndpoint(tlsEmulator)).host}`]);
    },
  );

  test("the AWS SDK's own STS call (assume-role profile) takes the proxy too", async () => {
    const setup = setUpSource('assumeRole', emulator);
    const env = {
      ...setup.env,
      AWS_ENDPOINT_URL_MACHINE_LEARNING: proxiedEndpoint(emulator),
      AWS_ENDPOINT_URL_STS: proxiedEndpoint(emulator),
      HTTP_PROXY: proxy.url,
    };
    vi.stubEnv('HOME', setup.home);
    for (const name of AWS_VARIABLES) vi.stubEnv(name, env[name as keyof typeof env]);
    try {
      const bp = await waitForBatchPrediction('bp-1', { timeoutMs: 10_000 });
      expect(bp.Status).toBe('COMPLETED');
      expect(emulator.requests().map((r) => r.operation)).toContain('STS.AssumeRole');
      expect(proxy.seen.length).toBeGreaterThan(0);
    } finally {
      rmSync(setup.home, { recursive: true, force: true });
    }
  });

  test('a dispatcher given in the options wins over the proxy variables', async () => {
    const dispatcher = new Agent();
    try {
      const c = client(
        emulator,
        { HTTPS_PROXY: 'http://127.0.0.1:9', HTTP_PROXY: 'http://127.0.0.1:9' },
        {
          endpoint: emulator.endpoint,
          dispatcher,
        },
      );
      expect((await c.getBatchPrediction('bp-1')).Status).toBe('COMPLETED');
      expect(proxy.seen).toEqual([]);
    } finally {
      await dispatcher.close();
    }
  });
});

describe('TLS and CA bundles', () => {
  test('a self-signed emulator is rejected without the CA bundle', async () => {
    const before = tlsEmulator.requests().length;
    const error = await client(tlsEmulator, {}, { endpoint: tlsEmulator.endpoint, requestTimeoutMs: 5_000 })
      .getBatchPrediction('bp-1')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ name: expect.stringMatching(/NetworkError|RequestError/) as unknown });
    expect(String((error as { cause?: { code?: string } }).cause?.code)).toMatch(
      /SELF_SIGNED|UNABLE_TO_VERIFY/,
    );
    // The TLS handshake failed: the request never reached the emulator.
    expect(tlsEmulator.requests().length).toBe(before);
  });

  test('AWS_CA_BUNDLE makes it trusted', async () => {
    const c = client(tlsEmulator, { AWS_CA_BUNDLE: caFile }, { endpoint: tlsEmulator.endpoint });
    expect((await c.getBatchPrediction('bp-1')).Status).toBe('COMPLETED');
  });

  test("so does the profile's ca_bundle (AWS_CA_BUNDLE wins when both are set)", async () => {
    writeFileSync(
      join(dir, 'config'),
      `[default]\nca_bundle = ${caFile}\n\n[profile other]\nca_bundle = ${join(dir, 'nope.pem')}\n`,
    );
    const c = client(tlsEmulator, {}, { endpoint: tlsEmulator.endpoint });
    expect((await c.getBatchPrediction('bp-1')).Status).toBe('COMPLETED');
    const both = client(
      tlsEmulator,
      { AWS_CA_BUNDLE: caFile, AWS_PROFILE: 'other' },
      { endpoint: tlsEmulator.endpoint },
    );
    expect((await both.getBatchPrediction('bp-1')).Status).toBe('COMPLETED');
  });

  test.each([
    ['assumeRole', 'AWS_CA_BUNDLE', 'STS.AssumeRole'],
    ['sso', "the profile's ca_bundle", 'SSO.GetRoleCredentials'],
  ] as const)(
    "the AWS SDK's own call for %s (STS / SSO over TLS) trusts %s too; without it that call fails",
    async (source, how, operation) => {
      const setup = setUpSource(source, tlsEmulator);
      try {
        const config = setup.env.AWS_CONFIG_FILE!;
        const profiles = readFileSync(config, 'utf8');
        const useEnv = (env: Record<string, string | undefined>): void => {
          vi.stubEnv('HOME', setup.home);
          for (const name of AWS_VARIABLES) vi.stubEnv(name, env[name]);
        };
        const issued = (): number => tlsEmulator.requests().filter((r) => r.operation === operation).length;

        // Without the CA: the SDK's call is refused at the handshake, so there are no credentials.
        useEnv(setup.env);
        const before = issued();
        const refused = new AmazonMLClient();
        clients.push(refused);
        const error = await refused.getBatchPrediction('bp-1').then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(ConfigurationError);
        expect((error as Error).message).toMatch(/AWS SDK: profile "\w+" in .*: .*self-signed certificate/);
        expect(issued()).toBe(before);

        if (how === 'AWS_CA_BUNDLE') useEnv({ ...setup.env, AWS_CA_BUNDLE: caFile });
        else {
          writeFileSync(config, profiles.replace(/(\[profile \w+\]\n)/g, `$1ca_bundle = ${caFile}\n`));
          useEnv(setup.env);
        }
        const trusted = new AmazonMLClient();
        clients.push(trusted);
        const bp = await waitForBatchPrediction('bp-1', { client: trusted, timeoutMs: 10_000 });
        expect(bp.Status).toBe('COMPLETED');
        expect(issued()).toBe(before + 1);
        // The Amazon ML calls were signed with what the SDK's call got, not a static key.
        expect(tlsEmulator.requests().at(-1)!.accessKeyId).toMatch(/^ASIA/);
      } finally {
        rmSync(setup.home, { recursive: true, force: true });
      }
    },
  );

  test('a CA bundle that cannot be read is a ConfigurationError naming where it came from, before any request', async () => {
    const before = tlsEmulator.requests().length;
    const error = await client(
      tlsEmulator,
      { AWS_CA_BUNDLE: join(dir, 'missing.pem') },
      { endpoint: tlsEmulator.endpoint },
    )
      .getBatchPrediction('bp-1')
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(
      `Could not read the CA bundle ${join(dir, 'missing.pem')} (from AWS_CA_BUNDLE): ENOENT`,
    );
    expect(tlsEmulator.requests().length).toBe(before);
  });
});

describe('User-Agent', () => {
  const UA = /^aml-waiter\/\d+\.\d+\.\d+\S* ua\/2\.1 os\/linux#\S+ lang\/js md\/nodejs#\d+\.\d+\.\d+/;

  test('every request identifies aml-waiter and Node, in the AWS SDKs’ format', async () => {
    await client(emulator, {}, { endpoint: emulator.endpoint }).getBatchPrediction('bp-1');
    const agent = emulator.requests().at(-1)!.userAgent!;
    expect(agent).toMatch(UA);
    expect(agent).toContain(`md/nodejs#${process.versions.node}`);
    expect(agent).not.toContain('app/');
  });

  test('AWS_SDK_UA_APP_ID, else the profile’s sdk_ua_app_id, adds app/<id>', async () => {
    writeFileSync(join(dir, 'config'), '[default]\nsdk_ua_app_id = nightly-scoring\n');
    await client(emulator, {}, { endpoint: emulator.endpoint }).getBatchPrediction('bp-1');
    expect(emulator.requests().at(-1)!.userAgent).toMatch(/ app\/nightly-scoring$/);
    await client(
      emulator,
      { AWS_SDK_UA_APP_ID: 'airflow/dag 7' },
      { endpoint: emulator.endpoint },
    ).getBatchPrediction('bp-1');
    expect(emulator.requests().at(-1)!.userAgent).toMatch(/ app\/airflow-dag-7$/);
  });
});

describe('AWS_MAX_ATTEMPTS / max_attempts (default retry.retries of a wait: attempts − 1)', () => {
  test('read from the environment, else the profile; reported by resolveConfig()', async () => {
    writeFileSync(join(dir, 'config'), '[default]\nmax_attempts = 5\n');
    const endpoint = emulator.endpoint;
    expect(await client(emulator, {}, { endpoint }).resolveConfig()).toMatchObject({ maxAttempts: 5 });
    expect(await client(emulator, { AWS_MAX_ATTEMPTS: '10' }, { endpoint }).resolveConfig()).toMatchObject({
      maxAttempts: 10,
    });
  });

  test.each([
    ['AWS_MAX_ATTEMPTS=2', { AWS_MAX_ATTEMPTS: '2' }, undefined, 2],
    ['profile max_attempts = 3', {}, undefined, 3],
    ['retry.retries given wins over AWS_MAX_ATTEMPTS', { AWS_MAX_ATTEMPTS: '2' }, 4, 5],
    ['neither: the default 4 retries', { AWS_CONFIG_FILE: '/nonexistent/config' }, undefined, 5],
  ] as const)(
    '%s: a poll that keeps failing is sent that many times',
    async (_name, env, retries, requests) => {
      writeFileSync(join(dir, 'config'), '[default]\nmax_attempts = 3\n');
      emulator.put('BatchPrediction', { BatchPredictionId: 'bp-attempts', Status: 'INPROGRESS' });
      emulator.addFault({ kind: 'serverError', status: 500, operation: 'GetBatchPrediction' });
      try {
        const c = client(emulator, env, { endpoint: emulator.endpoint });
        const before = emulator.requests().length;
        const error = await waitForBatchPrediction('bp-attempts', {
          client: c,
          timeoutMs: 60_000,
          retry: { ...(retries === undefined ? {} : { retries }), minTimeoutMs: 1, maxTimeoutMs: 2 },
        }).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toMatchObject({ name: 'WaitRequestError', retriesExhausted: true, attempts: requests });
        expect(emulator.requests().length - before).toBe(requests);
      } finally {
        emulator.clearFaults();
      }
    },
  );

  test('a value that is not a whole number ≥ 1 is a ConfigurationError naming it', async () => {
    const error = await client(emulator, { AWS_MAX_ATTEMPTS: 'lots' }, { endpoint: emulator.endpoint })
      .resolveConfig()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe('AWS_MAX_ATTEMPTS must be a whole number ≥ 1, got "lots"');
  });
});

describe('what a process loads', () => {
  /** Runs a short script in a fresh Node process; it prints which optional modules it loaded. */
  function loaded(
    env: Record<string, string>,
  ): Promise<{ sdk: boolean; proxyAgent: boolean; status: string }> {
    const script = `
      import { createRequire } from 'node:module';
      import { AmazonMLClient } from './src/index.ts';
      const client = new AmazonMLClient();
      const bp = await client.getBatchPrediction('bp-1');
      await client.close();
      const cache = Object.keys(createRequire(import.meta.url)('node:module')._cache);
      process.stdout.write(JSON.stringify({
        sdk: cache.some((p) => p.includes('@aws-sdk')),
        proxyAgent: cache.some((p) => p.includes('env-http-proxy-agent')),
        status: bp.Status,
      }));`;
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: join(import.meta.dirname, '..', '..'),
        env: { PATH: process.env.PATH ?? '', HOME: dir, AWS_EC2_METADATA_DISABLED: 'true', ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.on('error', reject);
      child.on('close', () => {
        try {
          resolve(JSON.parse(out) as { sdk: boolean; proxyAgent: boolean; status: string });
        } catch (error) {
          reject(new Error(`unexpected output ${JSON.stringify(out)}`, { cause: error }));
        }
      });
    });
  }

  test('keys in the environment: none of the AWS SDK and no proxy agent is loaded', async () => {
    const result = await loaded({
      AWS_REGION: emulator.region,
      AWS_ENDPOINT_URL_MACHINE_LEARNING: emulator.endpoint,
      AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: emulator.credentials.secretAccessKey,
    });
    expect(result).toEqual({ sdk: false, proxyAgent: false, status: 'COMPLETED' });
  });

  test('an assume-role profile loads the AWS SDK; a proxy variable loads the proxy agent', async () => {
    const setup = setUpSource('assumeRole', emulator);
    try {
      const result = await loaded({
        ...setup.env,
        HOME: setup.home,
        HTTP_PROXY: proxy.url,
        NO_PROXY: '127.0.0.1',
      });
      expect(result).toEqual({ sdk: true, proxyAgent: true, status: 'COMPLETED' });
    } finally {
      rmSync(setup.home, { recursive: true, force: true });
    }
  });
});
