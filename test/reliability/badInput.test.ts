import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import { isConfigurationError } from '../../src/client/ConfigurationError.js';
import { run } from '../../src/cli/run.js';
import type { Emulator } from '../../src/emulator/Emulator.js';
import { startEmulator } from '../../src/emulator/startEmulator.js';
import type { ResourceKind } from '../../src/model/ResourceKind.js';
import {
  createBatchPredictionWaiter,
  waitForBatchPrediction,
  watchBatchPrediction,
} from '../../src/waiter/batchPrediction.js';
import { createDataSourceWaiter, waitForDataSource, watchDataSource } from '../../src/waiter/dataSource.js';
import { createEvaluationWaiter, waitForEvaluation, watchEvaluation } from '../../src/waiter/evaluation.js';
import { createMLModelWaiter, waitForMLModel, watchMLModel } from '../../src/waiter/mlModel.js';
import { resumeWait, resumeWaiter, resumeWatch } from '../../src/waiter/resume.js';
import { createWaiter } from '../../src/waiter/Waiter.js';
import { waitFor } from '../../src/waiter/waitFor.js';
import { waitForAll, waitForAny } from '../../src/waiter/waitForMany.js';
import { WaitRequestError } from '../../src/waiter/WaitRequestError.js';
import type { WaitOptions } from '../../src/waiter/WaitOptions.js';
import { watch } from '../../src/waiter/watch.js';
import { memoryIo } from '../cli/helpers/memoryIo.js';
import { writeFigures } from './helpers/figures.js';
import { CHAOS_CREDENTIALS, SecretScanner } from './helpers/secretScan.js';

/**
 * The bad-input table (issue #8): every public entry point, given a bad id, option, duration, URL,
 * region, credential or CLI flag, fails with a typed error (TypeError, RangeError or a documented typed
 * error) whose message names the field in backticks and echoes the value (credentials: only the type,
 * never a secret), and sends no request.
 */

interface Row {
  /** What is wrong, for the test title. */
  readonly name: string;
  /** The field the message must name, in backticks. */
  readonly field: string;
  /** Text of the bad value the message must echo (`null`: a secret, which must *not* appear). */
  readonly echo: string | null;
  /** Calls the entry point: it may throw, return a rejecting promise, or an Observable that errors. */
  readonly call: (ctx: Context) => unknown;
}

interface Context {
  readonly emulator: Emulator;
  /** Options that would reach the emulator if a request were sent. */
  readonly ok: WaitOptions;
}

let emulator: Emulator;
const requestsBefore = (): number => emulator.counters().requests;

/** Runs `call` and returns what it failed with (`undefined` if it did not fail). */
async function failureOf(call: () => unknown): Promise<unknown> {
  let value: unknown;
  try {
    value = call();
  } catch (error) {
    return error;
  }
  if (value instanceof Promise)
    return value.then(
      () => undefined,
      (error: unknown) => error,
    );
  // An Observable (watch…): its error arrives on subscribe.
  if (typeof value === 'object' && value !== null && 'subscribe' in value) {
    return new Promise((resolve) => {
      (value as { subscribe: (o: object) => { unsubscribe(): void } }).subscribe({
        error: resolve,
        complete: () => {
          resolve(undefined);
        },
      });
    });
  }
  return undefined;
}

const waitFaces: readonly [string, (id: string, options?: WaitOptions) => unknown][] = [
  ['waitForBatchPrediction', waitForBatchPrediction],
  ['watchBatchPrediction', watchBatchPrediction],
  ['createBatchPredictionWaiter', createBatchPredictionWaiter],
  ['waitForDataSource', waitForDataSource],
  ['watchDataSource', watchDataSource],
  ['createDataSourceWaiter', createDataSourceWaiter],
  ['waitForMLModel', waitForMLModel],
  ['watchMLModel', watchMLModel],
  ['createMLModelWaiter', createMLModelWaiter],
  ['waitForEvaluation', waitForEvaluation],
  ['watchEvaluation', watchEvaluation],
  ['createEvaluationWaiter', createEvaluationWaiter],
  ['waitFor', (id, o) => waitFor('BatchPrediction', id, o)],
  ['watch', (id, o) => watch('BatchPrediction', id, o)],
  ['createWaiter', (id, o) => createWaiter('BatchPrediction', id, o)],
  ['waitForAll', (id, o) => waitForAll('BatchPrediction', [id], o)],
  ['waitForAny', (id, o) => waitForAny('BatchPrediction', [id], o)],
];

const badIds: readonly [string, unknown, string][] = [
  ['empty id', '', '""'],
  ['id with a space', 'bp 1', 'bp 1'],
  ['id of 65 characters', 'b'.repeat(65), 'b'.repeat(65)],
  ['id that is a number', 42, '42'],
  ['id that is null', null, 'null'],
];

/** Bad wait options: [name, field, echo, options]. */
const badOptions: readonly [string, string, string, Record<string, unknown>][] = [
  ['negative timeoutMs', 'timeoutMs', '-1', { timeoutMs: -1 }],
  ['NaN timeoutMs', 'timeoutMs', 'NaN', { timeoutMs: NaN }],
  ['timeoutMs as a string', 'timeoutMs', '1h', { timeoutMs: '1h' }],
  ['zero timeoutMs', 'timeoutMs', '0', { timeoutMs: 0 }],
  ['infinite timeoutMs', 'timeoutMs', 'Infinity', { timeoutMs: Infinity }],
  ['timeoutMs beyond setTimeout', 'timeoutMs', '1e+300', { timeoutMs: 1e300 }],
  ['negative minDelayMs', 'minDelayMs', '-5', { minDelayMs: -5 }],
  ['maxDelayMs below minDelayMs', 'maxDelayMs', '10', { minDelayMs: 1000, maxDelayMs: 10 }],
  ['maxDelayMs as a string', 'maxDelayMs', 'fast', { maxDelayMs: 'fast' }],
  ['negative notFoundGraceMs', 'notFoundGraceMs', '-1', { notFoundGraceMs: -1 }],
  ['retry that is a number', 'retry', '3', { retry: 3 }],
  ['fractional retry.retries', 'retry.retries', '1.5', { retry: { retries: 1.5 } }],
  ['negative retry.retries', 'retry.retries', '-1', { retry: { retries: -1 } }],
  ['negative retry.minTimeoutMs', 'retry.minTimeoutMs', '-1', { retry: { minTimeoutMs: -1 } }],
  [
    'retry.maxTimeoutMs below minTimeoutMs',
    'retry.maxTimeoutMs',
    '5',
    { retry: { minTimeoutMs: 100, maxTimeoutMs: 5 } },
  ],
  ['signal that is not an AbortSignal', 'signal', 'object', { signal: { aborted: false, reason: 'abort' } }],
  ['logger without methods', 'logger.debug', 'undefined', { logger: {} }],
  ['clock without methods', 'clock.now', '1', { clock: { now: 1 } }],
  ['random that is not a function', 'random', '0.5', { random: 0.5 }],
  ['backoff that is not a function', 'backoff', '"linear"', { backoff: 'linear' }],
  ['unknown polling mode', 'polling', 'sometimes', { polling: 'sometimes' }],
  ['client that is a string', 'client', 'http://127.0.0.1', { client: 'http://127.0.0.1' }],
  // The client config given as `client` is validated before any request too.
  ['client.endpoint that is not a URL', 'endpoint', 'not a url', { client: { endpoint: 'not a url' } }],
  ['client.endpoint with ftp:', 'endpoint', 'ftp://127.0.0.1', { client: { endpoint: 'ftp://127.0.0.1' } }],
  ['client.region that is not a region', 'region', 'Mars-1', { client: { region: 'Mars-1' } }],
  ['client.requestTimeoutMs of 0', 'requestTimeoutMs', '0', { client: { requestTimeoutMs: 0 } }],
  ['client.requestTimeoutMs as text', 'requestTimeoutMs', '5s', { client: { requestTimeoutMs: '5s' } }],
  ['client.dispatcher that is not one', 'dispatcher', 'an object', { client: { dispatcher: {} } }],
  [
    'client.maxConcurrentRequests of 0',
    'maxConcurrentRequests',
    '0',
    { client: { maxConcurrentRequests: 0 } },
  ],
  [
    'client.maxConcurrentRequests of 2.5',
    'maxConcurrentRequests',
    '2.5',
    { client: { maxConcurrentRequests: 2.5 } },
  ],
  [
    'client.maxRequestsPerSecond of -1',
    'maxRequestsPerSecond',
    '-1',
    { client: { maxRequestsPerSecond: -1 } },
  ],
];

function table(): Row[] {
  const rows: Row[] = [];
  for (const [face, fn] of waitFaces) {
    for (const [what, id, echo] of badIds) {
      // waitForAll/waitForAny name the element of `ids`.
      const field = face.startsWith('waitForA') ? 'ids[0]' : 'id';
      rows.push({ name: `${face}: ${what}`, field, echo, call: (c) => fn(id as string, c.ok) });
    }
    for (const [what, field, echo, options] of badOptions) {
      rows.push({
        name: `${face}: ${what}`,
        field,
        echo,
        call: (c) => fn('bp-ok', { ...c.ok, ...options }),
      });
    }
    rows.push({
      name: `${face}: options that are a string`,
      field: 'options',
      echo: 'fast',
      call: () => fn('bp-ok', 'fast' as unknown as WaitOptions),
    });
  }
  // The generic entry points: a bad kind.
  const badKind = 'Model' as ResourceKind;
  rows.push(
    { name: 'waitFor: unknown kind', field: 'kind', echo: 'Model', call: (c) => waitFor(badKind, 'x', c.ok) },
    { name: 'watch: unknown kind', field: 'kind', echo: 'Model', call: (c) => watch(badKind, 'x', c.ok) },
    {
      name: 'createWaiter: unknown kind',
      field: 'kind',
      echo: 'Model',
      call: (c) => createWaiter(badKind, 'x', c.ok),
    },
    {
      name: 'waitFor: checkpoint option that is not JSON',
      field: 'checkpoint',
      echo: '{nope',
      call: (c) => waitFor('BatchPrediction', 'bp-ok', { ...c.ok, checkpoint: '{nope' }),
    },
    {
      name: 'waitForAll: ids that are a string',
      field: 'ids',
      echo: 'bp-1',
      call: (c) => waitForAll('BatchPrediction', 'bp-1' as unknown as string[], c.ok),
    },
    {
      name: 'waitForAny: empty ids',
      field: 'ids',
      echo: 'empty array',
      call: (c) => waitForAny('BatchPrediction', [], c.ok),
    },
    {
      name: 'waitForAll: one bad id among good ones',
      field: 'ids[1]',
      echo: 'no way',
      call: (c) => waitForAll('BatchPrediction', ['bp-ok', 'no way'], c.ok),
    },
  );
  // Checkpoints.
  for (const [name, fn] of [
    ['resumeWait', resumeWait],
    ['resumeWatch', resumeWatch],
    ['resumeWaiter', resumeWaiter],
  ] as const) {
    rows.push(
      {
        name: `${name}: checkpoint that is not JSON`,
        field: 'checkpoint',
        echo: '{"version":',
        call: (c) => fn('{"version":', c.ok),
      },
      {
        name: `${name}: checkpoint of an unknown version`,
        field: 'checkpoint.version',
        echo: '99',
        call: (c) => fn({ version: 99, kind: 'BatchPrediction', id: 'bp-ok' } as never, c.ok),
      },
    );
  }
  // The client: constructor config and per-call ids.
  const cfg = (c: Context, extra: Record<string, unknown>) => () =>
    new AmazonMLClient({
      endpoint: c.emulator.endpoint,
      region: c.emulator.region,
      credentials: { ...CHAOS_CREDENTIALS },
      ...extra,
    });
  rows.push(
    {
      name: 'new AmazonMLClient: endpoint not a URL',
      field: 'endpoint',
      echo: '::',
      call: (c) => cfg(c, { endpoint: '::' })(),
    },
    {
      name: 'new AmazonMLClient: endpoint with file:',
      field: 'endpoint',
      echo: 'file:///etc/passwd',
      call: (c) => cfg(c, { endpoint: 'file:///etc/passwd' })(),
    },
    {
      name: 'new AmazonMLClient: region with spaces',
      field: 'region',
      echo: 'us east 1',
      call: (c) => cfg(c, { region: 'us east 1' })(),
    },
    {
      name: 'new AmazonMLClient: region as a number',
      field: 'region',
      echo: '1',
      call: (c) => cfg(c, { region: 1 })(),
    },
    {
      name: 'new AmazonMLClient: negative requestTimeoutMs',
      field: 'requestTimeoutMs',
      echo: '-1',
      call: (c) => cfg(c, { requestTimeoutMs: -1 })(),
    },
    {
      name: 'new AmazonMLClient: maxConcurrentRequests as text',
      field: 'maxConcurrentRequests',
      echo: '8',
      call: (c) => cfg(c, { maxConcurrentRequests: '8' })(),
    },
    {
      name: 'new AmazonMLClient: profile as a number',
      field: 'profile',
      echo: '7',
      call: (c) => cfg(c, { profile: 7 })(),
    },
    {
      name: 'new AmazonMLClient: credentials as a string',
      field: 'credentials',
      echo: 'string',
      call: (c) => cfg(c, { credentials: 'AKID:SECRET' })(),
    },
    {
      name: 'new AmazonMLClient: credentials.accessKeyId missing',
      field: 'credentials.accessKeyId',
      echo: 'undefined',
      call: (c) => cfg(c, { credentials: { secretAccessKey: CHAOS_CREDENTIALS.secretAccessKey } })(),
    },
    {
      name: 'new AmazonMLClient: credentials.secretAccessKey a number (type only, never the value)',
      field: 'credentials.secretAccessKey',
      echo: 'number',
      call: (c) => cfg(c, { credentials: { accessKeyId: 'AKIA', secretAccessKey: 12345 } })(),
    },
    {
      name: 'new AmazonMLClient: credentials.sessionToken a number',
      field: 'credentials.sessionToken',
      echo: 'number',
      call: (c) =>
        cfg(c, {
          credentials: {
            accessKeyId: 'AKIA',
            secretAccessKey: CHAOS_CREDENTIALS.secretAccessKey,
            sessionToken: 1,
          },
        })(),
    },
    {
      name: 'new AmazonMLClient: empty secretAccessKey, the access key id well formed',
      field: 'credentials.secretAccessKey',
      echo: null,
      call: (c) => cfg(c, { credentials: { accessKeyId: 'AKIA', secretAccessKey: '' } })(),
    },
    {
      name: 'new AmazonMLClient: logger a string',
      field: 'logger',
      echo: 'console',
      call: (c) => cfg(c, { logger: 'console' })(),
    },
    {
      name: 'new AmazonMLClient: wallClock a number',
      field: 'wallClock',
      echo: '0',
      call: (c) => cfg(c, { wallClock: 0 })(),
    },
    {
      name: 'client.getBatchPrediction: bad id',
      field: 'id',
      echo: '../etc',
      call: async (c) => {
        const client = cfg(c, {})();
        try {
          return await client.getBatchPrediction('../etc');
        } finally {
          await client.close();
        }
      },
    },
    {
      name: 'client.get: unknown kind',
      field: 'kind',
      echo: 'Bucket',
      call: async (c) => {
        const client = cfg(c, {})();
        try {
          return await client.get('Bucket' as ResourceKind, 'x');
        } finally {
          await client.close();
        }
      },
    },
    {
      name: 'client.getDataSource: id too long',
      field: 'id',
      echo: 'd'.repeat(70),
      call: async (c) => {
        const client = cfg(c, {})();
        try {
          return await client.getDataSource('d'.repeat(70));
        } finally {
          await client.close();
        }
      },
    },
  );
  // The emulator's options.
  const emu = (options: Record<string, unknown>) => () => startEmulator(options);
  rows.push(
    { name: 'startEmulator: negative port', field: 'port', echo: '-1', call: emu({ port: -1 }) },
    { name: 'startEmulator: port 70000', field: 'port', echo: '70000', call: emu({ port: 70_000 }) },
    { name: 'startEmulator: empty host', field: 'host', echo: '""', call: emu({ host: '' }) },
    { name: 'startEmulator: bad region', field: 'region', echo: 'moon', call: emu({ region: 'moon' }) },
    { name: 'startEmulator: speed 0', field: 'speed', echo: '0', call: emu({ speed: 0 }) },
    {
      name: 'startEmulator: maxBodyBytes 1',
      field: 'maxBodyBytes',
      echo: '1',
      call: emu({ maxBodyBytes: 1 }),
    },
    {
      name: 'startEmulator: short control token',
      field: 'controlToken',
      echo: null,
      call: emu({ controlToken: 'short' }),
    },
  );
  return rows;
}

/** CLI flags: [name, argv, flag, echo]. */
const cliRows: readonly [string, string[], string, string][] = [
  ['--timeout that is not a duration', ['--timeout', 'soon', 'bp-1'], '--timeout', 'soon'],
  ['--timeout of 0', ['--timeout', '0', 'bp-1'], '--timeout', '0'],
  ['--timeout negative', ['--timeout=-5s', 'bp-1'], '--timeout', '-5s'],
  ['--min-delay in weeks', ['--min-delay', '2w', 'bp-1'], '--min-delay', '2w'],
  ['--max-delay below --min-delay', ['--min-delay', '10s', '--max-delay', '1s', 'bp-1'], '--max-delay', '1s'],
  ['--kind unknown', ['--kind', 'bucket', 'bp-1'], '--kind', 'bucket'],
  ['--endpoint not a URL', ['--endpoint', 'localhost:4566', 'bp-1'], '--endpoint', 'localhost:4566'],
  ['--endpoint ftp:', ['--endpoint', 'ftp://127.0.0.1', 'bp-1'], '--endpoint', 'ftp://127.0.0.1'],
  ['--region empty', ['--region', '', 'bp-1'], '--region', '""'],
  ['--region not a region', ['--region', 'Mars 1', 'bp-1'], 'region', 'Mars 1'],
  ['a bad id', ['bp 1'], '<id>', 'bp 1'],
  ['an unknown flag', ['--tiemout', '5m', 'bp-1'], '--tiemout', '--tiemout'],
];

describe('bad input: a typed error naming the field and the value, and no request', () => {
  let ctx: Context;
  const scanner = new SecretScanner();
  const figures = { rows: 0, passed: 0 };
  beforeAll(async () => {
    emulator = await startEmulator({ port: 0, credentials: [{ ...CHAOS_CREDENTIALS }] });
    emulator.put('BatchPrediction', { BatchPredictionId: 'bp-ok', Status: 'COMPLETED' });
    ctx = {
      emulator,
      ok: {
        client: {
          endpoint: emulator.endpoint,
          region: emulator.region,
          credentials: { ...CHAOS_CREDENTIALS },
        },
        minDelayMs: 10,
        maxDelayMs: 10,
        timeoutMs: 1000,
      },
    };
  });
  afterAll(async () => {
    writeFigures('badInput', figures);
    await emulator.close();
  });

  it('the options used by the table are themselves good (a wait with them completes)', async () => {
    const before = requestsBefore();
    await expect(waitForBatchPrediction('bp-ok', ctx.ok)).resolves.toMatchObject({ Status: 'COMPLETED' });
    expect(requestsBefore() - before).toBe(1);
  });

  it.each(table().map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    figures.rows++;
    const before = requestsBefore();
    const error = await failureOf(() => row.call(ctx));
    expect(error, 'it must fail').toBeInstanceOf(Error);
    const e = error as Error;
    expect(
      e instanceof TypeError || e instanceof RangeError || isConfigurationError(e),
      `${e.name}: ${e.message}`,
    ).toBe(true);
    expect(e.message).toContain(`\`${row.field}\``);
    if (row.echo !== null) expect(e.message).toContain(row.echo);
    scanner.addValue(row.name, e);
    expect(scanner.flush()).toEqual([]);
    // Nothing was sent.
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(requestsBefore() - before).toBe(0);
    figures.passed++;
  });

  const envRows: readonly [string, Record<string, string>, string, string | null][] = [
    ['AWS_REGION not a region', { AWS_REGION: 'Mars 1' }, 'AWS_REGION', 'Mars 1'],
    ['AWS_ENDPOINT_URL with ftp:', { AWS_ENDPOINT_URL: 'ftp://nope' }, 'AWS_ENDPOINT_URL', 'ftp://nope'],
    [
      'only AWS_SECRET_ACCESS_KEY set (the secret is not echoed)',
      { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: CHAOS_CREDENTIALS.secretAccessKey },
      'AWS_SECRET_ACCESS_KEY',
      null,
    ],
  ];
  it.each(envRows)(
    'configuration from the environment, %s: WaitRequestError caused by a ConfigurationError naming it, no request',
    async (_name, vars, field, echo) => {
      figures.rows++;
      const before = requestsBefore();
      const env = {
        AWS_ENDPOINT_URL: emulator.endpoint,
        AWS_REGION: emulator.region,
        AWS_ACCESS_KEY_ID: CHAOS_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CHAOS_CREDENTIALS.secretAccessKey,
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
        AWS_CONFIG_FILE: '/nonexistent/config',
        ...vars,
      };
      // A row without usable keys reaches the AWS SDK's chain, which reads this process's environment:
      // it must not probe the EC2 instance metadata address.
      vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
      const error = await waitForBatchPrediction('bp-ok', { ...ctx.ok, client: { env } })
        .catch((e: unknown) => e)
        .finally(() => vi.unstubAllEnvs());
      expect(error).toBeInstanceOf(WaitRequestError);
      const cause = (error as WaitRequestError).cause;
      expect(isConfigurationError(cause)).toBe(true);
      expect((cause as Error).message).toContain(field);
      if (echo !== null) expect((cause as Error).message).toContain(echo);
      scanner.addValue(_name, error);
      expect(scanner.flush()).toEqual([]);
      expect(requestsBefore() - before).toBe(0);
      figures.passed++;
    },
  );

  it.each(cliRows)(
    'aml-wait %s: exit 2, the flag and the value on stderr, no request',
    async (_name, argv, flag, echo) => {
      figures.rows++;
      const before = requestsBefore();
      const io = memoryIo({
        AWS_ENDPOINT_URL: emulator.endpoint,
        AWS_REGION: emulator.region,
        AWS_ACCESS_KEY_ID: CHAOS_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CHAOS_CREDENTIALS.secretAccessKey,
        AWS_SESSION_TOKEN: CHAOS_CREDENTIALS.sessionToken,
      });
      const code = await run(argv, io);
      expect(code).toBe(2);
      const stderr = io.stderr.text();
      expect(stderr).toContain(`\`${flag}\``);
      expect(stderr).toContain(echo);
      expect(io.stdout.text()).toBe('');
      scanner.addText(`cli ${argv.join(' ')}`, stderr);
      expect(scanner.flush()).toEqual([]);
      expect(requestsBefore() - before).toBe(0);
      figures.passed++;
    },
  );
});
