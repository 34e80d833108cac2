import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import { AmazonMLError, isAmazonMLError } from '../../src/client/AmazonMLError.js';
import {
  parseErrorResponse,
  retryAfterMsOf,
  sanitizeErrorType,
} from '../../src/client/parseErrorResponse.js';
import * as serviceErrors from '../../src/client/serviceErrors.js';
import { SERVICE_ERROR_CLASSES } from '../../src/client/createServiceError.js';
import {
  startCannedServer,
  TEST_CREDENTIALS,
  type CannedServer,
  type Reply,
} from './helpers/cannedServer.js';

let server: CannedServer;
let client: AmazonMLClient;

beforeAll(async () => {
  server = await startCannedServer();
  client = new AmazonMLClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    env: {},
  });
});
afterEach(() => {
  server.requests.length = 0;
});
afterAll(async () => {
  await client.close();
  await server.close();
});

async function failWith(...replies: Reply[]): Promise<AmazonMLError> {
  server.reply(...replies);
  const error = await client.getBatchPrediction('EXAMPLE-bp-x').then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(isAmazonMLError(error)).toBe(true);
  return error as AmazonMLError;
}

/** The emulator's error form (reference §10.3): header and `__type`. */
function emulatorError(status: number, type: string, message: string): Reply {
  return { status, headers: { 'x-amzn-errortype': type }, body: { __type: type, message } };
}

describe('each error form of the reference (§10.3) maps to its class and name', () => {
  test.each([
    [404, 'ResourceNotFoundException', 'No BatchPrediction found with id EXAMPLE-bp-x', false, false],
    [
      400,
      'InvalidInputException',
      'BatchPredictionId must match [a-zA-Z0-9_.-]+ and be 1-64 characters',
      false,
      false,
    ],
    [500, 'InternalServerException', 'An internal error occurred', true, false],
    [400, 'ThrottlingException', 'Rate exceeded', true, true],
    [
      400,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
      false,
      false,
    ],
    [
      400,
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
      false,
      false,
    ],
    [
      400,
      'InvalidSignatureException',
      "Credential should be scoped to correct service: 'machinelearning'. ",
      false,
      false,
    ],
    [400, 'ExpiredTokenException', 'The security token included in the request is expired', false, false],
    [400, 'MissingAuthenticationTokenException', 'Missing Authentication Token', false, false],
    [
      403,
      'AccessDeniedException',
      'Thank you for your interest in Amazon Machine Learning. AmazonML is no longer available to new customers.  Please consider using Amazon SageMaker.',
      false,
      false,
    ],
    [400, 'IdempotentParameterMismatchException', 'A second request…', false, false],
    [417, 'LimitExceededException', 'Limit exceeded', true, true],
    [400, 'IncompleteSignatureException', 'Bad header', false, false],
    [400, 'SerializationException', 'Malformed JSON', false, false],
    [400, 'UnknownOperationException', 'Unknown operation', false, false],
    [400, 'ValidationException', 'Constraint violated', false, false],
    [503, 'ServiceUnavailableException', 'Try later', true, false],
  ])('%i %s', async (status, type, message, retryable, throttling) => {
    const error = await failWith(emulatorError(status, type, message));
    const ErrorClass = SERVICE_ERROR_CLASSES.get(type)!;
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error).toBeInstanceOf(AmazonMLError);
    expect(error).toMatchObject({
      name: type,
      errorType: type,
      message,
      statusCode: status,
      requestId: 'req-123',
      operation: 'GetBatchPrediction',
      retryable,
      throttling,
      retryAfterMs: undefined,
    });
    expect((serviceErrors as Record<string, unknown>)[type]).toBe(ErrorClass);
  });

  test('every service error class is exported under its own name', () => {
    expect(SERVICE_ERROR_CLASSES.size).toBe(16);
    for (const [name, ErrorClass] of SERVICE_ERROR_CLASSES) {
      expect(ErrorClass.name).toBe(name);
      expect(new ErrorClass('m').name).toBe(name);
    }
  });
});

describe('error type lookup (§5.2) and quirks (§10.5)', () => {
  test('(a) type only in __type', async () => {
    const error = await failWith({
      status: 404,
      body: { __type: 'ResourceNotFoundException', message: 'gone' },
    });
    expect(error).toBeInstanceOf(serviceErrors.ResourceNotFoundException);
  });

  test('(b) type only in the header; `Message` is accepted as the message', async () => {
    const error = await failWith({
      status: 404,
      headers: {
        'x-amzn-errortype':
          'ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.validate/',
      },
      body: { Message: 'gone' },
    });
    expect(error).toBeInstanceOf(serviceErrors.ResourceNotFoundException);
    expect(error.message).toBe('gone');
  });

  test('(c) a fully qualified type is sanitised', async () => {
    const error = await failWith({
      status: 404,
      body: {
        __type:
          'com.amazonaws.machinelearning#ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.validate/',
        message: 'gone',
      },
    });
    expect(error.name).toBe('ResourceNotFoundException');
  });

  test('(d) a numeric `code` never becomes the name, whichever side carries the type', async () => {
    const bodyOnly = await failWith({
      status: 404,
      body: { __type: 'ResourceNotFoundException', message: 'x', code: 0 },
    });
    expect(bodyOnly.name).toBe('ResourceNotFoundException');
    const headerOnly = await failWith({
      status: 404,
      headers: { 'x-amzn-errortype': 'ResourceNotFoundException' },
      body: { message: 'x', code: 0 },
    });
    expect(headerOnly.name).toBe('ResourceNotFoundException');
    const codeOnly = await failWith({ status: 400, body: { message: 'x', code: 0 } });
    expect(codeOnly.name).toBe('Http400Error');
  });

  test('__type wins over the header, the header over a string `code`', async () => {
    expect(
      (
        await failWith({
          status: 400,
          headers: { 'x-amzn-errortype': 'ThrottlingException' },
          body: { __type: 'InvalidInputException', code: 'ValidationException' },
        })
      ).name,
    ).toBe('InvalidInputException');
    expect(
      (
        await failWith({
          status: 400,
          headers: { 'x-amzn-errortype': 'ThrottlingException' },
          body: { code: 'ValidationException' },
        })
      ).name,
    ).toBe('ThrottlingException');
    expect((await failWith({ status: 400, body: { code: 'ValidationException', message: 'm' } })).name).toBe(
      'ValidationException',
    );
  });

  test('an unknown type is a base AmazonMLError named after it', async () => {
    const error = await failWith({
      status: 400,
      body: { __type: 'aws.foo#BrandNewException', message: 'new' },
    });
    expect(Object.getPrototypeOf(error)).toBe(AmazonMLError.prototype);
    expect(error).toMatchObject({
      name: 'BrandNewException',
      message: 'new',
      retryable: false,
      statusCode: 400,
    });
  });

  test('a known throttling name without a class is still throttling', async () => {
    const error = await failWith({ status: 400, body: { __type: 'RequestLimitExceeded' } });
    expect(error).toMatchObject({ name: 'RequestLimitExceeded', retryable: true, throttling: true });
    expect(error.message).toBe('GetBatchPrediction failed with RequestLimitExceeded (HTTP 400)');
  });

  test('(e) Retry-After in seconds, as an HTTP date, and x-amz-retry-after in ms', async () => {
    const throttle = (headers: Record<string, string>): Reply => ({
      status: 400,
      headers: { 'x-amzn-errortype': 'ThrottlingException', ...headers },
      body: { __type: 'ThrottlingException', message: 'Rate exceeded' },
    });
    expect((await failWith(throttle({ 'retry-after': '3' }))).retryAfterMs).toBe(3000);
    expect((await failWith(throttle({ 'x-amz-retry-after': '1500' }))).retryAfterMs).toBe(1500);
    expect((await failWith(throttle({ 'retry-after': 'soon' }))).retryAfterMs).toBeUndefined();
  });
});

describe('responses without a readable error type', () => {
  test('(f) an HTML 503 from a proxy → Http503Error, retryable, not a crash', async () => {
    const error = await failWith({
      status: 503,
      headers: { 'content-type': 'text/html; charset=utf-8', 'x-amzn-requestid': '' },
      body: '<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>',
    });
    expect(error).toMatchObject({
      name: 'Http503Error',
      statusCode: 503,
      retryable: true,
      throttling: false,
      message: 'GetBatchPrediction failed: HTTP 503 with a non-JSON body (text/html)',
    });
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  test.each([
    [500, '', 'Http500Error', true, false, 'an empty body'],
    [502, 'Bad Gateway', 'Http502Error', true, false, 'a non-JSON body'],
    [507, '{}', 'Http507Error', true, false, 'no error type'],
    [429, '', 'Http429Error', true, true, 'an empty body'],
    [400, '{"message":', 'Http400Error', false, false, 'a non-JSON body'],
    [403, '[1,2]', 'Http403Error', false, false, 'a non-JSON body'],
    [404, 'null', 'Http404Error', false, false, 'a non-JSON body'],
  ])('%i with %j → %s', async (status, body, name, retryable, throttling, what) => {
    const error = await failWith({ status, body, headers: { 'content-type': 'application/x-amz-json-1.1' } });
    expect(error).toMatchObject({ name, statusCode: status, retryable, throttling });
    expect(error.message).toContain(what);
  });
});

describe('helpers', () => {
  test.each([
    ['FooError', 'FooError'],
    ['FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/', 'FooError'],
    ['aws.protocoltests.restjson#FooError', 'FooError'],
    [
      'aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/',
      'FooError',
    ],
    ['FooError,BarError', 'FooError'],
    [' FooError ', 'FooError'],
    ['0', undefined],
    ['', undefined],
  ])('sanitizeErrorType(%j) = %j', (raw, expected) => {
    expect(sanitizeErrorType(raw)).toBe(expected);
  });

  test('retryAfterMsOf reads an HTTP date relative to now, never negative', () => {
    const now = Date.UTC(2026, 10, 27, 12, 0, 0);
    expect(retryAfterMsOf({ 'retry-after': new Date(now + 5000).toUTCString() }, now)).toBe(5000);
    expect(retryAfterMsOf({ 'retry-after': new Date(now - 5000).toUTCString() }, now)).toBe(0);
    expect(retryAfterMsOf({ 'retry-after': '1.5' }, now)).toBe(1500);
    expect(retryAfterMsOf({}, now)).toBeUndefined();
  });

  test('parseErrorResponse reads the request id from any of the three headers', () => {
    for (const header of ['x-amzn-requestid', 'x-amzn-request-id', 'x-amz-request-id']) {
      expect(parseErrorResponse('Op', 500, { [header]: 'rid' }, '', 0).requestId).toBe('rid');
    }
  });

  test('toJSON carries the useful fields and no stack', () => {
    const error = parseErrorResponse(
      'GetBatchPrediction',
      400,
      { 'retry-after': '2' },
      '{"__type":"ThrottlingException"}',
      0,
    );
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'ThrottlingException',
      code: 'ThrottlingException',
      message: 'GetBatchPrediction failed with ThrottlingException (HTTP 400)',
      statusCode: 400,
      operation: 'GetBatchPrediction',
      retryable: true,
      throttling: true,
      retryAfterMs: 2000,
    });
  });
});
