import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import type { Emulator } from '../../src/emulator/Emulator.js';
import type { FaultRule } from '../../src/emulator/FaultRule.js';
import { startEmulator } from '../../src/emulator/startEmulator.js';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import { memoryIo } from '../cli/helpers/memoryIo.js';
import { writeFigures } from './helpers/figures.js';
import type { ClockBox } from './helpers/runScenario.js';
import { clockProxy } from './helpers/runScenario.js';
import { CHAOS_CREDENTIALS, SecretScanner, scanningLogger } from './helpers/secretScan.js';

/**
 * Secrets in CLI output (issue #8): `aml-wait` runs in-process against the emulator under faults, with
 * the key pair and session token in its environment; everything it prints (JSON lines, plain progress,
 * tables, error lines) is scanned for the secret key, the session token and any signature. The library
 * side (errors, inspect, JSON, events, logs) is scanned by every chaos scenario.
 */

const FAULTS: readonly FaultRule[] = [
  { kind: 'throttle', times: 2, retryAfterSeconds: 1 },
  { kind: 'serverError', status: 503, format: 'html', times: 1, skip: 3 },
  { kind: 'reset', times: 1, skip: 5 },
  { kind: 'errorTypeQuirk', quirk: 'fullyQualified' },
];

describe('secrets never reach CLI output', () => {
  const box: ClockBox = { clock: new VirtualClock({ autoAdvance: true }) };
  const scanner = new SecretScanner();
  const emulatorLog = scanningLogger(scanner, 'emulator');
  const figures = { cliRuns: 0, bytesScanned: 0, hits: 0 };
  let emu: Emulator;

  beforeAll(async () => {
    emu = await startEmulator({
      clock: clockProxy(box),
      credentials: [
        { ...CHAOS_CREDENTIALS },
        {
          accessKeyId: 'ASIAEXPIRED000000001',
          secretAccessKey: 'expiredSecretKey/0123456789abcdef',
          sessionToken: 'expiredSessionToken//0123456789',
          expiresAt: new Date(Date.now() - 60_000),
        },
      ],
      logger: emulatorLog.logger,
    });
  });
  afterAll(async () => {
    writeFigures('secretsCli', figures);
    await emu.close();
  });

  const env = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string }) => ({
    AWS_ENDPOINT_URL: emu.endpoint,
    AWS_REGION: emu.region,
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
  });

  async function cli(
    argv: string[],
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string },
    check: SecretScanner = scanner,
  ) {
    box.clock = new VirtualClock({ autoAdvance: true });
    const io = memoryIo(env(credentials), { clock: box.clock });
    const code = await run(argv, io);
    const out = io.stdout.text();
    const err = io.stderr.text();
    figures.cliRuns++;
    figures.bytesScanned += out.length + err.length;
    check.addText(`stdout of ${argv.join(' ')}`, out);
    check.addText(`stderr of ${argv.join(' ')}`, err);
    const hits = check.flush();
    figures.hits += hits.length;
    return { code, out, err, hits };
  }

  function lifecycle(id: string, end: 'COMPLETED' | 'FAILED') {
    emu.reset();
    emu.put('BatchPrediction', { BatchPredictionId: id }, [
      { status: 'PENDING', forMs: 5_000 },
      { status: 'INPROGRESS', forMs: 30_000 },
      end === 'FAILED' ? { status: 'FAILED', message: 'Chaos: bad input' } : { status: 'COMPLETED' },
    ]);
    for (const rule of FAULTS) emu.addFault(rule);
  }

  it.each([
    ['--json', ['--json', 'bp-a'], 'COMPLETED', 0],
    ['plain progress', ['bp-a'], 'COMPLETED', 0],
    ['--json, FAILED', ['--json', 'bp-a'], 'FAILED', 1],
    ['plain, FAILED', ['bp-a'], 'FAILED', 1],
    ['--json --timeout 20s', ['--json', '--timeout', '20s', 'bp-a'], 'COMPLETED', 124],
    // --once sends one request, which is throttled: "a request failed" (docs/cli.md).
    ['--once', ['--once', 'bp-a'], 'COMPLETED', 3],
  ] as const)(
    '%s under throttling, HTML 503s and resets: the documented exit code, no secret',
    async (_n, argv, end, code) => {
      lifecycle('bp-a', end);
      const result = await cli([...argv], CHAOS_CREDENTIALS);
      expect(result.hits).toEqual([]);
      expect(result.code).toBe(code);
      expect(result.out.length + result.err.length).toBeGreaterThan(0);
    },
  );

  it('a wrong secret key: exit 3, the signature error is shown, the wrong secret is not', async () => {
    lifecycle('bp-a', 'COMPLETED');
    const wrong = { ...CHAOS_CREDENTIALS, secretAccessKey: 'wrongSecretKey/DoNotPrint/0123456789' };
    const result = await cli(['bp-a'], wrong, new SecretScanner(wrong));
    expect(result.code).toBe(3);
    expect(result.err).toContain('InvalidSignatureException');
    expect(result.hits).toEqual([]);
  });

  it('an expired session token: exit 3, ExpiredTokenException is shown, the token is not', async () => {
    lifecycle('bp-a', 'COMPLETED');
    const expired = {
      accessKeyId: 'ASIAEXPIRED000000001',
      secretAccessKey: 'expiredSecretKey/0123456789abcdef',
      sessionToken: 'expiredSessionToken//0123456789',
    };
    const result = await cli(['--json', 'bp-a'], expired, new SecretScanner(expired));
    expect(result.code).toBe(3);
    expect(result.out).toContain('ExpiredTokenException');
    expect(result.hits).toEqual([]);
  });

  it("the emulator's own request log lines hold no secret", () => {
    expect(emulatorLog.state.lines).toBeGreaterThan(0);
    expect(scanner.flush()).toEqual([]);
  });
});
