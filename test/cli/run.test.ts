import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { run } from '../../src/cli/run.js';
import type { Emulator } from '../../src/emulator/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import { SleepQueue } from '../../src/waiter/SleepQueue.js';
import { memoryIo, parseJsonLines } from './helpers/memoryIo.js';

let clock: VirtualClock;
let emu: Emulator;
let env: Record<string, string>;

beforeEach(async () => {
  clock = new VirtualClock({ autoAdvance: true, startWallMs: Date.UTC(2026, 0, 1) });
  emu = await startEmulator({ port: 0, clock });
  env = {
    AWS_ENDPOINT_URL_MACHINE_LEARNING: emu.endpoint,
    AWS_REGION: emu.region,
    AWS_ACCESS_KEY_ID: emu.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: emu.credentials.secretAccessKey,
  };
});

afterEach(async () => {
  await emu.close();
});

const requestsFor = (id: string): number => emu.requests().filter((entry) => entry.id === id).length;

describe('aml-wait in-process, in virtual time', () => {
  test('--json: every event as one line with the contract fields, then the result', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-1' }, [
      { status: 'PENDING', forMs: 80_000 },
      { status: 'INPROGRESS', forMs: 60_000 },
      { status: 'COMPLETED', fields: { TotalRecordCount: 1000, InvalidRecordCount: 3 } },
    ]);
    const io = memoryIo(env, { clock });
    const code = await run(['--json', '--min-delay', '30s', '--max-delay', '30s', 'bp-1'], io);
    expect(code).toBe(0);
    expect(io.stderr.text()).toBe('');
    const lines = parseJsonLines(io.stdout.text());
    expect(lines.map((line) => [line.type, line.elapsedMs, line.attempt])).toEqual([
      ['poll', 0, 1],
      ['transition', 0, 1],
      ['wait', 0, 1],
      ['poll', 30_000, 2],
      ['wait', 30_000, 2],
      ['poll', 60_000, 3],
      ['wait', 60_000, 3],
      ['poll', 90_000, 4],
      ['transition', 90_000, 4],
      ['wait', 90_000, 4],
      ['poll', 120_000, 5],
      ['wait', 120_000, 5],
      ['poll', 150_000, 6],
      ['transition', 150_000, 6],
      ['result', 150_000, undefined],
    ]);
    for (const line of lines.slice(0, -1)) {
      expect(Object.keys(line).slice(0, 5)).toEqual(['type', 'kind', 'id', 'attempt', 'elapsedMs']);
      expect(line).toMatchObject({ kind: 'BatchPrediction', id: 'bp-1' });
    }
    expect(lines.filter((line) => line.type === 'transition').map((line) => [line.from, line.to])).toEqual([
      [null, 'PENDING'],
      ['PENDING', 'INPROGRESS'],
      ['INPROGRESS', 'COMPLETED'],
    ]);
    const waits = lines.filter((line) => line.type === 'wait');
    expect(waits.map((line) => line.delayMs)).toEqual([30_000, 30_000, 30_000, 30_000, 30_000]);
    expect(waits[0]?.nextPollAt).toBe(new Date(Date.UTC(2026, 0, 1) + 30_000).toISOString());
    const firstPoll = lines[0]?.resource as Record<string, unknown>;
    expect(firstPoll).toMatchObject({ BatchPredictionId: 'bp-1', Status: 'PENDING' });
    expect(firstPoll.CreatedAt).toBe(new Date(Date.UTC(2026, 0, 1)).toISOString());
    expect(lines.at(-1)).toEqual({
      type: 'result',
      id: 'bp-1',
      kind: 'BatchPrediction',
      ok: true,
      status: 'COMPLETED',
      elapsedMs: 150_000,
      attempts: 6,
      resource: expect.objectContaining({
        Status: 'COMPLETED',
        TotalRecordCount: 1000,
        InvalidRecordCount: 3,
      }) as unknown,
      exitCode: 0,
    });
    expect(clock.pendingTimers).toBe(0);
  });

  test('--timeout runs out → 124, with a last poll exactly at the deadline', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-slow', Status: 'INPROGRESS' });
    const io = memoryIo(env, { clock });
    const code = await run(
      ['--json', '--quiet', '--timeout', '1h', '--min-delay', '1m', '--max-delay', '1m', 'bp-slow'],
      io,
    );
    expect(code).toBe(124);
    const lines = parseJsonLines(io.stdout.text());
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      type: 'result',
      ok: false,
      status: 'INPROGRESS',
      elapsedMs: 3_600_000,
      attempts: 61,
      exitCode: 124,
      error: {
        name: 'WaitTimeoutError',
        code: 'WAIT_TIMEOUT',
        timeoutMs: 3_600_000,
        attempts: 61,
        lastStatus: 'INPROGRESS',
      },
    });
    expect(requestsFor('bp-slow')).toBe(61);
    expect(io.stderr.text()).toBe(
      'bp-slow: gave up while still INPROGRESS: --timeout 1h ran out (61 requests sent).\n',
    );
    expect(clock.pendingTimers).toBe(0);
  });

  test('plain progress on stderr, the table on stdout; FAILED → 1', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-good' }, [
      { status: 'PENDING', forMs: 10_000 },
      { status: 'INPROGRESS', forMs: 50_000 },
      { status: 'COMPLETED', fields: { TotalRecordCount: 20, InvalidRecordCount: 0 } },
    ]);
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-bad' }, [
      { status: 'PENDING', forMs: 25_000 },
      { status: 'FAILED', message: 'Bad data in row 7' },
    ]);
    const io = memoryIo({ ...env, FORCE_COLOR: undefined, NO_COLOR: undefined }, { clock });
    const code = await run(['--min-delay', '20s', '--max-delay', '20s', 'bp-good', 'bp-bad'], io);
    expect(code).toBe(1);
    expect(io.stderr.text()).toBe(
      [
        `Waiting for 2 batch predictions at ${emu.endpoint}/ (us-east-1)`,
        'bp-good: PENDING (0 ms, 1 poll)',
        'bp-bad: PENDING (0 ms, 1 poll)',
        'bp-good: PENDING → INPROGRESS (20.0 s, 2 polls)',
        'bp-bad: PENDING → FAILED (40.0 s, 3 polls)',
        'bp-bad: FAILED: Bad data in row 7; seen after 40.0 s of waiting.',
        'bp-good: INPROGRESS → COMPLETED (1 min 0 s, 4 polls)',
        '',
      ].join('\n'),
    );
    expect(io.stdout.text()).toBe(
      [
        'ID       STATUS     ELAPSED    RECORDS  MESSAGE',
        'bp-good  COMPLETED  1 min 0 s  20',
        'bp-bad   FAILED     40.0 s     -        Bad data in row 7',
        '',
      ].join('\n'),
    );
  });

  test('plain mode: a heartbeat line after 5 minutes without news, so CI logs show the wait is alive', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-hb' }, [
      { status: 'INPROGRESS', forMs: 690_000 },
      { status: 'COMPLETED' },
    ]);
    const io = memoryIo(env, { clock });
    expect(await run(['--min-delay', '1m', '--max-delay', '1m', 'bp-hb'], io)).toBe(0);
    expect(io.stderr.text().split('\n').slice(1)).toEqual([
      'bp-hb: INPROGRESS (0 ms, 1 poll)',
      'bp-hb: still INPROGRESS (5 min 0 s, 6 polls)',
      'bp-hb: still INPROGRESS (10 min 0 s, 11 polls)',
      'bp-hb: INPROGRESS → COMPLETED (12 min 0 s, 13 polls)',
      '',
    ]);
  });

  test('a throttled poll is retried: a retry event with the error, a plain retry line', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-r', Status: 'COMPLETED' });
    emu.addFault({ kind: 'throttle', id: 'bp-r', times: 1, retryAfterMs: 7000 });
    const json = memoryIo(env, { clock });
    expect(await run(['--json', 'bp-r'], json)).toBe(0);
    const lines = parseJsonLines(json.stdout.text());
    expect(lines.slice(0, 2)).toEqual([
      {
        type: 'retry',
        kind: 'BatchPrediction',
        id: 'bp-r',
        attempt: 1,
        elapsedMs: 0,
        error: { name: 'ThrottlingException', message: 'Rate exceeded', statusCode: 400 },
        delayMs: 7000,
      },
      expect.objectContaining({ type: 'poll', attempt: 2, elapsedMs: 7000 }) as unknown,
    ]);
    expect(lines.at(-1)).toMatchObject({ type: 'result', ok: true, attempts: 2 });

    emu.addFault({ kind: 'throttle', id: 'bp-r', times: 1, retryAfterMs: 7000 });
    const plain = memoryIo(env, { clock });
    expect(await run(['bp-r'], plain)).toBe(0);
    expect(plain.stderr.text().split('\n').slice(1)).toEqual([
      'bp-r: ThrottlingException: Rate exceeded; retrying in 7.0 s',
      'bp-r: COMPLETED (7.0 s, 1 poll)',
      '',
    ]);
  });

  test('--kind applies to every id', async () => {
    emu.put('MLModel', { MLModelId: 'ml-1', Status: 'COMPLETED' });
    emu.put('MLModel', { MLModelId: 'ml-2', Status: 'COMPLETED' });
    const quiet = memoryIo(env, { clock });
    expect(await run(['--kind', 'ml-model', '--quiet', 'ml-1', 'ml-2'], quiet)).toBe(0);
    expect(quiet.stdout.text() + quiet.stderr.text()).toBe('');
    expect(emu.requests().map((entry) => [entry.operation, entry.id])).toEqual([
      ['GetMLModel', 'ml-1'],
      ['GetMLModel', 'ml-2'],
    ]);
  });

  test('--endpoint and --region, or --profile with shared files, configure the client without AWS_* endpoint variables', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-cfg', Status: 'COMPLETED' });
    const keys = {
      AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY,
    };
    const flags = memoryIo({ ...keys, HOME: '/nonexistent' }, { clock });
    expect(await run(['--quiet', '--endpoint', emu.endpoint, '--region', emu.region, 'bp-cfg'], flags)).toBe(
      0,
    );

    const dir = await mkdtemp(join(tmpdir(), 'aml-wait-profile-'));
    try {
      await writeFile(
        join(dir, 'config'),
        `[profile emu]\nregion = ${emu.region}\nservices = local\n\n[services local]\nmachine_learning =\n  endpoint_url = ${emu.endpoint}\n`,
      );
      await writeFile(
        join(dir, 'credentials'),
        `[emu]\naws_access_key_id = ${env.AWS_ACCESS_KEY_ID}\naws_secret_access_key = ${env.AWS_SECRET_ACCESS_KEY}\n`,
      );
      const profile = memoryIo(
        {
          HOME: dir,
          AWS_CONFIG_FILE: join(dir, 'config'),
          AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
        },
        { clock },
      );
      expect(await run(['--profile', 'emu', 'bp-cfg'], profile)).toBe(0);
      expect(profile.stderr.text()).toContain(
        `Waiting for batch prediction bp-cfg at ${emu.endpoint}/ (us-east-1)`,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(requestsFor('bp-cfg')).toBe(2);
  });

  test('exit code precedence with several ids: a request error wins over FAILED and over a timeout', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-done', Status: 'COMPLETED' });
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-failed', Status: 'FAILED', Message: 'nope' });
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-stuck', Status: 'PENDING' });
    const quick = ['--json', '--quiet', '--timeout', '10m', '--min-delay', '1m', '--max-delay', '1m'];
    const codes: number[] = [];
    for (const ids of [
      ['bp-done'],
      ['bp-done', 'bp-stuck'],
      ['bp-stuck', 'bp-failed'],
      ['bp-failed', 'bp-gone', 'bp-stuck'],
    ]) {
      codes.push(await run([...quick, ...ids], memoryIo({ ...env }, { clock })));
    }
    // bp-gone is never found: after the 15 s grace the wait fails with a request error (3).
    expect(codes).toEqual([0, 124, 1, 3]);
  });

  test('--once: one request per id, exit 0 / 75 / 1 / 3 by what it sees', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-done', Status: 'COMPLETED', TotalRecordCount: 5 });
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-running', Status: 'INPROGRESS' });
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-failed', Status: 'FAILED', Message: 'Bad data' });
    const once = async (...ids: string[]): Promise<[number, Record<string, unknown>[]]> => {
      const io = memoryIo(env, { clock });
      const code = await run(['--once', '--json', ...ids], io);
      return [code, parseJsonLines(io.stdout.text())];
    };
    expect((await once('bp-done'))[0]).toBe(0);
    const [running, lines] = await once('bp-done', 'bp-running');
    expect(running).toBe(75);
    expect(lines.map((line) => [line.type, line.id, line.status, line.ok, line.exitCode])).toEqual([
      ['result', 'bp-done', 'COMPLETED', true, 0],
      ['result', 'bp-running', 'INPROGRESS', false, 75],
    ]);
    expect((await once('bp-running', 'bp-failed'))[0]).toBe(1);
    const [missing, missingLines] = await once('bp-failed', 'bp-missing');
    expect(missing).toBe(3);
    expect(missingLines[1]).toMatchObject({
      id: 'bp-missing',
      status: null,
      error: { name: 'ResourceNotFoundException', statusCode: 404 },
      exitCode: 3,
    });
    expect(requestsFor('bp-done') + requestsFor('bp-running') + requestsFor('bp-failed')).toBe(6);
    // The id not found is looked up once as each other kind, for a `--kind` hint.
    expect(
      emu
        .requests()
        .filter((entry) => entry.id === 'bp-missing')
        .map((entry) => entry.operation)
        .sort(),
    ).toEqual(['GetBatchPrediction', 'GetDataSource', 'GetEvaluation', 'GetMLModel']);

    const io = memoryIo(env, { clock });
    expect(await run(['--once', 'bp-done', 'bp-running'], io)).toBe(75);
    expect(io.stdout.text()).toBe(
      [
        'ID          STATUS      ELAPSED  RECORDS  MESSAGE',
        'bp-done     COMPLETED   0 ms     5',
        'bp-running  INPROGRESS  0 ms     -',
        '',
      ].join('\n'),
    );
    expect(io.stderr.text()).toBe('');
  });

  test('an id that does not exist: "not found" with the requests sent, then a --kind hint when it is another kind', async () => {
    emu.put('MLModel', { MLModelId: 'ml-a', Status: 'COMPLETED' });
    const io = memoryIo(env, { clock });
    const code = await run(['--min-delay', '5s', '--max-delay', '5s', 'ml-a', 'bp-nope'], io);
    expect(code).toBe(3);
    expect(io.stderr.text().split('\n')).toEqual([
      `Waiting for 2 batch predictions at ${emu.endpoint}/ (us-east-1)`,
      'ml-a: not found yet (request 1); asking again in 5.0 s',
      'bp-nope: not found yet (request 1); asking again in 5.0 s',
      'ml-a: not found yet (request 2); asking again in 5.0 s',
      'bp-nope: not found yet (request 2); asking again in 5.0 s',
      'ml-a: not found yet (request 3); asking again in 5.0 s',
      'bp-nope: not found yet (request 3); asking again in 5.0 s',
      'ml-a: not found: no batch prediction has this id (4 requests after 15.0 s of waiting); ml-a is an ML model (COMPLETED): use --kind ml-model.',
      'bp-nope: not found: no batch prediction has this id (4 requests after 15.0 s of waiting).',
      '',
    ]);
    expect(io.stdout.text()).toBe(
      [
        'ID       STATUS     ELAPSED  RECORDS  MESSAGE',
        'ml-a     not found  15.0 s   -        not found; ml-a is an ML model (COMPLETED): use --kind ml-model',
        'bp-nope  not found  15.0 s   -        not found',
        '',
      ].join('\n'),
    );
    // 4 Get… of its kind within the 15 s grace, then one Get… per other kind.
    expect(requestsFor('ml-a')).toBe(4 + 3);
    expect(requestsFor('bp-nope')).toBe(4 + 3);
    // --json says it too, in the result line.
    const json = memoryIo(env, { clock });
    expect(await run(['--json', '--quiet', '--min-delay', '5s', '--max-delay', '5s', 'ml-a'], json)).toBe(3);
    expect(parseJsonLines(json.stdout.text())).toEqual([
      expect.objectContaining({
        type: 'result',
        id: 'ml-a',
        status: null,
        attempts: 4,
        foundAs: { kind: 'MLModel', status: 'COMPLETED' },
        exitCode: 3,
      }),
    ]);
  });

  test('the table fits 120 columns off a terminal: a long message is cut there, and is whole on stderr', async () => {
    const reason = `The input data location s3://bucket/${'x'.repeat(80)}.csv does not exist`;
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-long', Status: 'FAILED', Message: reason });
    const io = memoryIo(env, { clock });
    expect(await run(['bp-long'], io)).toBe(1);
    const [header, row] = io.stdout.text().split('\n');
    expect(header).toBe('ID       STATUS  ELAPSED  RECORDS  MESSAGE');
    expect(row).toHaveLength(120);
    expect(row).toBe(`bp-long  FAILED  0 ms     -        ${reason.slice(0, 120 - 35 - 1)}…`);
    expect(io.stderr.text()).toContain(`\nbp-long: FAILED: ${reason}; seen after 0 ms of waiting.\n`);
  });

  test('colours: off for a non-terminal, FORCE_COLOR turns them on, NO_COLOR wins over it, --color wins over both', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-1', Status: 'COMPLETED' });
    const outputs: string[] = [];
    for (const [extra, flags] of [
      [{}, []],
      [{ FORCE_COLOR: '1' }, []],
      [{ FORCE_COLOR: '1', NO_COLOR: '1' }, []],
      [{ NO_COLOR: '1' }, ['--color']],
      [{ FORCE_COLOR: '1' }, ['--no-color']],
    ] as const) {
      const io = memoryIo({ ...env, ...extra }, { clock });
      expect(await run([...flags, 'bp-1'], io)).toBe(0);
      outputs.push(io.stdout.text() + io.stderr.text());
    }
    const hasAnsi = (text: string): boolean => text.includes('\x1b[');
    expect(outputs.map(hasAnsi)).toEqual([false, true, false, true, false]);
    expect(outputs[1]).toContain('\x1b[32mCOMPLETED\x1b[39m');
  });

  test('--help and --version on stdout with exit 0; a usage error on stderr with exit 2 and no request', async () => {
    const help = memoryIo(env);
    expect(await run(['--help'], help)).toBe(0);
    expect(help.stdout.text()).toContain('Usage: aml-wait [options] <id...>');
    expect(help.stdout.text()).toContain('124  --timeout ran out');
    expect(help.stdout.text()).toContain('exits 255');
    expect(help.stderr.text()).toBe('');

    const version = memoryIo(env);
    expect(await run(['--version'], version)).toBe(0);
    const pkg = (await import('../../package.json', { with: { type: 'json' } })) as {
      default: { version: string };
    };
    expect(version.stdout.text()).toBe(`${pkg.default.version}\n`);

    const bad = memoryIo(env);
    expect(await run(['--timeout', 'soon', 'bp-1'], bad)).toBe(2);
    expect(bad.stdout.text()).toBe('');
    expect(bad.stderr.text()).toBe(
      'aml-wait: Expected `--timeout` to be a duration such as 90s, 45m, 2h, 1h30m or 500ms (a bare number is seconds), got "soon".\n' +
        'Usage: aml-wait [options] <id...>\n',
    );
    expect(await run(['--region', 'not a region!', 'bp-1'], memoryIo(env))).toBe(2);
    expect(emu.requests()).toHaveLength(0);
  });

  test('no region configured → 3 before any request; the message says what was tried', async () => {
    const io = memoryIo(
      { ...env, AWS_REGION: undefined, HOME: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent/config' },
      { clock },
    );
    expect(await run(['--json', 'bp-1'], io)).toBe(3);
    // In the command line's words: the flag, not the library's option.
    expect(io.stderr.text()).toMatch(
      /^aml-wait: No AWS region configured for Amazon ML\. Tried: `--region` \(not set\); .*AWS_REGION.*Set `--region` or AWS_REGION/,
    );
    expect(io.stderr.text()).not.toMatch(/option/);
    expect(parseJsonLines(io.stdout.text())).toEqual([
      expect.objectContaining({
        type: 'result',
        id: 'bp-1',
        ok: false,
        exitCode: 3,
        error: expect.objectContaining({ name: 'ConfigurationError', code: 'ERR_AML_CONFIG' }) as unknown,
      }),
    ]);
    expect(emu.requests()).toHaveLength(0);

    const human = memoryIo(
      { ...env, AWS_REGION: undefined, HOME: '/nonexistent', AWS_CONFIG_FILE: '/nonexistent/config' },
      { clock },
    );
    expect(await run(['bp-1', 'bp-2'], human)).toBe(3);
    expect(human.stdout.text()).toBe('');
    expect(human.stderr.text().split('\n')).toHaveLength(2);
  });

  test('a wrong secret key → 3 (InvalidSignatureException), and no secret is ever printed', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-1', Status: 'PENDING' });
    const secret = 'wrongSecretKeyThatMustNeverBePrinted00000';
    const token = 'sessionTokenThatMustNeverBePrinted';
    for (const [flags, extra, errorType] of [
      [['--json'], {}, 'InvalidSignatureException'],
      [[], {}, 'InvalidSignatureException'],
      [['--json'], { AWS_SESSION_TOKEN: token }, 'UnrecognizedClientException'],
    ] as const) {
      const io = memoryIo({ ...env, AWS_SECRET_ACCESS_KEY: secret, ...extra }, { clock });
      expect(await run([...flags, 'bp-1'], io)).toBe(3);
      const all = io.stdout.text() + io.stderr.text();
      expect(all).toContain(errorType);
      if (flags.length > 0)
        expect(parseJsonLines(io.stdout.text())[0]).toMatchObject({ attempts: 1, exitCode: 3 });
      expect(all).not.toContain(secret);
      expect(all).not.toContain(token);
      expect(all).not.toContain(emu.credentials.secretAccessKey);
      expect(all).not.toMatch(/Signature=/);
    }
  });
});

describe('SIGINT', () => {
  test('the first interrupt cancels every wait: 130, the results printed, no request or timer left', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-a', Status: 'PENDING' });
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-b', Status: 'INPROGRESS' });
    // Real time here, so that the waits are asleep when the interrupt arrives.
    clock.setAutoAdvance(false);
    const io = memoryIo(env, { clock });
    const running = run(['--json', '--min-delay', '1h', '--max-delay', '1h', 'bp-a', 'bp-b'], io);
    while (parseJsonLines(io.stdout.text()).filter((line) => line.type === 'wait').length < 2) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    // Both sleep: one clock timer stands for their sleeps.
    expect(SleepQueue.of(clock).size).toBe(2);
    expect(clock.pendingTimers).toBe(1);
    io.interrupt();
    expect(await running).toBe(130);
    expect(io.exits).toEqual([]);
    expect(io.listeners()).toBe(0);
    expect(clock.pendingTimers).toBe(0);
    const results = parseJsonLines(io.stdout.text()).filter((line) => line.type === 'result');
    expect(
      results.map((line) => [
        line.id,
        line.status,
        line.ok,
        line.exitCode,
        (line.error as { name: string }).name,
      ]),
    ).toEqual([
      ['bp-a', 'PENDING', false, 130, 'AbortError'],
      ['bp-b', 'INPROGRESS', false, 130, 'AbortError'],
    ]);
    expect(io.stderr.text()).toBe(
      'Interrupted: cancelling the waits (press Ctrl-C again to exit at once)…\n',
    );
    const sent = emu.requests().length;
    expect(sent).toBe(2);
    clock.advance(10 * 3_600_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(emu.requests()).toHaveLength(sent);
  });

  test('an interrupt during a request cancels it; a second interrupt exits at once with 130', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-slow', Status: 'PENDING' });
    emu.addFault({ kind: 'delay', id: 'bp-slow', ms: 5000 });
    const io = memoryIo(env, { clock });
    const started = Date.now();
    const running = run(['--quiet', 'bp-slow'], io);
    await new Promise((resolve) => setTimeout(resolve, 200));
    io.interrupt();
    io.interrupt();
    expect(io.exits).toEqual([130]);
    expect(await running).toBe(130);
    expect(Date.now() - started).toBeLessThan(4000);
  });
});
