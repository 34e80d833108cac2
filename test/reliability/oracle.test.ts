import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/Emulator.js';
import { startEmulator } from '../../src/emulator/startEmulator.js';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import type { Scenario } from './helpers/chaosScenario.js';
import type { ClockBox, Sabotage } from './helpers/runScenario.js';
import { clockProxy, runScenario } from './helpers/runScenario.js';
import { CHAOS_CREDENTIALS, SecretScanner } from './helpers/secretScan.js';

/** The chaos oracle must be able to fail: each deliberate defect is reported, a clean run is not. */
describe('the chaos oracle catches what it claims to catch', () => {
  const box: ClockBox = { clock: new VirtualClock({ autoAdvance: true }) };
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator({
      port: 0,
      clock: clockProxy(box),
      credentials: [{ ...CHAOS_CREDENTIALS }],
    });
  });
  afterAll(async () => {
    await emulator.close();
  });

  const base: Scenario = {
    kind: 'BatchPrediction',
    face: 'promise',
    notFoundForMs: 0,
    phases: [{ status: 'INPROGRESS', forMs: 30_000 }],
    terminal: 'FAILED',
    deletedAfterMs: null,
    timeoutMs: 600_000,
    minDelayMs: 1000,
    maxDelayMs: 10_000,
    notFoundGraceMs: 15_000,
    retries: 3,
    retryMinTimeoutMs: 100,
    retryMaxTimeoutMs: 1000,
    faults: [{ kind: 'throttle', times: 2 }],
    serverSkewMs: 0,
    abort: { type: 'none' },
    jitterSeed: 7,
  };

  it('a clean scenario: FAILED as the emulator says, no violation, no leak', async () => {
    const scanner = new SecretScanner();
    const report = await runScenario(emulator, box, base, 'oracle-clean', scanner);
    expect(report.violations).toEqual([]);
    expect(report.outcome).toBe('FAILED');
    expect(report.faultsInjected).toEqual({ throttle: 2 });
    expect(scanner.flush()).toEqual([]);
  });

  const cases: { sabotage: Sabotage; expected: RegExp }[] = [
    { sabotage: 'lie', expected: /resolved COMPLETED while the emulator shows INPROGRESS/ },
    { sabotage: 'timer', expected: /1 virtual timer\(s\) left when the wait ended/ },
    { sabotage: 'socket', expected: /socket\(s\) left open after the client closed/ },
  ];
  it.each(cases)('sabotage "$sabotage" is reported', async ({ sabotage, expected }) => {
    const report = await runScenario(
      emulator,
      box,
      base,
      `oracle-${sabotage}`,
      new SecretScanner(),
      sabotage,
    );
    expect(report.violations.join('\n')).toMatch(expected);
  });

  it('a secret in a log line is found by the scan', async () => {
    const scanner = new SecretScanner();
    await runScenario(emulator, box, base, 'oracle-secret', scanner, 'secret');
    const hits = scanner.flush();
    expect([...new Set(hits.map((h) => h.what))].sort()).toEqual(['secret access key', 'session token']);
    expect(hits.every((h) => h.where.startsWith('waiter log.debug'))).toBe(true);
  });
});
