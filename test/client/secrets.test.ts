import { inspect } from 'node:util';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockAgent } from 'undici';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { AmazonMLClient, type AmazonMLClientConfig } from '../../src/client/AmazonMLClient.js';
import { startCannedServer, type CannedServer, type Reply } from './helpers/cannedServer.js';

const SECRET = 'SeCrEt/Key+ThatMustNeverLeak0123456789ab';
const TOKEN = 'SessionTokenThatMustNeverLeak-FwoGZXIvYXdzE';
const FILE_SECRET = 'FileSecretThatMustNeverLeak-abcdef';
const CREDENTIALS = { accessKeyId: 'AKIDLEAKTEST', secretAccessKey: SECRET, sessionToken: TOKEN };

let server: CannedServer;
let home: string;
const produced: unknown[] = [];
const logLines: unknown[] = [];
const logger = {
  debug: (bindings: Record<string, unknown>, message?: string) => logLines.push([bindings, message]),
  info: (bindings: Record<string, unknown>, message?: string) => logLines.push([bindings, message]),
  warn: (bindings: Record<string, unknown>, message?: string) => logLines.push([bindings, message]),
  error: (bindings: Record<string, unknown>, message?: string) => logLines.push([bindings, message]),
};

beforeAll(async () => {
  server = await startCannedServer();
  home = mkdtempSync(join(tmpdir(), 'aml-secrets-'));
  mkdirSync(join(home, '.aws'));
  writeFileSync(
    join(home, '.aws', 'credentials'),
    `[half]\naws_secret_access_key = ${FILE_SECRET}\n[full]\naws_access_key_id = AKIDFILE\naws_secret_access_key = ${FILE_SECRET}\naws_session_token = ${TOKEN}\n`,
  );
});
afterAll(async () => {
  await server.close();
  rmSync(home, { recursive: true, force: true });
});

async function capture(run: () => unknown): Promise<void> {
  try {
    await run();
    produced.push(new Error('no error was produced'));
  } catch (error) {
    produced.push(error);
  }
}

function make(config: AmazonMLClientConfig = {}): AmazonMLClient {
  return new AmazonMLClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: CREDENTIALS,
    logger,
    env: { HOME: home },
    ...config,
  });
}

/** Every rendering of a value a user, a log pipeline or a test report could see. */
function renderings(value: unknown): string[] {
  const out = [
    inspect(value, { depth: Infinity, showHidden: true }),
    inspect(value, { depth: Infinity, customInspect: false, showHidden: true }),
    String(value),
  ];
  try {
    out.push((JSON.stringify(value) as string | undefined) ?? ''); // eslint-disable-line @typescript-eslint/no-unnecessary-type-assertion -- undefined for functions/symbols
  } catch {
    out.push('');
  }
  if (value instanceof Error) {
    out.push(value.message, value.stack ?? '');
    for (const key of Object.getOwnPropertyNames(value))
      out.push(inspect((value as unknown as Record<string, unknown>)[key], { depth: Infinity }));
  }
  return out;
}

describe('no secret in any error, log line, inspect or JSON output', () => {
  test('produce every kind of failure the client has', async () => {
    const errorReplies: Reply[] = [
      {
        status: 404,
        body: { __type: 'ResourceNotFoundException', message: 'No BatchPrediction found with id bp-1' },
      },
      {
        status: 400,
        headers: { 'x-amzn-errortype': 'InvalidSignatureException', date: new Date(0).toUTCString() },
        body: { __type: 'InvalidSignatureException', message: 'Signature expired' },
      },
      {
        status: 400,
        body: {
          __type: 'ExpiredTokenException',
          message: 'The security token included in the request is expired',
        },
      },
      { status: 403, body: { __type: 'AccessDeniedException', message: 'no' } },
      {
        status: 400,
        body: {
          __type: 'UnrecognizedClientException',
          message: 'The security token included in the request is invalid.',
        },
      },
      { status: 503, headers: { 'content-type': 'text/html' }, body: '<html>503</html>' },
      { status: 500, body: '' },
      { status: 200, body: 'not json' },
      (res) => res.socket?.destroy(),
    ];
    for (const reply of errorReplies) {
      server.reply(reply);
      const client = make();
      await capture(() => client.getBatchPrediction('bp-1'));
      await client.close();
    }
    // Timeout and abort.
    server.reply(() => undefined);
    const slow = make({ requestTimeoutMs: 30 });
    await capture(() => slow.getBatchPrediction('bp-1'));
    const controller = new AbortController();
    const pending = slow.getBatchPrediction('bp-1', { signal: controller.signal });
    setTimeout(() => {
      controller.abort();
    }, 5);
    await capture(() => pending);
    await slow.close();
    await capture(() => slow.getBatchPrediction('bp-1')); // closed
    // MockAgent network error.
    const mock = new MockAgent();
    mock.disableNetConnect();
    mock.get('https://ml.test').intercept({ path: '/', method: 'POST' }).replyWithError(new Error('boom'));
    await capture(() => make({ endpoint: 'https://ml.test', dispatcher: mock }).getBatchPrediction('bp-1'));
    await capture(() => make({ endpoint: 'https://ml.test', dispatcher: mock }).getMLModel('m-1'));
    await mock.close();
    // Configuration errors.
    await capture(() =>
      make({ credentials: () => Promise.reject(new Error('provider down')) }).getBatchPrediction('b'),
    );
    await capture(() =>
      make({
        credentials: () => Promise.resolve({ accessKeyId: 5, secretAccessKey: SECRET } as never),
      }).getBatchPrediction('b'),
    );
    // A profile with half its keys reaches the AWS SDK's chain, which reads this process's environment: it
    // must not probe the EC2 instance metadata address.
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    await capture(() => make({ credentials: undefined, profile: 'half' }).getBatchPrediction('b'));
    vi.unstubAllEnvs();
    await capture(() =>
      make({
        credentials: undefined,
        region: undefined,
        env: { HOME: home, AWS_PROFILE: 'full' },
      }).resolveConfig(),
    );
    // Validation errors.
    await capture(
      () =>
        new AmazonMLClient({
          credentials: { accessKeyId: 'A', secretAccessKey: 5 as never, sessionToken: TOKEN },
        }),
    );
    await capture(() => new AmazonMLClient({ credentials: { accessKeyId: SECRET, secretAccessKey: '' } }));
    await capture(() => new AmazonMLClient({ credentials: { ...CREDENTIALS, sessionToken: 5 as never } }));
    await capture(() => make().getBatchPrediction('bad id!'));
    expect(produced.length).toBeGreaterThanOrEqual(22);
    expect(produced.every((e) => e instanceof Error || typeof e === 'object')).toBe(true);
    expect(server.requests.length).toBeGreaterThan(0);
  });

  test('the secret key, session token and signatures appear nowhere', async () => {
    const client = make({ credentials: undefined, env: { HOME: home, AWS_PROFILE: 'full' } });
    server.reply({ body: {} });
    await client.getBatchPrediction('bp-1');
    const signatures = server.requests
      .map((r) => /Signature=([0-9a-f]{64})/.exec(String(r.headers.authorization))?.[1])
      .filter((s): s is string => s !== undefined);
    expect(signatures.length).toBeGreaterThan(5);
    const forbidden = [SECRET, TOKEN, FILE_SECRET, ...signatures];
    const texts = [
      ...produced.flatMap(renderings),
      ...logLines.flatMap(renderings),
      ...renderings(client),
      ...renderings(make()),
      inspect(client, { showHidden: true, depth: Infinity, customInspect: false }),
    ];
    const checked = texts;
    for (const text of checked) {
      for (const secret of forbidden) expect(text).not.toContain(secret);
    }
    expect(checked.length).toBeGreaterThan(100);
    await client.close();
  });

  test('util.inspect and JSON.stringify of a client show only endpoint, region and state', () => {
    const client = make();
    expect(JSON.parse(JSON.stringify(client))).toEqual({
      endpoint: `${server.endpoint}/`,
      region: 'us-east-1',
      closed: false,
    });
    expect(inspect(client, { breakLength: Infinity })).toBe(
      `AmazonMLClient { endpoint: '${server.endpoint}/', region: 'us-east-1', closed: false }`,
    );
    expect(Object.keys(client)).toEqual([]);
  });
});
