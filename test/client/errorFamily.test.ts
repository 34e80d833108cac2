import type { Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  AmazonMLClient,
  AmazonMLError,
  ClientClosedError,
  ConfigurationError,
  HttpStatusError,
  InvalidResponseError,
  NetworkError,
  RequestError,
  RequestTimeoutError,
  ResourceNotFoundException,
  ThrottlingException,
  isAmazonMLError,
  isClientClosedError,
  isConfigurationError,
  isHttpStatusError,
  isInvalidResponseError,
  isMultiWaitError,
  isNetworkError,
  isRequestError,
  isRequestTimeoutError,
  isWaiterError,
  waitForAll,
} from '../../src/index.js';
import { FleetJobError, isFleetJobError } from '../../src/bullmq/FleetJobError.js';
import {
  startCannedServer,
  TEST_CREDENTIALS,
  type CannedServer,
  type Reply,
} from './helpers/cannedServer.js';

let server: CannedServer;

beforeAll(async () => {
  server = await startCannedServer();
});
afterAll(async () => {
  await server.close();
});

function clientFor(config: Record<string, unknown> = {}): AmazonMLClient {
  return new AmazonMLClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    env: {},
    ...config,
  });
}

async function failure(call: () => Promise<unknown>): Promise<unknown> {
  return call().then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

async function failWith(reply: Reply, config: Record<string, unknown> = {}): Promise<unknown> {
  server.reply(reply);
  const client = clientFor(config);
  try {
    return await failure(() => client.getBatchPrediction('bp-1'));
  } finally {
    await client.close();
  }
}

const guards = {
  NETWORK_ERROR: isNetworkError,
  REQUEST_TIMEOUT: isRequestTimeoutError,
  CLIENT_CLOSED: isClientClosedError,
  INVALID_RESPONSE: isInvalidResponseError,
  REQUEST_ERROR: isRequestError,
  HTTP_ERROR: isHttpStatusError,
} as const;

/** Checks that exactly the guard of `code` accepts `error`. */
function expectOnlyGuard(error: unknown, code: keyof typeof guards): void {
  for (const [guardCode, guard] of Object.entries(guards))
    expect(guard(error), guardCode).toBe(guardCode === code);
}

describe('the transport failures are AmazonMLError subclasses with a stable code and a guard', () => {
  test('a connection reset → NetworkError, code NETWORK_ERROR, retryable; Node’s code stays on the cause', async () => {
    const error = await failWith((res) => res.socket?.destroy());
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toBeInstanceOf(AmazonMLError);
    expect(error).toMatchObject({ name: 'NetworkError', code: 'NETWORK_ERROR', retryable: true });
    expect(JSON.stringify((error as Error).cause, ['code'])).toMatch(/ECONNRESET|UND_ERR_SOCKET/);
    expectOnlyGuard(error, 'NETWORK_ERROR');
  });

  test('requestTimeoutMs passing → RequestTimeoutError, code REQUEST_TIMEOUT, retryable', async () => {
    const error = await failWith(() => undefined /* never answers */, { requestTimeoutMs: 50 });
    expect(error).toBeInstanceOf(RequestTimeoutError);
    expect(error).toMatchObject({ name: 'RequestTimeoutError', code: 'REQUEST_TIMEOUT', retryable: true });
    expectOnlyGuard(error, 'REQUEST_TIMEOUT');
  });

  test('a call after close() → ClientClosedError, code CLIENT_CLOSED, not retryable', async () => {
    const client = clientFor();
    await client.close();
    const error = await failure(() => client.getBatchPrediction('bp-1'));
    expect(error).toBeInstanceOf(ClientClosedError);
    expect(error).toMatchObject({ name: 'ClientClosedError', code: 'CLIENT_CLOSED', retryable: false });
    expectOnlyGuard(error, 'CLIENT_CLOSED');
  });

  test('a 200 that is not a JSON object → InvalidResponseError, code INVALID_RESPONSE, not retryable', async () => {
    const error = await failWith({ status: 200, body: '<html>ok</html>' });
    expect(error).toBeInstanceOf(InvalidResponseError);
    expect(error).toMatchObject({ name: 'InvalidResponseError', code: 'INVALID_RESPONSE', retryable: false });
    expectOnlyGuard(error, 'INVALID_RESPONSE');
  });

  test('an HTML 503 from a proxy → HttpStatusError named Http503Error, code HTTP_ERROR, retryable', async () => {
    const error = await failWith({
      status: 503,
      headers: { 'content-type': 'text/html' },
      body: '<html><body>Service Unavailable</body></html>',
    });
    expect(error).toBeInstanceOf(HttpStatusError);
    expect(error).toMatchObject({
      name: 'Http503Error',
      code: 'HTTP_ERROR',
      statusCode: 503,
      retryable: true,
    });
    expectOnlyGuard(error, 'HTTP_ERROR');
    const forbidden = await failWith({
      status: 403,
      headers: { 'content-type': 'text/html' },
      body: '<p>no</p>',
    });
    expect(forbidden).toMatchObject({ name: 'Http403Error', code: 'HTTP_ERROR', retryable: false });
  });

  test('any other transport failure → RequestError, code REQUEST_ERROR, not retryable', async () => {
    const failing = {
      request: () => Promise.reject(new Error('unused')),
      dispatch: () => {
        throw new Error('this dispatcher is broken');
      },
    } as unknown as Dispatcher;
    const error = await failWith({ body: {} }, { dispatcher: failing });
    expect(error).toBeInstanceOf(RequestError);
    expect(error).toMatchObject({ name: 'RequestError', code: 'REQUEST_ERROR', retryable: false });
    expect((error as Error).cause).toMatchObject({ message: 'this dispatcher is broken' });
    expectOnlyGuard(error, 'REQUEST_ERROR');
  });

  test('a service error’s code is its error type; isAmazonMLError narrows by code', async () => {
    const error = await failWith({
      status: 400,
      headers: { 'x-amzn-errortype': 'ThrottlingException' },
      body: { __type: 'ThrottlingException', message: 'slow down' },
    });
    expect(error).toBeInstanceOf(ThrottlingException);
    expect(error).toMatchObject({
      name: 'ThrottlingException',
      code: 'ThrottlingException',
      throttling: true,
    });
    expect(isAmazonMLError(error, 'ThrottlingException')).toBe(true);
    expect(isAmazonMLError(error, 'ResourceNotFoundException')).toBe(false);
    for (const guard of Object.values(guards)) expect(guard(error)).toBe(false);
    const unknown = await failWith({ status: 400, body: { __type: 'BrandNewException', message: 'new' } });
    expect(unknown).toMatchObject({ name: 'BrandNewException', code: 'BrandNewException' });
    expect(Object.getPrototypeOf(unknown)).toBe(AmazonMLError.prototype);
  });

  test('the classes come from one factory: own name, fixed code, instanceof their base', () => {
    const notFound = new ResourceNotFoundException('gone', { statusCode: 404 });
    expect(ResourceNotFoundException.name).toBe('ResourceNotFoundException');
    expect(notFound).toMatchObject({ name: 'ResourceNotFoundException', code: 'ResourceNotFoundException' });
    expect(notFound).toBeInstanceOf(AmazonMLError);
    expect(NetworkError.name).toBe('NetworkError');
    expect(new NetworkError('down').retryable).toBe(true);
    expect(new NetworkError('down', { retryable: false }).retryable).toBe(false);
    expect(new ClientClosedError('closed').retryable).toBe(false);
    expect(new ResourceNotFoundException('x').toJSON()).toMatchObject({ code: 'ResourceNotFoundException' });
  });
});

describe('every root has a code and a brand guard that works across copies of the package', () => {
  // What an instance made by a second copy of the package looks like: another class, same brand and code.
  function fromAnotherCopy(name: string, fields: Record<string, unknown>): Error {
    const error = new Error(`from another copy: ${name}`);
    error.name = name;
    return Object.assign(error, fields);
  }

  test.each([
    ['AmazonMLError', isAmazonMLError, { isAmazonMLError: true, code: 'ThrottlingException' }],
    ['NetworkError', isNetworkError, { isAmazonMLError: true, code: 'NETWORK_ERROR' }],
    ['ConfigurationError', isConfigurationError, { isAmlConfigurationError: true, code: 'ERR_AML_CONFIG' }],
    ['WaitTimeoutError', isWaiterError, { isAmlWaiterError: true, code: 'WAIT_TIMEOUT' }],
    ['MultiWaitError', isMultiWaitError, { isAmlMultiWaitError: true, code: 'MULTI_WAIT_FAILED' }],
    ['FleetJobError', isFleetJobError, { isAmlFleetJobError: true, code: 'FLEET_JOB_FAILED' }],
  ] as const)('%s: brand + code accepted; name alone, or a wrong code, is not', (name, guard, fields) => {
    expect(guard(fromAnotherCopy(name, fields))).toBe(true);
    expect(guard(fromAnotherCopy(name, {}))).toBe(false);
    expect(guard(fromAnotherCopy(name, { ...fields, code: 42 }))).toBe(false);
    expect(guard(null)).toBe(false);
    expect(guard('NetworkError')).toBe(false);
  });

  test('real instances carry their code and pass their guard', async () => {
    const config = new ConfigurationError('no region');
    expect(config.code).toBe('ERR_AML_CONFIG');
    expect(isConfigurationError(config)).toBe(true);
    const fleet = new FleetJobError('BatchPrediction.bp-1', 'stalled');
    expect(fleet.code).toBe('FLEET_JOB_FAILED');
    expect(isFleetJobError(fleet)).toBe(true);
    expect(isFleetJobError(new Error('FleetJobError'))).toBe(false);
    // A group wait whose every poll is denied: a real MultiWaitError.
    const client = clientFor();
    server.reply({ status: 400, body: { __type: 'AccessDeniedException', message: 'no' } });
    const multi = await failure(() => waitForAll('BatchPrediction', ['bp-1', 'bp-2'], { client }));
    await client.close();
    expect(multi).toMatchObject({ code: 'MULTI_WAIT_FAILED' });
    expect(isMultiWaitError(multi)).toBe(true);
    expect(isAmazonMLError(multi)).toBe(false);
  });
});
