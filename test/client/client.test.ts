import aws4 from 'aws4';
import { MockAgent, Agent, Pool } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import { AmazonMLError } from '../../src/client/AmazonMLError.js';
import { parseRawHeaders } from '../../src/client/sendRequest.js';
import { ResourceNotFoundException } from '../../src/client/serviceErrors.js';
import {
  startCannedServer,
  TEST_CREDENTIALS,
  type CannedServer,
  type RecordedRequest,
} from './helpers/cannedServer.js';

const COMPLETED = {
  BatchPredictionId: 'EXAMPLE-bp-2014-09-12-15-14-04-156',
  MLModelId: 'EXAMPLE-pr-2014-09-12-15-14-04-924',
  BatchPredictionDataSourceId: 'EXAMPLE-tr-ds-2014-09-12-15-14-04-156',
  InputDataLocationS3: 's3://eml-test-EXAMPLE/data.csv',
  CreatedByIamUser: 'arn:aws:iam::123456789012:user/ml-user',
  CreatedAt: 1410560278.433,
  LastUpdatedAt: 1410560344.024,
  Name: 'EXAMPLE',
  Status: 'COMPLETED',
  OutputUri: 's3://eml-test-EXAMPLE/test-outputs/',
  LogUri:
    'https://eml-test-EXAMPLE.s3.amazonaws.com/logs/EXAMPLE-bp-2014-09-12-15-14-04-156?X-Amz-Expires=3600',
  Message: '',
  ComputeTime: 370000,
  StartedAt: 1410560290.1,
  FinishedAt: 1410560344.024,
  TotalRecordCount: 1000,
  InvalidRecordCount: 3,
};

let server: CannedServer;
const clients: AmazonMLClient[] = [];

function makeClient(extra: ConstructorParameters<typeof AmazonMLClient>[0] = {}): AmazonMLClient {
  const client = new AmazonMLClient({
    endpoint: server.endpoint,
    region: 'us-east-1',
    credentials: TEST_CREDENTIALS,
    env: {},
    ...extra,
  });
  clients.push(client);
  return client;
}

/** Recomputes the signature of a recorded request the way the emulator does (reference §7.6). */
function verifySignature(request: RecordedRequest, secretAccessKey: string): boolean {
  const auth = String(request.headers.authorization);
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (match === null) return false;
  const [, accessKeyId, , region, service, signedHeaders, signature] = match;
  const names = signedHeaders!.split(';');
  const headers = Object.fromEntries(names.map((name) => [name, String(request.headers[name])]));
  const signer = new aws4.RequestSigner(
    {
      method: request.method,
      path: request.url,
      host: request.headers.host!,
      headers,
      body: request.body,
      service: service!,
      region: region!,
      doNotModifyHeaders: true,
    },
    { accessKeyId: accessKeyId!, secretAccessKey },
  );
  (signer as unknown as { datetime: string }).datetime = String(request.headers['x-amz-date']);
  return signer.signedHeaders() === signedHeaders && signer.signature() === signature;
}

beforeAll(async () => {
  server = await startCannedServer();
});
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  server.requests.length = 0;
  server.reply({ body: {} });
});
afterAll(async () => {
  await server.close();
});

describe('the request on the wire', () => {
  test('POST / with the awsJson1_1 headers, exact body and a verifiable SigV4 signature', async () => {
    server.reply({ body: COMPLETED });
    await makeClient().getBatchPrediction('bp-1');
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests as [RecordedRequest];
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/');
    expect(request.body).toBe('{"BatchPredictionId":"bp-1"}');
    expect(request.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(request.headers['x-amz-target']).toBe('AmazonML_20141212.GetBatchPrediction');
    expect(request.headers['content-length']).toBe('28');
    expect(request.headers.host).toBe(`127.0.0.1:${server.port}`);
    expect(request.headers['x-amz-date']).toMatch(/^\d{8}T\d{6}Z$/);
    expect(request.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/machinelearning\/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$/,
    );
    expect(request.headers['x-amz-security-token']).toBeUndefined();
    expect(verifySignature(request, TEST_CREDENTIALS.secretAccessKey)).toBe(true);
    expect(verifySignature(request, 'wrong-secret')).toBe(false);
  });

  test('signs with wallClock and sends the session token', async () => {
    const client = makeClient({
      credentials: { ...TEST_CREDENTIALS, sessionToken: 'TOKEN-123' },
      wallClock: () => Date.UTC(2026, 10, 27, 12, 15, 41),
      region: 'eu-west-1',
    });
    await client.getEvaluation('ev-1');
    const [request] = server.requests as [RecordedRequest];
    expect(request.headers['x-amz-date']).toBe('20261127T121541Z');
    expect(request.headers['x-amz-security-token']).toBe('TOKEN-123');
    expect(request.headers.authorization).toContain(
      'Credential=AKIDEXAMPLE/20261127/eu-west-1/machinelearning/aws4_request',
    );
    expect(request.headers.authorization).toContain('x-amz-security-token');
    expect(verifySignature(request, TEST_CREDENTIALS.secretAccessKey)).toBe(true);
  });

  test("a custom endpoint's path is kept", async () => {
    await makeClient({ endpoint: `${server.endpoint}/ml/` }).getMLModel('m-1');
    expect(server.requests[0]!.url).toBe('/ml/');
    expect(verifySignature(server.requests[0]!, TEST_CREDENTIALS.secretAccessKey)).toBe(true);
  });

  test.each([
    ['getBatchPrediction', 'GetBatchPrediction', '{"BatchPredictionId":"x"}'],
    ['getDataSource', 'GetDataSource', '{"DataSourceId":"x"}'],
    ['getMLModel', 'GetMLModel', '{"MLModelId":"x"}'],
    ['getEvaluation', 'GetEvaluation', '{"EvaluationId":"x"}'],
    ['deleteBatchPrediction', 'DeleteBatchPrediction', '{"BatchPredictionId":"x"}'],
    ['deleteDataSource', 'DeleteDataSource', '{"DataSourceId":"x"}'],
    ['deleteMLModel', 'DeleteMLModel', '{"MLModelId":"x"}'],
    ['deleteEvaluation', 'DeleteEvaluation', '{"EvaluationId":"x"}'],
  ] as const)('%s sends %s with %s', async (method, operation, body) => {
    await makeClient()[method]('x');
    expect(server.requests[0]!.headers['x-amz-target']).toBe(`AmazonML_20141212.${operation}`);
    expect(server.requests[0]!.body).toBe(body);
  });

  test('verbose adds Verbose: true for data sources and ML models only', async () => {
    const client = makeClient();
    await client.getDataSource('ds-1', { verbose: true });
    await client.getMLModel('m-1', { verbose: true });
    await client.getMLModel('m-1', { verbose: false });
    expect(server.requests.map((r) => r.body)).toEqual([
      '{"DataSourceId":"ds-1","Verbose":true}',
      '{"MLModelId":"m-1","Verbose":true}',
      '{"MLModelId":"m-1"}',
    ]);
    await expect(client.get('BatchPrediction', 'bp-1', { verbose: true })).rejects.toThrow(
      '`options.verbose` applies to DataSource and MLModel only, not BatchPrediction',
    );
  });
});

describe('parsing', () => {
  test('epoch seconds become Dates, longs numbers, unknown members are dropped', async () => {
    server.reply({ body: { ...COMPLETED, SomethingNew: 'x', code: 0 } });
    const bp = await makeClient().getBatchPrediction('bp-1');
    expect(bp).toEqual({
      ...COMPLETED,
      CreatedAt: new Date('2014-09-12T22:17:58.433Z'),
      LastUpdatedAt: new Date(Math.round(1410560344.024 * 1000)),
      StartedAt: new Date(Math.round(1410560290.1 * 1000)),
      FinishedAt: new Date(Math.round(1410560344.024 * 1000)),
    });
    expect(bp.CreatedAt!.toISOString()).toBe('2014-09-12T22:17:58.433Z');
    expect(bp.StartedAt!.toISOString()).toBe('2014-09-12T22:18:10.100Z');
    expect('SomethingNew' in bp).toBe(false);
  });

  test('nested structures and maps (ML model, evaluation, data source)', async () => {
    server.reply(
      {
        body: {
          MLModelId: 'm-1',
          SizeInBytes: 2048,
          EndpointInfo: {
            PeakRequestsPerSecond: 200,
            CreatedAt: 1410560278,
            EndpointStatus: 'READY',
            Extra: 1,
          },
          TrainingParameters: { 'sgd.maxPasses': '10', bad: 5 },
          ScoreThreshold: 0.5,
          ScoreThresholdLastUpdatedAt: 1410560278,
        },
      },
      { body: { EvaluationId: 'ev-1', PerformanceMetrics: { Properties: { BinaryAUC: '0.9' } } } },
      {
        body: {
          DataSourceId: 'ds-1',
          DataSizeInBytes: 10,
          NumberOfFiles: 1,
          ComputeStatistics: true,
          RDSMetadata: { Database: { InstanceIdentifier: 'i', DatabaseName: 'd' }, DataPipelineId: 'p' },
        },
      },
    );
    const client = makeClient();
    expect(await client.getMLModel('m-1')).toEqual({
      MLModelId: 'm-1',
      SizeInBytes: 2048,
      EndpointInfo: {
        PeakRequestsPerSecond: 200,
        CreatedAt: new Date(1410560278000),
        EndpointStatus: 'READY',
      },
      TrainingParameters: { 'sgd.maxPasses': '10' },
      ScoreThreshold: 0.5,
      ScoreThresholdLastUpdatedAt: new Date(1410560278000),
    });
    expect(await client.getEvaluation('ev-1')).toEqual({
      EvaluationId: 'ev-1',
      PerformanceMetrics: { Properties: { BinaryAUC: '0.9' } },
    });
    expect(await client.getDataSource('ds-1')).toEqual({
      DataSourceId: 'ds-1',
      DataSizeInBytes: 10,
      NumberOfFiles: 1,
      ComputeStatistics: true,
      RDSMetadata: { Database: { InstanceIdentifier: 'i', DatabaseName: 'd' }, DataPipelineId: 'p' },
    });
  });

  test('longs above 2^53 are read as the nearest double (quirk h); non-integer longs are dropped', async () => {
    server.reply({
      body: '{"BatchPredictionId":"bp-1","TotalRecordCount":9007199254740993,"InvalidRecordCount":1.5}',
    });
    const bp = await makeClient().getBatchPrediction('bp-1');
    expect(bp.TotalRecordCount).toBe(9007199254740992);
    expect('InvalidRecordCount' in bp).toBe(false);
  });

  test('members of the wrong JSON type are dropped, not fatal', async () => {
    server.reply({
      body: { BatchPredictionId: 'bp-1', Status: 5, CreatedAt: 'not a date', ComputeTime: '12' },
    });
    expect(await makeClient().getBatchPrediction('bp-1')).toEqual({
      BatchPredictionId: 'bp-1',
      ComputeTime: 12,
    });
  });

  test('a 200 with a non-JSON body is an InvalidResponseError', async () => {
    server.reply({ body: '<html>hi</html>' });
    const error = await makeClient()
      .getBatchPrediction('bp-1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmazonMLError);
    expect(error).toMatchObject({
      name: 'InvalidResponseError',
      statusCode: 200,
      retryable: false,
      requestId: 'req-123',
    });
  });
});

describe('describe and paginate', () => {
  test('sends only the given members and parses the page', async () => {
    server.reply({
      body: { Results: [COMPLETED, { BatchPredictionId: 'b2', CreatedAt: 1 }], NextToken: 'next' },
    });
    const page = await makeClient().describeBatchPredictions({
      FilterVariable: 'Status',
      EQ: 'COMPLETED',
      SortOrder: 'asc',
      Limit: 2,
    });
    expect(JSON.parse(server.requests[0]!.body)).toEqual({
      FilterVariable: 'Status',
      EQ: 'COMPLETED',
      SortOrder: 'asc',
      Limit: 2,
    });
    expect(server.requests[0]!.headers['x-amz-target']).toBe('AmazonML_20141212.DescribeBatchPredictions');
    expect(page.NextToken).toBe('next');
    expect(page.Results.map((r) => r.BatchPredictionId)).toEqual([COMPLETED.BatchPredictionId, 'b2']);
    expect(page.Results[1]!.CreatedAt).toEqual(new Date(1000));
  });

  test('no input sends {}; missing Results is an empty page without NextToken', async () => {
    server.reply({ body: {} });
    const page = await makeClient().describeEvaluations();
    expect(server.requests[0]!.body).toBe('{}');
    expect(page).toEqual({ Results: [] });
  });

  test('paginate follows NextToken across pages and stops at the last', async () => {
    server.reply(
      { body: { Results: [{ DataSourceId: 'a' }, { DataSourceId: 'b' }], NextToken: 't1' } },
      { body: { Results: [], NextToken: 't2' } },
      { body: { Results: [{ DataSourceId: 'c' }] } },
    );
    const ids: string[] = [];
    for await (const ds of makeClient().paginateDataSources({
      Prefix: 'x',
      FilterVariable: 'Name',
      Limit: 2,
    })) {
      ids.push(ds.DataSourceId!);
    }
    expect(ids).toEqual(['a', 'b', 'c']);
    expect(server.requests.map((r) => (JSON.parse(r.body) as { NextToken?: string }).NextToken)).toEqual([
      undefined,
      't1',
      't2',
    ]);
    expect(JSON.parse(server.requests[2]!.body)).toEqual({
      Prefix: 'x',
      FilterVariable: 'Name',
      Limit: 2,
      NextToken: 't2',
    });
  });

  test('paginate stops when the service repeats a NextToken', async () => {
    server.reply({ body: { Results: [{ MLModelId: 'm' }], NextToken: 'same' } });
    const ids: string[] = [];
    for await (const model of makeClient().paginate('MLModel', { NextToken: 'same' }))
      ids.push(model.MLModelId!);
    expect(ids).toEqual(['m']);
    expect(server.requests).toHaveLength(1);
  });

  test.each([
    [{ FilterVariable: 'MLModelId' }, 'DataSource', RangeError, '`input.FilterVariable`'],
    [
      { Limit: 0 },
      'BatchPrediction',
      RangeError,
      'Expected `input.Limit` to be an integer from 1 to 100, got 0',
    ],
    [{ Limit: 101 }, 'BatchPrediction', RangeError, 'got 101'],
    [{ Limit: 1.5 }, 'BatchPrediction', RangeError, 'got 1.5'],
    [{ Limit: '5' }, 'BatchPrediction', TypeError, 'got "5"'],
    [
      { SortOrder: 'desc' },
      'MLModel',
      RangeError,
      'Expected `input.SortOrder` to be "asc" or "dsc", got "desc"',
    ],
    [{ EQ: 'x'.repeat(1025) }, 'Evaluation', RangeError, '`input.EQ` to be at most 1024 characters'],
    [{ EQ: ' leading' }, 'Evaluation', RangeError, '`input.EQ`'],
    [{ NextToken: '' }, 'Evaluation', TypeError, '`input.NextToken`'],
    [{ Limits: 5 }, 'Evaluation', TypeError, 'Unknown member `input.Limits`'],
    ['x', 'Evaluation', TypeError, 'Expected `input` to be an object, got "x"'],
  ] as const)('describe rejects %j for %s before sending', async (input, kind, ErrorClass, message) => {
    const client = makeClient();
    await expect(client.describe(kind, input as never)).rejects.toThrow(ErrorClass);
    await expect(client.describe(kind, input as never)).rejects.toThrow(message);
    expect(() => client.paginate(kind, input as never)).toThrow(message);
    expect(server.requests).toHaveLength(0);
  });
});

describe('create, update, delete', () => {
  test('createBatchPrediction sends the input and returns the id', async () => {
    server.reply({ body: { BatchPredictionId: 'bp-9' } });
    const input = {
      BatchPredictionId: 'bp-9',
      BatchPredictionName: 'nightly',
      MLModelId: 'm-1',
      BatchPredictionDataSourceId: 'ds-1',
      OutputUri: 's3://bucket/out/',
    };
    expect(await makeClient().createBatchPrediction(input)).toEqual({ BatchPredictionId: 'bp-9' });
    expect(JSON.parse(server.requests[0]!.body)).toEqual(input);
    expect(server.requests[0]!.headers['x-amz-target']).toBe('AmazonML_20141212.CreateBatchPrediction');
  });

  test('createDataSourceFromS3, createMLModel, createEvaluation, updateBatchPrediction', async () => {
    const client = makeClient();
    server.reply(
      { body: { DataSourceId: 'ds-1' } },
      { body: { MLModelId: 'm-1' } },
      { body: { EvaluationId: 'ev-1' } },
      { body: { BatchPredictionId: 'bp-1' } },
    );
    expect(
      await client.createDataSourceFromS3({
        DataSourceId: 'ds-1',
        DataSpec: { DataLocationS3: 's3://b/data.csv', DataSchemaLocationS3: 's3://b/schema.json' },
        ComputeStatistics: true,
      }),
    ).toEqual({ DataSourceId: 'ds-1' });
    expect(
      await client.createMLModel({
        MLModelId: 'm-1',
        MLModelType: 'BINARY',
        TrainingDataSourceId: 'ds-1',
        Parameters: { 'sgd.maxPasses': '10' },
      }),
    ).toEqual({ MLModelId: 'm-1' });
    expect(
      await client.createEvaluation({
        EvaluationId: 'ev-1',
        MLModelId: 'm-1',
        EvaluationDataSourceId: 'ds-2',
      }),
    ).toEqual({ EvaluationId: 'ev-1' });
    expect(await client.updateBatchPrediction('bp-1', 'renamed')).toEqual({ BatchPredictionId: 'bp-1' });
    expect(server.requests.map((r) => r.headers['x-amz-target'])).toEqual([
      'AmazonML_20141212.CreateDataSourceFromS3',
      'AmazonML_20141212.CreateMLModel',
      'AmazonML_20141212.CreateEvaluation',
      'AmazonML_20141212.UpdateBatchPrediction',
    ]);
    expect(server.requests[3]!.body).toBe('{"BatchPredictionId":"bp-1","BatchPredictionName":"renamed"}');
  });

  test.each([
    [
      { BatchPredictionId: 'b' },
      TypeError,
      'Expected `input.MLModelId` to be 1-64 characters of [a-zA-Z0-9_.-], got undefined',
    ],
    [
      {
        BatchPredictionId: 'bad id!',
        MLModelId: 'm',
        BatchPredictionDataSourceId: 'd',
        OutputUri: 's3://b/',
      },
      RangeError,
      'Expected `input.BatchPredictionId` to be 1-64 characters of [a-zA-Z0-9_.-], got "bad id!"',
    ],
    [
      { BatchPredictionId: 'b', MLModelId: 'm', BatchPredictionDataSourceId: 'd', OutputUri: 'https://x/' },
      RangeError,
      'Expected `input.OutputUri` to match s3://bucket[/key], got "https://x/"',
    ],
    [
      {
        BatchPredictionId: 'b',
        MLModelId: 'm',
        BatchPredictionDataSourceId: 'd',
        OutputUri: 's3://b/',
        Extra: 1,
      },
      TypeError,
      'Unknown member `input.Extra`',
    ],
  ])('createBatchPrediction(%j) rejects before sending', async (input, ErrorClass, message) => {
    const promise = makeClient().createBatchPrediction(input as never);
    await expect(promise).rejects.toThrow(ErrorClass);
    await expect(promise).rejects.toThrow(message);
    expect(server.requests).toHaveLength(0);
  });

  test('createMLModel rejects an unknown MLModelType', async () => {
    await expect(
      makeClient().createMLModel({
        MLModelId: 'm',
        MLModelType: 'CLUSTER' as never,
        TrainingDataSourceId: 'd',
      }),
    ).rejects.toThrow('Expected `input.MLModelType` to be REGRESSION, BINARY or MULTICLASS, got "CLUSTER"');
  });
});

describe('input validation', () => {
  test.each([
    ['bad id!', RangeError, 'Expected `id` to be 1-64 characters of [a-zA-Z0-9_.-], got "bad id!"'],
    ['', RangeError, 'got ""'],
    ['x'.repeat(65), RangeError, 'Expected `id`'],
    [42, TypeError, 'got 42'],
    [undefined, TypeError, 'got undefined'],
  ])('get(%j) rejects with %o before any request', async (id, ErrorClass, message) => {
    const promise = makeClient().getBatchPrediction(id as string);
    await expect(promise).rejects.toThrow(ErrorClass);
    await expect(promise).rejects.toThrow(message);
    expect(server.requests).toHaveLength(0);
  });

  test('a 64-character id with every allowed character class is accepted', async () => {
    const id = `aZ09_.-${'x'.repeat(57)}`;
    await makeClient().getBatchPrediction(id);
    expect(server.requests[0]!.body).toBe(`{"BatchPredictionId":"${id}"}`);
  });

  test('get rejects an unknown kind and a bad signal', async () => {
    const client = makeClient();
    await expect(client.get('Model' as never, 'x')).rejects.toThrow(
      'Expected `kind` to be one of BatchPrediction, DataSource, MLModel, Evaluation, got "Model"',
    );
    await expect(client.get('MLModel', 'x', { signal: 'yes' as never })).rejects.toThrow(
      'Expected `options.signal` to be an AbortSignal, got "yes"',
    );
  });

  test.each([
    [
      { endpoint: 'ftp://x' },
      RangeError,
      'Expected `endpoint` to be an http(s) URL, but its protocol ftp: is not http: or https:',
    ],
    [{ endpoint: 'not a url' }, RangeError, 'it is not an absolute URL: "not a url"'],
    [{ endpoint: 'http://u:p@x' }, RangeError, 'it contains user info'],
    [{ endpoint: 5 }, TypeError, 'Expected `endpoint` to be a URL string or URL, got 5'],
    [
      { region: 'US East' },
      RangeError,
      'Expected `region` to be a region name like "us-east-1", got "US East"',
    ],
    [{ region: 1 }, TypeError, 'Expected `region`'],
    [
      { requestTimeoutMs: 0 },
      RangeError,
      'Expected `requestTimeoutMs` to be an integer from 1 to 2147483647, got 0',
    ],
    [{ requestTimeoutMs: Number.NaN }, RangeError, 'got NaN'],
    [{ requestTimeoutMs: 2 ** 31 }, RangeError, 'got 2147483648'],
    [{ requestTimeoutMs: '5' }, TypeError, 'Expected `requestTimeoutMs` to be a number, got "5"'],
    [{ profile: '' }, TypeError, 'Expected `profile` to be a profile name, got ""'],
    [{ dispatcher: {} }, TypeError, 'Expected `dispatcher` to be an undici Dispatcher'],
    [
      { logger: { info: () => undefined } },
      TypeError,
      'Expected `logger` to be an object with debug, info, warn and error methods',
    ],
    [{ wallClock: 5 }, TypeError, 'Expected `wallClock`'],
    [
      { credentials: 'AKID' },
      TypeError,
      'Expected `credentials` to be a credentials object or a provider function, got string',
    ],
    [
      { credentials: { accessKeyId: 'A', secretAccessKey: 7 } },
      TypeError,
      'Expected `credentials.secretAccessKey` to be a non-empty string, got number',
    ],
    ['x', TypeError, 'Expected `config` to be an object, got "x"'],
  ])('constructor rejects %j', (config, ErrorClass, message) => {
    expect(() => new AmazonMLClient(config as never)).toThrow(ErrorClass);
    expect(() => new AmazonMLClient(config as never)).toThrow(message);
  });
});

describe('cancellation, timeouts and network failures', () => {
  test('an already-aborted signal sends nothing and rejects with the reason unchanged', async () => {
    const reason = new Error('stop');
    const controller = new AbortController();
    controller.abort(reason);
    await expect(makeClient().getBatchPrediction('bp-1', { signal: controller.signal })).rejects.toBe(reason);
    expect(server.requests).toHaveLength(0);
  });

  test('aborting an in-flight request rejects with the reason unchanged', async () => {
    server.reply(() => undefined); // never answers
    const controller = new AbortController();
    const reason = { custom: 'reason' };
    const promise = makeClient().getBatchPrediction('bp-1', { signal: controller.signal });
    await vi_waitFor(() => server.requests.length === 1);
    controller.abort(reason);
    await expect(promise).rejects.toBe(reason);
  });

  test('an abort while a credential provider is still working rejects at once and sends nothing', async () => {
    let release: (() => void) | undefined;
    const provider = () =>
      new Promise<{ accessKeyId: string; secretAccessKey: string }>((resolve) => {
        release = () => {
          resolve(TEST_CREDENTIALS);
        };
      });
    const client = makeClient({ credentials: provider });
    const controller = new AbortController();
    const reason = new Error('user gave up');
    const promise = client.getBatchPrediction('bp-1', { signal: controller.signal });
    await vi_waitFor(() => release !== undefined);
    controller.abort(reason);
    await expect(promise).rejects.toBe(reason);
    release!();
    await client.getBatchPrediction('bp-2');
    expect(server.requests.map((r) => r.body)).toEqual(['{"BatchPredictionId":"bp-2"}']);
  });

  test('requestTimeoutMs → a retryable RequestTimeoutError', async () => {
    server.reply(() => undefined);
    const error = await makeClient({ requestTimeoutMs: 50 })
      .getBatchPrediction('bp-1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmazonMLError);
    expect(error).toMatchObject({
      name: 'RequestTimeoutError',
      retryable: true,
      throttling: false,
      operation: 'GetBatchPrediction',
      message: 'GetBatchPrediction did not complete within 50 ms',
    });
  });

  test('a request queued behind a stalled one times out without being sent', async () => {
    server.reply(() => undefined);
    const pool = new Pool(server.endpoint, { connections: 1, pipelining: 1 });
    // Two clients on one single-connection pool: the second request waits in the queue behind the
    // first, and its shorter deadline passes while it is still queued.
    const first = makeClient({ dispatcher: pool, requestTimeoutMs: 400 });
    const second = makeClient({ dispatcher: pool, requestTimeoutMs: 100 });
    const firstCall = first.getBatchPrediction('bp-1');
    await vi_waitFor(() => server.requests.length === 1);
    const results = await Promise.allSettled([firstCall, second.getBatchPrediction('bp-2')]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).name : 'ok'))).toEqual([
      'RequestTimeoutError',
      'RequestTimeoutError',
    ]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(server.requests.map((r) => r.body)).toEqual(['{"BatchPredictionId":"bp-1"}']);
    await pool.close();
  });

  test('after an in-flight abort the client keeps working', async () => {
    server.reply(() => undefined, { body: { BatchPredictionId: 'bp-2', Status: 'PENDING' } });
    const client = makeClient();
    const controller = new AbortController();
    const promise = client.getBatchPrediction('bp-1', { signal: controller.signal });
    await vi_waitFor(() => server.requests.length === 1);
    controller.abort();
    await expect(promise).rejects.toBeInstanceOf(DOMException);
    expect(await client.getBatchPrediction('bp-2')).toEqual({ BatchPredictionId: 'bp-2', Status: 'PENDING' });
  });

  test('a body that stalls after the headers also times out', async () => {
    server.reply((res) => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1', 'content-length': '100' });
      res.write('{"Batch');
    });
    const error = await makeClient({ requestTimeoutMs: 80 })
      .getBatchPrediction('bp-1')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'RequestTimeoutError', retryable: true });
  });

  test('a connection reset → a retryable NetworkError with the cause', async () => {
    server.reply((res) => res.socket?.destroy());
    const error = await makeClient()
      .getBatchPrediction('bp-1')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmazonMLError);
    expect(error).toMatchObject({
      name: 'NetworkError',
      retryable: true,
      throttling: false,
      statusCode: undefined,
    });
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  test('a refused connection → a retryable NetworkError (ECONNREFUSED)', async () => {
    const closed = await startCannedServer();
    const endpoint = closed.endpoint;
    await closed.close();
    const error = await makeClient({ endpoint })
      .getBatchPrediction('bp-1')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'NetworkError', retryable: true });
    expect((error as Error).message).toContain('ECONNREFUSED');
  });
});

describe('clock skew', () => {
  const skewError = (date: string) => ({
    status: 400,
    headers: { 'x-amzn-errortype': 'InvalidSignatureException', date },
    body: {
      __type: 'InvalidSignatureException',
      message: 'Signature expired: 20150830T123600Z is now earlier than …',
    },
  });

  test('a signature error with a Date ≥ 4 min off corrects the offset and retries once', async () => {
    const local = Date.UTC(2026, 10, 27, 12, 0, 0);
    const serverTime = local + 10 * 60_000;
    server.reply(skewError(new Date(serverTime).toUTCString()), { body: COMPLETED });
    const client = makeClient({ wallClock: () => local });
    const bp = await client.getBatchPrediction('bp-1');
    expect(bp.Status).toBe('COMPLETED');
    expect(server.requests.map((r) => r.headers['x-amz-date'])).toEqual([
      '20261127T120000Z',
      '20261127T121000Z',
    ]);
    // The offset sticks for later calls.
    await client.getBatchPrediction('bp-1');
    expect(server.requests[2]!.headers['x-amz-date']).toBe('20261127T121000Z');
  });

  test('only one retry: a second signature error is returned', async () => {
    const local = Date.UTC(2026, 10, 27, 12, 0, 0);
    server.reply(skewError(new Date(local + 3_600_000).toUTCString()));
    const error = await makeClient({ wallClock: () => local })
      .getBatchPrediction('bp-1')
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'InvalidSignatureException', retryable: false, statusCode: 400 });
    expect(server.requests).toHaveLength(2);
  });

  test('a skew under 4 minutes is not corrected (no retry)', async () => {
    const local = Date.UTC(2026, 10, 27, 12, 0, 0);
    server.reply(skewError(new Date(local + 3 * 60_000 + 59_000).toUTCString()));
    await expect(makeClient({ wallClock: () => local }).getBatchPrediction('bp-1')).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
    expect(server.requests).toHaveLength(1);
  });

  test('a non-signature error with a skewed Date is not retried', async () => {
    const local = Date.UTC(2026, 10, 27, 12, 0, 0);
    server.reply({
      status: 404,
      headers: { date: new Date(local + 3_600_000).toUTCString() },
      body: { __type: 'ResourceNotFoundException', message: 'No BatchPrediction found with id bp-1' },
    });
    await expect(makeClient({ wallClock: () => local }).getBatchPrediction('bp-1')).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    expect(server.requests).toHaveLength(1);
  });
});

describe('lifecycle, dispatcher, logging', () => {
  test('close() is idempotent; calls after close reject with ClientClosedError and send nothing', async () => {
    const client = makeClient();
    await client.getBatchPrediction('bp-1');
    const first = client.close();
    expect(client.close()).toBe(first);
    await first;
    expect(client.closed).toBe(true);
    const error = await client.getBatchPrediction('bp-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AmazonMLError);
    expect(error).toMatchObject({ name: 'ClientClosedError', retryable: false });
    expect(server.requests).toHaveLength(1);
  });

  test('a user-supplied dispatcher is used and never closed', async () => {
    const agent = new Agent();
    let dispatched = 0;
    const counting = agent.compose((dispatch) => (options, handler) => {
      dispatched++;
      return dispatch(options, handler);
    });
    const client = makeClient({ dispatcher: counting });
    await client.getBatchPrediction('bp-1');
    await client.close();
    expect(dispatched).toBe(1);
    expect(agent.closed).toBe(false);
    // Still usable by its owner.
    const response = await agent.request({ origin: server.endpoint, path: '/', method: 'POST', body: '{}' });
    await response.body.text();
    expect(response.statusCode).toBe(200);
    await agent.close();
  });

  test('works with a dispatcher that only knows the legacy handler interface (undici 5/6)', async () => {
    const aborts: unknown[] = [];
    let hang = false;
    const legacy = {
      request: () => Promise.reject(new Error('unused')),
      dispatch(options: { headers: Record<string, string> }, handler: Record<string, unknown>): boolean {
        for (const method of ['onConnect', 'onHeaders', 'onData', 'onComplete', 'onError']) {
          expect(typeof handler[method]).toBe('function');
        }
        const h = handler as {
          onConnect: (abort: (e?: Error) => void) => void;
          onHeaders: (status: number, raw: Buffer[], resume: () => void, text: string) => boolean;
          onData: (chunk: Buffer) => boolean;
          onComplete: (trailers: null) => void;
        };
        h.onConnect((e) => aborts.push(e));
        if (hang) return true;
        setImmediate(() => {
          h.onHeaders(
            200,
            [
              Buffer.from('X-Amzn-RequestId'),
              Buffer.from('legacy-1'),
              Buffer.from('Set-Cookie'),
              Buffer.from('a'),
              Buffer.from('set-cookie'),
              Buffer.from('b'),
            ],
            () => undefined,
            'OK',
          );
          h.onData(Buffer.from('{"BatchPredictionId":"bp-1",'));
          h.onData(Buffer.from('"Status":"INPROGRESS"}'));
          h.onComplete(null);
        });
        expect(options.headers['x-amz-target']).toBe('AmazonML_20141212.GetBatchPrediction');
        return true;
      },
    };
    const client = makeClient({ dispatcher: legacy as never, requestTimeoutMs: 50 });
    expect(await client.getBatchPrediction('bp-1')).toEqual({
      BatchPredictionId: 'bp-1',
      Status: 'INPROGRESS',
    });
    hang = true;
    await expect(client.getBatchPrediction('bp-1')).rejects.toMatchObject({ name: 'RequestTimeoutError' });
    expect(aborts).toHaveLength(1);
    expect(aborts[0]).toMatchObject({ name: 'RequestTimeoutError' });
  });

  test('parseRawHeaders lower-cases names and keeps repeats', () => {
    expect(
      parseRawHeaders([
        Buffer.from('X-A'),
        Buffer.from('1'),
        Buffer.from('x-a'),
        Buffer.from('2'),
        'Date',
        'd',
      ]),
    ).toEqual({ 'x-a': ['1', '2'], date: 'd' });
    expect(parseRawHeaders(null)).toEqual({});
  });

  test('works with an undici MockAgent', async () => {
    const mock = new MockAgent();
    mock.disableNetConnect();
    mock
      .get('https://ml.example.test')
      .intercept({
        path: '/',
        method: 'POST',
        headers: { 'x-amz-target': 'AmazonML_20141212.GetBatchPrediction' },
      })
      .reply(200, { BatchPredictionId: 'bp-1', Status: 'PENDING', CreatedAt: 1 });
    const client = makeClient({ endpoint: 'https://ml.example.test', dispatcher: mock });
    expect(await client.getBatchPrediction('bp-1')).toEqual({
      BatchPredictionId: 'bp-1',
      Status: 'PENDING',
      CreatedAt: new Date(1000),
    });
    mock.assertNoPendingInterceptors();
    await mock.close();
  });

  test('logs one debug line per request with operation, status, request id and duration', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = {
      debug: (bindings: Record<string, unknown>) => lines.push(bindings),
      info: () => undefined,
      warn: () => undefined,
      error: () => undefined,
    };
    server.reply({ body: {} }, { status: 404, body: { __type: 'ResourceNotFoundException' } });
    const client = makeClient({ logger });
    await client.getBatchPrediction('bp-1');
    await client.getBatchPrediction('bp-2').catch(() => undefined);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      operation: 'GetBatchPrediction',
      statusCode: 200,
      requestId: 'req-123',
    });
    expect(lines[1]).toMatchObject({
      operation: 'GetBatchPrediction',
      statusCode: 404,
      requestId: 'req-123',
    });
    expect(typeof lines[0]!.durationMs).toBe('number');
    expect(Object.keys(lines[0]!).sort()).toEqual(['durationMs', 'operation', 'requestId', 'statusCode']);
  });

  test('resolveConfig reports the effective endpoint and region', async () => {
    expect(await makeClient({ endpoint: `${server.endpoint}/x` }).resolveConfig()).toEqual({
      endpoint: `${server.endpoint}/x`,
      region: 'us-east-1',
    });
  });

  test('sequential calls reuse keep-alive connections', async () => {
    const client = makeClient();
    for (let i = 0; i < 10; i++) await client.getBatchPrediction(`bp-${i}`);
    expect(server.requests).toHaveLength(10);
    // undici may hand the next request to a second pooled socket while the first finishes up.
    expect(new Set(server.requests.map((r) => r.remotePort)).size).toBeLessThanOrEqual(2);
  });
});

async function vi_waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(condition()).toBe(true);
}
