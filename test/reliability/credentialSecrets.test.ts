import { rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import type { Emulator } from '../../src/emulator/Emulator.js';
import { startEmulator } from '../../src/emulator/startEmulator.js';
import { createBatchPredictionWaiter } from '../../src/waiter/batchPrediction.js';
import { spawnCli } from '../cli/helpers/spawnCli.js';
import {
  setUpSource,
  SOURCES,
  spawnEnv,
  type SourceSetup,
  stubSourceEnv,
} from '../credentials/helpers/credentialSources.js';
import { SecretScanner, scanningLogger } from './helpers/secretScan.js';

/**
 * The secrets of the credential sources (issue #15) never reach a message, log line, event, `inspect`
 * output, the emulator's request log or aml-wait's output: web identity tokens, container authorization
 * tokens, SSO access tokens, and the secret keys and session tokens the endpoints issue.
 */

let emulator: Emulator;
let scanner: SecretScanner;
const emulatorLog = { current: undefined as ReturnType<typeof scanningLogger> | undefined };
const homes: string[] = [];

/** The container and instance-metadata credentials the client is handed (those endpoints hand out the same ones again). */
function fetchIssued(url: string, headers: Record<string, string>, method = 'GET'): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve(body);
      });
    });
    req.on('error', reject);
    req.end();
  });
}

async function issuedSecrets(): Promise<{ what: string; value: string }[]> {
  const endpoints = emulator.credentialEndpoints!;
  const container = JSON.parse(
    await fetchIssued(endpoints.containerCredentialsFullUri, {
      Authorization: endpoints.containerAuthorizationToken,
    }),
  ) as { SecretAccessKey: string; Token: string };
  const imdsToken = await fetchIssued(
    `${endpoints.instanceMetadataEndpoint}/latest/api/token`,
    { 'x-aws-ec2-metadata-token-ttl-seconds': '60' },
    'PUT',
  );
  const instance = JSON.parse(
    await fetchIssued(
      `${endpoints.instanceMetadataEndpoint}/latest/meta-data/iam/security-credentials/${endpoints.instanceRoleName}`,
      { 'x-aws-ec2-metadata-token': imdsToken },
    ),
  ) as { SecretAccessKey: string; Token: string };
  return [
    { what: 'container secret key', value: container.SecretAccessKey },
    { what: 'container session token', value: container.Token },
    { what: 'instance secret key', value: instance.SecretAccessKey },
    { what: 'instance session token', value: instance.Token },
    { what: 'IMDS session token', value: imdsToken },
  ];
}

beforeAll(async () => {
  // The emulator's logger is created before the scanner knows the issued secrets: it forwards to whichever
  // scanner is current.
  const forward =
    (level: 'debug' | 'info' | 'warn' | 'error') => (bindings: Record<string, unknown>, message?: string) => {
      emulatorLog.current?.logger[level](bindings, message);
    };
  emulator = await startEmulator({
    credentialEndpoints: true,
    logger: {
      debug: forward('debug'),
      info: forward('info'),
      warn: forward('warn'),
      error: forward('error'),
    },
  });
  const endpoints = emulator.credentialEndpoints!;
  scanner = new SecretScanner(emulator.credentials, [
    { what: 'web identity token', value: endpoints.webIdentityToken },
    { what: 'container authorization token', value: endpoints.containerAuthorizationToken },
    { what: 'SSO access token', value: endpoints.ssoAccessToken },
    ...(await issuedSecrets()),
  ]);
  emulatorLog.current = scanningLogger(scanner, 'emulator');
});
afterAll(async () => {
  await emulator.close();
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
});

function useSource(setup: SourceSetup): void {
  homes.push(setup.home);
  stubSourceEnv(setup);
}

describe.each(SOURCES)('%s', (source) => {
  test('a wait: no secret in its events, errors, logs, the client or the request log', async () => {
    const setup = setUpSource(source, emulator);
    useSource(setup);
    const log = scanningLogger(scanner, `${source} client`);
    const client = new AmazonMLClient({ logger: log.logger });
    emulator.put('BatchPrediction', { BatchPredictionId: `bp-${source}` }, [
      { status: 'PENDING', forMs: 100 },
      { status: 'COMPLETED' },
    ]);
    const waiter = createBatchPredictionWaiter(`bp-${source}`, {
      client,
      logger: log.logger,
      minDelayMs: 50,
      maxDelayMs: 50,
    });
    for await (const event of waiter) scanner.addValue(`${source} event`, event);
    scanner.addValue(`${source} result`, await waiter.result);
    scanner.addValue(`${source} client`, client);
    await client.close();
    scanner.addValue(`${source} request log`, emulator.requests());
    scanner.addValue(`${source} emulator`, emulator);
    expect(log.state.lines).toBeGreaterThan(0);
    expect(scanner.flush()).toEqual([]);
  });

  test('the same source broken: the ConfigurationError and aml-wait --json hold no secret', async () => {
    const setup = setUpSource(source, emulator);
    homes.push(setup.home);
    // Every source breaks the same way here: its Amazon ML endpoint is right, its credentials endpoint
    // (or file) answers with a refusal that echoes nothing of what it was sent.
    const env = { ...setup.env };
    if (source === 'container')
      writeFileSync(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE!, 'wrong-token-value');
    // (A profile source on an instance breaks at the instance, not at its profile: the chain would find the
    // instance's own credentials.)
    if (source === 'imds' || source === 'credentialSourceImds')
      env.AWS_EC2_METADATA_SERVICE_ENDPOINT = 'http://127.0.0.1:9';
    if (source === 'webIdentity') env.AWS_ROLE_ARN = 'not-an-arn';
    if (source === 'credentialSourceEcs') env.AWS_CONTAINER_AUTHORIZATION_TOKEN = 'wrong-token-value';
    else if (source !== 'credentialSourceImds' && env.AWS_PROFILE !== undefined) env.AWS_PROFILE = 'missing';
    const run = await spawnCli(
      ['--json', '--timeout', '20s', `bp-broken-${source}`],
      spawnEnv({ ...setup, env }),
    );
    scanner.addText(`${source} aml-wait stdout`, run.stdout);
    scanner.addText(`${source} aml-wait stderr`, run.stderr);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('ConfigurationError');
    expect(scanner.flush()).toEqual([]);
  });
});
