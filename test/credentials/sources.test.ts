import { rmSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { openWaitQueue, startWaitWorker } from '../../src/bullmq/index.js';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import type { Emulator } from '../../src/emulator/Emulator.js';
import { startEmulator } from '../../src/emulator/startEmulator.js';
import { waitForBatchPrediction } from '../../src/waiter/batchPrediction.js';
import { startRedisServer, type RedisServer } from '../../examples/fleet/redisServer.js';
import { spawnCli } from '../cli/helpers/spawnCli.js';
import {
  ISSUED_PER_RESOLUTION,
  ISSUING_OPERATION,
  setUpSource,
  SOURCES,
  spawnEnv,
  type SourceSetup,
  stubSourceEnv,
} from './helpers/credentialSources.js';

// The emulator's auth clock and the clients' wall clock run this far ahead of real time: a test moves
// both past a credential's refresh point or its expiry without sleeping.
let offsetMs = 0;
const now = (): number => Date.now() + offsetMs;
/**
 * Issued credentials live 5 minutes and 30 seconds: 30 seconds until the client's refresh point, which the
 * test crosses by moving the clocks (30 s of real time is more than any test here takes, even on a loaded
 * machine, so no refresh happens before the test asks for it).
 */
const LIFETIME_MS = 5 * 60_000 + 30_000;

let emulator: Emulator;
let redis: RedisServer;
const homes: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ credentialEndpoints: { lifetimeMs: LIFETIME_MS }, authClock: now });
  redis = await startRedisServer();
});
afterAll(async () => {
  await emulator.close();
  await redis.stop();
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
  offsetMs = 0;
  emulator.reset();
});

/** Points this process's environment at one source (the SDK's providers read process.env). */
function useSource(setup: SourceSetup): void {
  homes.push(setup.home);
  stubSourceEnv(setup);
}

function completesSoon(id: string): void {
  emulator.put('BatchPrediction', { BatchPredictionId: id }, [
    { status: 'PENDING', forMs: 200 },
    { status: 'INPROGRESS', forMs: 200 },
    { status: 'COMPLETED' },
  ]);
}

/** The access key ids that signed the Amazon ML calls, in order, and the credential endpoint calls. */
function signers(): { ml: string[]; issuing: string[]; errors: string[] } {
  const log = emulator.requests();
  return {
    ml: log.filter((r) => r.operation.startsWith('Get')).map((r) => r.accessKeyId ?? '?'),
    issuing: log.filter((r) => /^(STS|SSO|IMDS|Container)\./.test(r.operation)).map((r) => r.operation),
    errors: log
      .filter((r) => r.statusCode >= 400)
      .map((r) => `${r.operation} ${r.errorType ?? r.statusCode}`),
  };
}

const fast = { minDelayMs: 50, maxDelayMs: 100, timeoutMs: 15_000 };

describe.each(SOURCES)('credentials from %s', (source) => {
  test('a wait through the library (client from the environment alone) completes', async () => {
    const setup = setUpSource(source, emulator);
    useSource(setup);
    completesSoon(`bp-lib-${source}`);
    const bp = await waitForBatchPrediction(`bp-lib-${source}`, fast);
    expect(bp.Status).toBe('COMPLETED');
    const { ml, issuing, errors } = signers();
    expect(errors).toEqual([]);
    expect(issuing).toContain(ISSUING_OPERATION[source]);
    // Every poll was signed with temporary credentials the endpoint issued, not a static key.
    expect(ml.length).toBeGreaterThan(0);
    for (const key of ml) expect(key).toMatch(/^ASIA[0-9A-F]{16}$/);
  });

  test('temporary credentials are refreshed mid-wait, once for all waits of the client, before they expire', async () => {
    const setup = setUpSource(source, emulator);
    useSource(setup);
    const client = new AmazonMLClient({ wallClock: now });
    try {
      const ids = Array.from({ length: 10 }, (_, i) => `bp-refresh-${source}-${i}`);
      for (const id of ids)
        emulator.put('BatchPrediction', { BatchPredictionId: id }, [{ status: 'INPROGRESS' }]);
      const issuedBefore = emulator.credentialEndpoints!.issued;
      const perResolution = ISSUED_PER_RESOLUTION[source];
      const waits = ids.map((id) => waitForBatchPrediction(id, { ...fast, client }));
      // A failed assertion closes the client under them: their rejections are the test's failure, not new ones.
      for (const wait of waits) wait.catch(() => undefined);
      // credential_process spawns a Node process per refresh: generous on a loaded machine.
      const patience = { timeout: 20_000, interval: 20 };
      const pollsSignedBy = async (count: number): Promise<void> => {
        await vi.waitFor(() => {
          expect(signers().ml.length).toBeGreaterThanOrEqual(count);
        }, patience);
      };
      /** Waits until a poll signed with a key other than `old` has been answered; returns that key. */
      const newKeyAfter = async (old: string): Promise<string> => {
        await vi.waitFor(() => {
          expect(signers().ml.at(-1)).not.toBe(old);
        }, patience);
        return signers().ml.at(-1)!;
      };
      await pollsSignedBy(20);
      const first = signers().ml.at(-1)!;
      expect(emulator.credentialEndpoints!.issued - issuedBefore).toBe(1 * perResolution);

      // 31 s later the credentials are inside their last 5 minutes: the next poll starts one refresh (the
      // polls meanwhile still sign with the valid key), after which every poll signs with the new key.
      offsetMs += 31_000;
      const second = await newKeyAfter(first);
      await pollsSignedBy(signers().ml.length + 30);
      expect(emulator.credentialEndpoints!.issued - issuedBefore).toBe(2 * perResolution);

      // 5 minutes on, the first credentials have expired (the emulator would answer ExpiredTokenException:
      // test/emulator/credentialEndpoints.test.ts) and the second are due: one more refresh, and no poll
      // ever meets an expired credential.
      offsetMs += 5 * 60_000;
      const third = await newKeyAfter(second);
      await pollsSignedBy(signers().ml.length + 30);
      expect(emulator.credentialEndpoints!.issued - issuedBefore).toBe(3 * perResolution);

      for (const id of ids) emulator.script('BatchPrediction', id, [{ status: 'COMPLETED' }]);
      const done = await Promise.all(waits);
      expect(done.map((bp) => bp.Status)).toEqual(ids.map(() => 'COMPLETED'));
      expect(signers().errors).toEqual([]);
      expect(new Set(signers().ml)).toEqual(new Set([first, second, third]));
      // Each wait polls one request at a time: once it has signed with a newer key it never goes back.
      const order = [first, second, third];
      for (const id of ids) {
        const keys = emulator
          .requests()
          .filter((r) => r.operation.startsWith('Get') && r.id === id)
          .map((r) => order.indexOf(r.accessKeyId ?? '?'));
        expect(keys).toEqual([...keys].sort((a, b) => a - b));
        expect(keys[0]).toBe(0);
        expect(keys.at(-1)).toBe(2);
      }
    } finally {
      await client.close();
    }
  }, 90_000);

  test('a wait through aml-wait (spawned; --profile for a profile source) completes, with no SDK warning on its output', async () => {
    const setup = setUpSource(source, emulator);
    homes.push(setup.home);
    completesSoon(`bp-cli-${source}`);
    // A profile-based source is named with --profile (AWS_PROFILE is not set).
    const { AWS_PROFILE: profile, ...env } = spawnEnv(setup);
    const run = await spawnCli(
      [
        ...(profile === undefined ? [] : ['--profile', profile]),
        ...['--min-delay', '0.05', '--max-delay', '0.1', '--timeout', '15s', `bp-cli-${source}`],
      ],
      env,
    );
    expect(run.stderr).not.toMatch(/Warning|NodeVersionSupport/);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`bp-cli-${source}`);
    expect(signers().issuing).toContain(ISSUING_OPERATION[source]);
    for (const key of signers().ml) expect(key).toMatch(/^ASIA/);
  });

  test('a wait through a fleet worker (client from the environment) completes', async () => {
    const setup = setUpSource(source, emulator);
    useSource(setup);
    const connection = { host: redis.host, port: redis.port, maxRetriesPerRequest: null };
    const queueName = `aml-creds-${source}`;
    const queue = await openWaitQueue({ connection, queueName });
    const worker = await startWaitWorker({ connection, queueName });
    try {
      completesSoon(`bp-fleet-${source}`);
      await queue.enqueue('BatchPrediction', `bp-fleet-${source}`, fast);
      const bp = await queue.result('BatchPrediction', `bp-fleet-${source}`);
      expect(bp.Status).toBe('COMPLETED');
      expect(signers().issuing).toContain(ISSUING_OPERATION[source]);
      for (const key of signers().ml) expect(key).toMatch(/^ASIA/);
    } finally {
      await worker.close();
      await queue.close();
    }
  });
});
