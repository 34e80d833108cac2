import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { parseJsonLines } from './helpers/memoryIo.js';
import { cleanEnv, spawnCli } from './helpers/spawnCli.js';

// The spawned binary talks to an emulator running in this process, in real time, with short lifecycles.
let emu: Emulator;
let awsEnv: Record<string, string>;
const FAST = ['--min-delay', '100ms', '--max-delay', '200ms'];

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  awsEnv = {
    AWS_ENDPOINT_URL_MACHINE_LEARNING: emu.endpoint,
    AWS_REGION: emu.region,
    AWS_ACCESS_KEY_ID: emu.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: emu.credentials.secretAccessKey,
  };
  // These stay PENDING until the test sees the CLI report it (see `advanceOnce`): process start-up and
  // polling times vary too much under load for a timed script.
  for (const id of ['sp-ok', 'sp-json', 'sp-fail']) {
    emu.put('BatchPrediction', { BatchPredictionId: id, Status: 'PENDING' });
  }
  emu.put('MLModel', { MLModelId: 'sp-model', Status: 'COMPLETED' });
  for (const id of ['sp-slow', 'sp-int', 'sp-colour'])
    emu.put('BatchPrediction', { BatchPredictionId: id, Status: 'INPROGRESS' });
});

afterAll(async () => {
  await emu.close();
});

const requestsFor = (id: string): number => emu.requests().filter((entry) => entry.id === id).length;

/**
 * Drives `id` from what the CLI has reported, so that no status can be missed however slow the machine:
 * once `PENDING` shows in its output the resource goes `INPROGRESS`, and once that shows, to `end`.
 */
function advanceOnce(
  id: string,
  [seenPending, seenInProgress]: readonly [string, string],
  end: { status: 'COMPLETED' | 'FAILED'; message?: string; fields?: Record<string, unknown> },
): (output: { stdout: string; stderr: string }) => undefined {
  let stage = 0;
  return ({ stdout, stderr }) => {
    const output = stdout + stderr;
    if (stage === 0 && output.includes(seenPending)) {
      stage = 1;
      emu.script('BatchPrediction', id, [{ status: 'INPROGRESS' }]);
    }
    if (stage === 1 && output.includes(seenInProgress)) {
      stage = 2;
      emu.script('BatchPrediction', id, [end]);
    }
    return undefined;
  };
}

describe.concurrent('aml-wait as a process, against the emulator', () => {
  test('0: progress lines on stderr, only the table on stdout, no colours off a terminal', async () => {
    const result = await spawnCli(
      [...FAST, 'sp-ok'],
      cleanEnv(awsEnv),
      advanceOnce('sp-ok', ['sp-ok: PENDING', '→ INPROGRESS'], {
        status: 'COMPLETED',
        fields: { TotalRecordCount: 42, InvalidRecordCount: 1 },
      }),
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^ID {5}STATUS {5}ELAPSED +RECORDS +MESSAGE\nsp-ok {2}COMPLETED {2}[\d.]+ (ms|s) +42 \(1 invalid\)\n$/,
    );
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`Waiting for batch prediction sp-ok at ${emu.endpoint}/ (us-east-1)`);
    expect(lines.slice(1).map((line) => line.replace(/ \(.*\)$/, ''))).toEqual([
      'sp-ok: PENDING',
      'sp-ok: PENDING → INPROGRESS',
      'sp-ok: INPROGRESS → COMPLETED',
    ]);
    expect((result.stdout + result.stderr).includes('\x1b[')).toBe(false);
  });

  test('1: FAILED, the reason on stderr and in the table', async () => {
    const result = await spawnCli(
      [...FAST, 'sp-fail'],
      cleanEnv(awsEnv),
      advanceOnce('sp-fail', ['sp-fail: PENDING', '→ INPROGRESS'], { status: 'FAILED', message: 'Bad data' }),
    );
    expect(result.code).toBe(1);
    // Said once, and "after" says what it measures: the time aml-wait waited.
    expect(result.stderr).toMatch(/\nsp-fail: FAILED: Bad data; seen after [\d.]+ (ms|s) of waiting\.\n$/);
    expect(result.stdout).toMatch(/\nsp-fail {2}FAILED {2}.* Bad data\n$/);
  });

  test('2: an unknown flag, one line saying so (with the flag meant) and the usage line, nothing on stdout', async () => {
    const result = await spawnCli(['--tiemout', '5s', 'sp-ok'], cleanEnv(awsEnv));
    expect([result.code, result.stdout, result.stderr]).toEqual([
      2,
      '',
      'aml-wait: Unknown option `--tiemout`: did you mean `--timeout`?\nUsage: aml-wait [options] <id...>\n',
    ]);
  });

  test('3: bad credentials; the secret never appears', async () => {
    const secret = 'notTheRightSecret0000000000000000000000000';
    const result = await spawnCli(
      ['--json', 'sp-ok'],
      cleanEnv({ ...awsEnv, AWS_SECRET_ACCESS_KEY: secret }),
    );
    expect(result.code).toBe(3);
    expect(parseJsonLines(result.stdout).at(-1)).toMatchObject({
      type: 'result',
      exitCode: 3,
      error: { code: 'REQUEST_FAILED', cause: { name: 'InvalidSignatureException', statusCode: 400 } },
    });
    expect(result.stdout + result.stderr).not.toContain(secret);
  });

  test('124: --timeout runs out', async () => {
    const result = await spawnCli(['--timeout', '700ms', ...FAST, 'sp-slow'], cleanEnv(awsEnv));
    expect(result.code).toBe(124);
    // The flag as typed, not the library's option name.
    expect(result.stderr).toMatch(
      /\nsp-slow: gave up while still INPROGRESS: --timeout 700ms ran out \(\d+ requests sent\)\.\n$/,
    );
    expect(result.stdout).toMatch(
      /\nsp-slow {2}INPROGRESS {2}.* gave up while still INPROGRESS \(--timeout 700ms\)\n$/,
    );
  });

  test('130: SIGINT cancels the wait cleanly, prints the results, and no request follows', async () => {
    const result = await spawnCli(
      ['--min-delay', '1h', '--max-delay', '1h', 'sp-int'],
      cleanEnv(awsEnv),
      ({ stderr }) => (stderr.includes('sp-int: INPROGRESS') ? 'SIGINT' : undefined),
    );
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('Interrupted: cancelling the waits');
    expect(result.stdout).toMatch(/^ID +STATUS +ELAPSED +RECORDS +MESSAGE\nsp-int +INPROGRESS /);
    expect(requestsFor('sp-int')).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(requestsFor('sp-int')).toBe(1);
  });

  test('--json: stdout is only JSON lines following the event contract; stderr stays empty', async () => {
    const result = await spawnCli(
      ['--json', ...FAST, 'sp-json'],
      cleanEnv(awsEnv),
      advanceOnce('sp-json', ['"to":"PENDING"', '"to":"INPROGRESS"'], { status: 'COMPLETED' }),
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const lines = parseJsonLines(result.stdout);
    const events = lines.slice(0, -1);
    expect(new Set(events.map((line) => line.type))).toEqual(new Set(['poll', 'transition', 'wait']));
    for (const event of events) {
      expect(event).toMatchObject({ kind: 'BatchPrediction', id: 'sp-json' });
      expect(typeof event.attempt).toBe('number');
      expect(typeof event.elapsedMs).toBe('number');
      if (event.type === 'wait')
        expect(new Date(event.nextPollAt as string).toISOString()).toBe(event.nextPollAt);
      if (event.type !== 'wait')
        expect((event.resource as { BatchPredictionId: string }).BatchPredictionId).toBe('sp-json');
    }
    const transitions = events
      .filter((line) => line.type === 'transition')
      .map((line) => `${String(line.from)}→${String(line.to)}`);
    expect(transitions).toEqual(['null→PENDING', 'PENDING→INPROGRESS', 'INPROGRESS→COMPLETED']);
    expect(lines.at(-1)).toMatchObject({
      type: 'result',
      id: 'sp-json',
      ok: true,
      status: 'COMPLETED',
      exitCode: 0,
    });
  });

  test('FORCE_COLOR colours both streams off a terminal; NO_COLOR beats it', async () => {
    const [forced, vetoed] = await Promise.all([
      spawnCli(['--once', 'sp-colour'], cleanEnv({ ...awsEnv, FORCE_COLOR: '1' })),
      spawnCli(['--once', 'sp-colour'], cleanEnv({ ...awsEnv, FORCE_COLOR: '1', NO_COLOR: '1' })),
    ]);
    expect([forced.code, vetoed.code]).toEqual([75, 75]);
    expect(forced.stdout).toContain('\x1b[33mINPROGRESS');
    expect((vetoed.stdout + vetoed.stderr).includes('\x1b[')).toBe(false);
    expect(vetoed.stdout).toMatch(/\nsp-colour {2}INPROGRESS {2}/);
  });
});
