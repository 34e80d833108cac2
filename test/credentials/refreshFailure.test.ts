import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import { ConfigurationError } from '../../src/client/ConfigurationError.js';
import type { Emulator } from '../../src/emulator/Emulator.js';
import { startEmulator } from '../../src/emulator/startEmulator.js';
import type { Logger } from '../../src/model/Logger.js';
import { waitForBatchPrediction } from '../../src/waiter/batchPrediction.js';
import {
  ISSUED_PER_RESOLUTION,
  LEGACY_START_URL,
  ISSUING_OPERATION,
  setUpSource,
  SOURCES,
  writeSsoToken,
  type SourceName,
  type SourceSetup,
  stubSourceEnv,
} from './helpers/credentialSources.js';

/**
 * Temporary credentials near their expiry whose source then breaks: the current ones stay in use while they
 * are valid and the refresh is tried again every 10 s (once for all waits); once they have expired and the
 * refresh still fails, every wait fails with a ConfigurationError naming the source, and no Amazon ML
 * request goes out with expired credentials.
 *
 * The clients' wall clock and the emulator's auth clock are virtual and stand still unless the test moves
 * them, so the refresh points, the 10-second retry and the expiry are crossed exactly, without sleeping.
 */
const T0 = Date.now();
let offsetMs = 0;
const now = (): number => T0 + offsetMs;
/** 30 s before the client's refresh point (5 minutes before expiry). */
const LIFETIME_MS = 5 * 60_000 + 30_000;

let emulator: Emulator;
const homes: string[] = [];

beforeAll(async () => {
  emulator = await startEmulator({ credentialEndpoints: { lifetimeMs: LIFETIME_MS }, authClock: now });
});
afterAll(async () => {
  await emulator.close();
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});
afterEach(() => {
  vi.unstubAllEnvs();
  offsetMs = 0;
  emulator.reset();
});

function useSource(setup: SourceSetup): void {
  homes.push(setup.home);
  stubSourceEnv(setup);
}

/** Breaks a working source the way it breaks for real, after it issued the credentials in use. */
function breakSource(setup: SourceSetup): void {
  const env = setup.env;
  switch (setup.name) {
    case 'container':
      // The pod identity token file is gone (the projected volume was unmounted).
      rmSync(env.AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE!);
      break;
    case 'imds':
      // The instance metadata service stops answering (here: its address now has no listener).
      vi.stubEnv('AWS_EC2_METADATA_SERVICE_ENDPOINT', 'http://127.0.0.1:9');
      break;
    case 'webIdentity':
      // The service account token file is gone.
      rmSync(env.AWS_WEB_IDENTITY_TOKEN_FILE!);
      break;
    case 'assumeRole':
      // The source profile's keys were rotated out: STS refuses them.
      writeFileSync(
        env.AWS_CONFIG_FILE!,
        `[profile base]\naws_access_key_id = AKIAROTATEDOUT000000\naws_secret_access_key = revoked-secret-key-value\n\n[profile waiter]\nrole_arn = arn:aws:iam::123456789012:role/aml-waiter\nsource_profile = base\n`,
      );
      break;
    case 'credentialProcess':
      // The internal credential service now refuses the helper's token: the helper exits 1.
      writeFileSync(join(setup.home, 'helper-token'), 'revoked-helper-token');
      break;
    case 'webIdentityProfile':
      rmSync(join(setup.home, 'web-identity-token'));
      break;
    case 'credentialSourceEnvironment':
      // The keys in the environment were deactivated.
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIAROTATEDOUT000000');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'revoked-secret-key-value');
      break;
    case 'credentialSourceEcs':
      // The task's credentials endpoint now refuses the token.
      vi.stubEnv('AWS_CONTAINER_AUTHORIZATION_TOKEN', 'revoked-task-token');
      break;
    case 'credentialSourceImds':
      vi.stubEnv('AWS_EC2_METADATA_SERVICE_ENDPOINT', 'http://127.0.0.1:9');
      break;
    case 'ssoLegacy':
      writeSsoToken(
        setup.home,
        emulator.credentialEndpoints!.ssoAccessToken,
        new Date(Date.now() - 60_000),
        LEGACY_START_URL,
      );
      break;
    case 'sso':
      // The SSO session ran out (`aws sso login` is needed again).
      writeSsoToken(setup.home, emulator.credentialEndpoints!.ssoAccessToken, new Date(Date.now() - 60_000));
      break;
  }
}

/** How the error and the warnings name each source, and the reason its refresh gave. */
const EXPECTED: Readonly<Record<SourceName, { source: string; reason: RegExp }>> = {
  container: {
    source:
      'container credentials (`AWS_CONTAINER_CREDENTIALS_FULL_URI` and `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` are set)',
    reason: /the container credentials provider failed: .*(ENOENT|no such file)/,
  },
  imds: {
    source: 'EC2 instance metadata (IMDSv2) at `AWS_EC2_METADATA_SERVICE_ENDPOINT`',
    reason: /the instance metadata provider failed: \S+/,
  },
  webIdentity: {
    source: 'web identity (`AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN` are set)',
    reason: /AWS SDK: web identity .*: .*(ENOENT|no such file)/,
  },
  assumeRole: {
    source: 'profile "waiter" in ',
    reason: /AWS SDK: profile "waiter" in .*: .*security token included in the request is invalid/,
  },
  credentialProcess: {
    // The SDK runs a profile's credential_process in its profile step.
    source: 'profile "helper" in ',
    reason: /AWS SDK: profile "helper" in .*: .*credential service answered 401/,
  },
  sso: {
    source: 'profile "dev" in ',
    reason: /AWS SDK: profile "dev" in .*: .*(expired|refresh)/i,
  },
  webIdentityProfile: {
    source: 'profile "oidc" in ',
    reason: /AWS SDK: profile "oidc" in .*: .*(ENOENT|no such file)/,
  },
  credentialSourceEnvironment: {
    source: 'profile "env-role" in ',
    reason: /AWS SDK: profile "env-role" in .*: .*security token included in the request is invalid/,
  },
  credentialSourceImds: {
    source: 'profile "instance-role" in ',
    reason:
      /AWS SDK: EC2 instance metadata \(IMDSv2\) at `AWS_EC2_METADATA_SERVICE_ENDPOINT`: the instance metadata provider failed: \S+/,
  },
  ssoLegacy: {
    source: 'profile "legacy" in ',
    reason: /AWS SDK: profile "legacy" in .*: The SSO session associated with this profile has expired\./,
  },
  credentialSourceEcs: {
    source: 'profile "task-role" in ',
    reason: /the container credentials provider failed: .*401/,
  },
};

interface Warning {
  readonly bindings: Record<string, unknown>;
  readonly message: string | undefined;
}

/** Collects the client's refresh warnings (the SDK's own warnings, such as its note on a profile next to env keys, aside). */
function collectingLogger(warnings: Warning[]): Logger {
  const noop = (): void => undefined;
  return {
    debug: noop,
    info: noop,
    error: noop,
    warn: (bindings, message) => {
      if (bindings.source !== '@aws-sdk/credential-provider-node') warnings.push({ bindings, message });
    },
  };
}

/** The access key ids that signed the Amazon ML polls, and the Amazon ML polls that failed. */
function polls(): { keys: string[]; errors: string[] } {
  const log = emulator.requests().filter((r) => r.operation.startsWith('Get'));
  return {
    keys: log.map((r) => r.accessKeyId ?? '?'),
    errors: log
      .filter((r) => r.statusCode >= 400)
      .map((r) => `${r.operation} ${r.errorType ?? r.statusCode}`),
  };
}

async function pollsReach(count: number): Promise<void> {
  await vi.waitFor(
    () => {
      expect(polls().keys.length).toBeGreaterThanOrEqual(count);
    },
    { timeout: 20_000, interval: 20 },
  );
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe.each(SOURCES)('a %s source that breaks after issuing the credentials in use', (source) => {
  test('they stay in use while valid, the refresh is retried every 10 s (one at a time); in their last 10 s every wait fails naming the source, no secret', async () => {
    const setup = setUpSource(source, emulator);
    useSource(setup);
    const warnings: Warning[] = [];
    const client = new AmazonMLClient({ wallClock: now, logger: collectingLogger(warnings) });
    try {
      const ids = Array.from({ length: 3 }, (_, i) => `bp-refresh-fails-${source}-${i}`);
      for (const id of ids)
        emulator.put('BatchPrediction', { BatchPredictionId: id }, [{ status: 'INPROGRESS' }]);
      const issuedBefore = emulator.credentialEndpoints!.issued;
      const outcomes = ids.map((id) =>
        waitForBatchPrediction(id, { client, minDelayMs: 50, maxDelayMs: 100, timeoutMs: 120_000 }).then(
          () => undefined,
          (error: unknown) => error,
        ),
      );
      await pollsReach(6);
      expect(emulator.requests().map((r) => r.operation)).toContain(ISSUING_OPERATION[source]);
      expect(emulator.credentialEndpoints!.issued - issuedBefore).toBe(ISSUED_PER_RESOLUTION[source]);
      const first = polls().keys[0]!;
      expect(first).toMatch(/^ASIA/);

      breakSource(setup);
      // 31 s on, the credentials are inside their last 5 minutes: the next poll tries a refresh, which fails.
      offsetMs += 31_000;
      await vi.waitFor(
        () => {
          expect(warnings.length).toBeGreaterThanOrEqual(1);
        },
        { timeout: 30_000, interval: 20 },
      );
      // The waits went on polling with the current credentials; the clock has not moved, so no second
      // refresh is tried however many polls go out.
      await pollsReach(polls().keys.length + 15);
      expect(warnings.length).toBe(1);

      // 10 s later the refresh is tried once more (for the three waits together), and fails again.
      offsetMs += 10_000;
      await vi.waitFor(
        () => {
          expect(warnings.length).toBeGreaterThanOrEqual(2);
        },
        { timeout: 30_000, interval: 20 },
      );
      await pollsReach(polls().keys.length + 15);
      expect(warnings.length).toBe(2);

      const expected = EXPECTED[source];
      for (const warning of warnings) {
        expect(warning.message).toBe(
          `Could not refresh the AWS credentials from ${warning.bindings.source as string}; the current ones stay in use until they expire`,
        );
        expect(warning.bindings.source).toContain(expected.source);
        expect(warning.bindings).toMatchObject({ retryInMs: 10_000 });
        expect(warning.bindings.reason).toMatch(/^No AWS credentials found for Amazon ML\. Tried:\n/);
        expect(warning.bindings.reason).toMatch(expected.reason);
      }
      expect(warnings[0]!.bindings.expiresAt).toBe(new Date(T0 + LIFETIME_MS).toISOString());

      // 5 s before they expire they are no longer used (a request signed now could arrive too late): the
      // next poll of each wait waits for the refresh, which still fails, so every wait fails, naming the
      // source. (Polls already on their way still arrive in time: the clocks stop short of the expiry.)
      offsetMs = LIFETIME_MS - 5_000;
      const errors = await Promise.all(outcomes);
      for (const error of errors) {
        expect(error).toMatchObject({ name: 'WaitRequestError' });
        const cause = (error as { cause?: unknown }).cause;
        expect(cause).toBeInstanceOf(ConfigurationError);
        const message = (cause as ConfigurationError).message;
        expect(message).toMatch(
          new RegExp(
            `^The AWS credentials from ${escape(expected.source)}.* expire at ${escape(new Date(T0 + LIFETIME_MS).toISOString())} and could not be refreshed: No AWS credentials found for Amazon ML\\. Tried:\\n`,
          ),
        );
        expect(message).toMatch(expected.reason);
        const everything = `${message}\n${inspect(error, { depth: 10 })}\n${JSON.stringify(error)}\n${inspect(warnings, { depth: 10 })}`;
        for (const secret of setup.secrets) expect(everything).not.toContain(secret);
        expect(everything).not.toContain(emulator.credentials.secretAccessKey);
      }

      // Every poll was signed with the one credential issued, and none was refused.
      const { keys, errors: pollErrors } = polls();
      expect(new Set(keys)).toEqual(new Set([first]));
      expect(pollErrors).toEqual([]);
      expect(emulator.credentialEndpoints!.issued - issuedBefore).toBe(ISSUED_PER_RESOLUTION[source]);
    } finally {
      await client.close();
    }
  }, 120_000);
});
