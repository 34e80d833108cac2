import {
  DescribeBatchPredictionsCommand,
  DescribeDataSourcesCommand,
  DescribeEvaluationsCommand,
  DescribeMLModelsCommand,
  GetBatchPredictionCommand,
  GetDataSourceCommand,
  GetEvaluationCommand,
  GetMLModelCommand,
  MachineLearningClient,
} from '@aws-sdk/client-machine-learning';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import type { AmazonMLError } from '../../src/client/AmazonMLError.js';
import { ResourceNotFoundException } from '../../src/client/serviceErrors.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import type { ResourceKind } from '../../src/model/ResourceKind.js';

let emu: Emulator;
let ours: AmazonMLClient;
let sdk: MachineLearningClient;

beforeAll(async () => {
  emu = await startEmulator({ lifecycle: { pendingMs: 60_000, inProgressMs: 60_000 } });
  ours = new AmazonMLClient({
    endpoint: emu.endpoint,
    region: emu.region,
    credentials: emu.credentials,
    env: {},
  });
  sdk = new MachineLearningClient({
    endpoint: emu.endpoint,
    region: emu.region,
    credentials: emu.credentials,
    maxAttempts: 1,
  });
});
afterEach(() => {
  emu.clearFaults();
  emu.setSkew(0);
});
afterAll(async () => {
  sdk.destroy();
  await ours.close();
  await emu.close();
});

/** The SDK output without `$metadata` and without members it set to `undefined`. */
function sdkValue(output: object): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(output, (key, value: unknown) => (key === '$metadata' ? undefined : value)),
  ) as Record<string, unknown>;
}

/** The same for our value (Dates become ISO strings in both, so they compare exactly). */
function ourValue(value: object): Record<string, unknown> {
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
}

const T = 1410560278.433;
const RESOURCES: Readonly<Record<ResourceKind, Record<string, unknown>>> = {
  BatchPrediction: {
    BatchPredictionId: 'bp-interop',
    MLModelId: 'ml-interop',
    BatchPredictionDataSourceId: 'ds-interop',
    InputDataLocationS3: 's3://bucket/data.csv',
    Name: 'interop',
    Status: 'COMPLETED',
    OutputUri: 's3://bucket/out/',
    Message: '',
    CreatedAt: T,
    LastUpdatedAt: T + 65.591,
    StartedAt: T + 11.667,
    FinishedAt: T + 65.591,
    ComputeTime: 370000,
    TotalRecordCount: 1000,
    InvalidRecordCount: 3,
  },
  DataSource: {
    DataSourceId: 'ds-interop',
    DataLocationS3: 's3://bucket/data.csv',
    DataRearrangement: '{"splitting":{"percentBegin":0,"percentEnd":70}}',
    Name: 'interop',
    Status: 'COMPLETED',
    DataSizeInBytes: 123456789,
    NumberOfFiles: 3,
    ComputeStatistics: true,
    CreatedAt: T,
    LastUpdatedAt: T + 1.5,
    StartedAt: T + 0.25,
    FinishedAt: T + 1.5,
    ComputeTime: 42,
  },
  MLModel: {
    MLModelId: 'ml-interop',
    TrainingDataSourceId: 'ds-interop',
    Name: 'interop',
    Status: 'COMPLETED',
    SizeInBytes: 2048,
    MLModelType: 'BINARY',
    ScoreThreshold: 0.5,
    ScoreThresholdLastUpdatedAt: T + 2,
    TrainingParameters: { 'sgd.maxPasses': '10', 'sgd.shuffleType': 'auto' },
    InputDataLocationS3: 's3://bucket/data.csv',
    EndpointInfo: { PeakRequestsPerSecond: 0, EndpointStatus: 'NONE' },
    CreatedAt: T,
    LastUpdatedAt: T + 3,
    StartedAt: T + 1,
    FinishedAt: T + 3,
    ComputeTime: 1000,
  },
  Evaluation: {
    EvaluationId: 'ev-interop',
    MLModelId: 'ml-interop',
    EvaluationDataSourceId: 'ds-interop',
    InputDataLocationS3: 's3://bucket/data.csv',
    Name: 'interop',
    Status: 'COMPLETED',
    PerformanceMetrics: { Properties: { BinaryAUC: '0.9364' } },
    CreatedAt: T,
    LastUpdatedAt: T + 4,
    StartedAt: T + 1,
    FinishedAt: T + 4,
    ComputeTime: 7,
  },
};

describe('interop: @aws-sdk/client-machine-learning and AmazonMLClient read the same emulator responses', () => {
  beforeAll(() => {
    for (const kind of Object.keys(RESOURCES) as ResourceKind[]) emu.put(kind, RESOURCES[kind]);
  });

  test('Get… of every kind gives equal values', async () => {
    const pairs: [object, object][] = [
      [
        await ours.getBatchPrediction('bp-interop'),
        await sdk.send(new GetBatchPredictionCommand({ BatchPredictionId: 'bp-interop' })),
      ],
      [
        await ours.getDataSource('ds-interop', { verbose: true }),
        await sdk.send(new GetDataSourceCommand({ DataSourceId: 'ds-interop', Verbose: true })),
      ],
      [
        await ours.getMLModel('ml-interop', { verbose: true }),
        await sdk.send(new GetMLModelCommand({ MLModelId: 'ml-interop', Verbose: true })),
      ],
      [
        await ours.getEvaluation('ev-interop'),
        await sdk.send(new GetEvaluationCommand({ EvaluationId: 'ev-interop' })),
      ],
    ];
    for (const [mine, theirs] of pairs) {
      expect(ourValue(mine)).toEqual(sdkValue(theirs));
    }
    const bp = await ours.getBatchPrediction('bp-interop');
    expect(bp.CreatedAt).toEqual(new Date(Math.round(T * 1000)));
    expect(bp.TotalRecordCount).toBe(1000);
  });

  test('Describe… of every kind gives equal pages', async () => {
    const pairs: [object, object][] = [
      [
        await ours.describeBatchPredictions({ FilterVariable: 'Name', EQ: 'interop' }),
        await sdk.send(new DescribeBatchPredictionsCommand({ FilterVariable: 'Name', EQ: 'interop' })),
      ],
      [
        await ours.describeDataSources({ Limit: 5 }),
        await sdk.send(new DescribeDataSourcesCommand({ Limit: 5 })),
      ],
      [
        await ours.describeMLModels({ FilterVariable: 'MLModelType', EQ: 'BINARY' }),
        await sdk.send(new DescribeMLModelsCommand({ FilterVariable: 'MLModelType', EQ: 'BINARY' })),
      ],
      [await ours.describeEvaluations(), await sdk.send(new DescribeEvaluationsCommand({}))],
    ];
    for (const [mine, theirs] of pairs) {
      expect(ourValue(mine)).toEqual(sdkValue(theirs));
      expect((ourValue(mine).Results as unknown[]).length).toBeGreaterThan(0);
    }
  });

  test('a resource mid-lifecycle (PENDING, no StartedAt) reads the same', async () => {
    await ours.createBatchPrediction({
      BatchPredictionId: 'bp-new',
      MLModelId: 'ml-interop',
      BatchPredictionDataSourceId: 'ds-interop',
      OutputUri: 's3://bucket/out/',
    });
    const mine = await ours.getBatchPrediction('bp-new');
    const theirs = await sdk.send(new GetBatchPredictionCommand({ BatchPredictionId: 'bp-new' }));
    expect(mine.Status).toBe('PENDING');
    expect(ourValue(mine)).toEqual(sdkValue(theirs));
  });

  test('longs above 2^53 (quirk h) read as the same number', async () => {
    emu.addFault({ kind: 'largeLongs', operation: 'GetBatchPrediction' });
    const mine = await ours.getBatchPrediction('bp-interop');
    const theirs = await sdk.send(new GetBatchPredictionCommand({ BatchPredictionId: 'bp-interop' }));
    expect(mine.TotalRecordCount).toBeGreaterThanOrEqual(2 ** 53);
    expect(ourValue(mine)).toEqual(sdkValue(theirs));
  });

  test('errors: same name and status; our request ids match the response', async () => {
    const mine = await ours.getBatchPrediction('bp-missing').catch((e: unknown) => e);
    const theirs = (await sdk
      .send(new GetBatchPredictionCommand({ BatchPredictionId: 'bp-missing' }))
      .catch((e: unknown) => e)) as {
      name: string;
      $metadata: { httpStatusCode: number; requestId: string };
    };
    expect(mine).toBeInstanceOf(ResourceNotFoundException);
    expect((mine as AmazonMLError).name).toBe(theirs.name);
    expect((mine as AmazonMLError).statusCode).toBe(theirs.$metadata.httpStatusCode);
    expect((mine as AmazonMLError).requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  test.each(['typeOnly', 'headerOnly', 'fullyQualified', 'numericCode'] as const)(
    'error-type quirk %s still gives ResourceNotFoundException',
    async (quirk) => {
      emu.addFault({ kind: 'errorTypeQuirk', quirk });
      const mine = await ours.getBatchPrediction('bp-missing').catch((e: unknown) => e);
      expect(mine).toBeInstanceOf(ResourceNotFoundException);
    },
  );

  test('emulator faults map to the documented classes', async () => {
    emu.addFault({ kind: 'throttle', retryAfterSeconds: 2, times: 1 });
    await expect(ours.getBatchPrediction('bp-interop')).rejects.toMatchObject({
      name: 'ThrottlingException',
      throttling: true,
      retryable: true,
      retryAfterMs: 2000,
    });
    emu.addFault({ kind: 'serverError', status: 503, format: 'html', times: 1 });
    await expect(ours.getBatchPrediction('bp-interop')).rejects.toMatchObject({
      name: 'Http503Error',
      retryable: true,
    });
    emu.addFault({ kind: 'reset', times: 1 });
    await expect(ours.getBatchPrediction('bp-interop')).rejects.toMatchObject({
      name: 'NetworkError',
      retryable: true,
    });
    emu.addFault({ kind: 'malformedJson', times: 1 });
    await expect(ours.getBatchPrediction('bp-interop')).rejects.toMatchObject({
      name: 'InvalidResponseError',
    });
    expect((await ours.getBatchPrediction('bp-interop')).Status).toBe('COMPLETED');
  });

  test('a server clock 20 minutes ahead: one corrected retry succeeds', async () => {
    const client = new AmazonMLClient({
      endpoint: emu.endpoint,
      region: emu.region,
      credentials: emu.credentials,
      env: {},
    });
    emu.setSkew(20 * 60_000);
    const before = emu.requests().length;
    expect((await client.getBatchPrediction('bp-interop')).Status).toBe('COMPLETED');
    expect(emu.requests().length - before).toBe(2);
    expect((await client.getBatchPrediction('bp-interop')).Status).toBe('COMPLETED');
    expect(emu.requests().length - before).toBe(3);
    await client.close();
  });

  test('the emulator refuses a wrong secret with InvalidSignatureException (signature verified server-side)', async () => {
    const client = new AmazonMLClient({
      endpoint: emu.endpoint,
      region: emu.region,
      credentials: { ...emu.credentials, secretAccessKey: 'wrong' },
      env: {},
    });
    await expect(client.getBatchPrediction('bp-interop')).rejects.toMatchObject({
      name: 'InvalidSignatureException',
    });
    await client.close();
  });
});
