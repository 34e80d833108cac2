import { Readable } from 'node:stream';
import {
  AddTagsCommand,
  CreateBatchPredictionCommand,
  CreateDataSourceFromS3Command,
  CreateEvaluationCommand,
  CreateMLModelCommand,
  DeleteBatchPredictionCommand,
  DeleteDataSourceCommand,
  DeleteEvaluationCommand,
  DeleteMLModelCommand,
  DescribeBatchPredictionsCommand,
  DescribeDataSourcesCommand,
  DescribeEvaluationsCommand,
  DescribeMLModelsCommand,
  GetBatchPredictionCommand,
  GetDataSourceCommand,
  GetEvaluationCommand,
  GetMLModelCommand,
  MachineLearningClient,
  UpdateBatchPredictionCommand,
  UpdateDataSourceCommand,
  UpdateEvaluationCommand,
  UpdateMLModelCommand,
  waitUntilBatchPredictionAvailable,
} from '@aws-sdk/client-machine-learning';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { outputShapeOf, validateShape } from './helpers/smithyValidator.js';

interface Captured {
  readonly target: string;
  readonly status: number;
  readonly body: string;
}

/** An SDK client whose raw responses are recorded (to validate them against the Smithy model). */
function sdkClient(
  emu: Emulator,
  captured: Captured[],
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = emu.credentials,
): MachineLearningClient {
  const client = new MachineLearningClient({
    endpoint: emu.endpoint,
    region: emu.region,
    credentials,
    maxAttempts: 1,
  });
  const config = client.config as unknown as {
    requestHandler: {
      handle: (
        req: { headers: Record<string, string> },
        o?: unknown,
      ) => Promise<{ response: { statusCode: number; body: Readable } }>;
    };
  };
  const inner = config.requestHandler;
  config.requestHandler = {
    handle: async (req, options) => {
      const out = await inner.handle(req, options);
      const chunks: Buffer[] = [];
      for await (const chunk of out.response.body) chunks.push(Buffer.from(chunk as Uint8Array));
      const body = Buffer.concat(chunks);
      captured.push({
        target: req.headers['x-amz-target'] ?? '',
        status: out.response.statusCode,
        body: body.toString('utf8'),
      });
      out.response.body = Readable.from([body]);
      return out;
    },
  };
  return client;
}

async function errorOf(
  promise: Promise<unknown>,
): Promise<{ name: string; status: number | undefined; requestId: string | undefined }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { name: string; $metadata?: { httpStatusCode?: number; requestId?: string } };
    return { name: e.name, status: e.$metadata?.httpStatusCode, requestId: e.$metadata?.requestId };
  }
  throw new Error('expected the call to fail');
}

describe('@aws-sdk/client-machine-learning against the emulator', () => {
  let emu: Emulator;
  const captured: Captured[] = [];
  let client: MachineLearningClient;

  beforeAll(async () => {
    emu = await startEmulator({ lifecycle: { pendingMs: 100, inProgressMs: 100 } });
    client = sdkClient(emu, captured);
  });
  afterEach(() => {
    emu.clearFaults();
    emu.setNotOnboarded(false);
  });
  afterAll(async () => {
    client.destroy();
    await emu.close();
  });

  it('drives every implemented operation, and every 200 body validates against the Smithy model', async () => {
    await client.send(
      new CreateDataSourceFromS3Command({
        DataSourceId: 'ds-1',
        DataSourceName: 'training',
        DataSpec: { DataLocationS3: 's3://bucket/train.csv', DataSchema: '{"version":"1.0"}' },
        ComputeStatistics: true,
      }),
    );
    await client.send(
      new CreateMLModelCommand({ MLModelId: 'ml-1', MLModelType: 'BINARY', TrainingDataSourceId: 'ds-1' }),
    );
    await client.send(
      new CreateEvaluationCommand({
        EvaluationId: 'ev-1',
        MLModelId: 'ml-1',
        EvaluationDataSourceId: 'ds-1',
      }),
    );
    const created = await client.send(
      new CreateBatchPredictionCommand({
        BatchPredictionId: 'bp-1',
        BatchPredictionName: 'first',
        MLModelId: 'ml-1',
        BatchPredictionDataSourceId: 'ds-1',
        OutputUri: 's3://bucket/out/',
      }),
    );
    expect(created.BatchPredictionId).toBe('bp-1');
    expect(created.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const pending = await client.send(new GetBatchPredictionCommand({ BatchPredictionId: 'bp-1' }));
    expect(pending.Status).toBe('PENDING');
    expect(pending.CreatedAt).toBeInstanceOf(Date);
    await new Promise((r) => setTimeout(r, 350));
    const done = await client.send(new GetBatchPredictionCommand({ BatchPredictionId: 'bp-1' }));
    expect(done).toMatchObject({
      Status: 'COMPLETED',
      TotalRecordCount: 1000,
      InvalidRecordCount: 0,
      Name: 'first',
    });
    expect(done.FinishedAt!.getTime()).toBeGreaterThan(done.StartedAt!.getTime());

    const ds = await client.send(new GetDataSourceCommand({ DataSourceId: 'ds-1', Verbose: true }));
    expect(ds).toMatchObject({
      Status: 'COMPLETED',
      DataSourceSchema: '{"version":"1.0"}',
      ComputeStatistics: true,
    });
    const ml = await client.send(new GetMLModelCommand({ MLModelId: 'ml-1', Verbose: true }));
    expect(ml).toMatchObject({ Status: 'COMPLETED', MLModelType: 'BINARY', Schema: '{"version":"1.0"}' });
    const ev = await client.send(new GetEvaluationCommand({ EvaluationId: 'ev-1' }));
    expect(ev.PerformanceMetrics?.Properties).toEqual({ BinaryAUC: '0.9' });

    expect(
      (await client.send(new DescribeBatchPredictionsCommand({}))).Results?.map((r) => r.BatchPredictionId),
    ).toEqual(['bp-1']);
    expect(
      (await client.send(new DescribeDataSourcesCommand({ FilterVariable: 'Status', EQ: 'COMPLETED' })))
        .Results,
    ).toHaveLength(1);
    const models = await client.send(
      new DescribeMLModelsCommand({ FilterVariable: 'MLModelType', EQ: 'BINARY', Limit: 1 }),
    );
    expect(models.Results?.[0]?.Algorithm).toBe('sgd');
    expect(
      (await client.send(new DescribeEvaluationsCommand({ FilterVariable: 'MLModelId', EQ: 'ml-1' })))
        .Results,
    ).toHaveLength(1);

    await client.send(
      new UpdateBatchPredictionCommand({ BatchPredictionId: 'bp-1', BatchPredictionName: 'renamed' }),
    );
    await client.send(new UpdateDataSourceCommand({ DataSourceId: 'ds-1', DataSourceName: 'renamed' }));
    await client.send(
      new UpdateMLModelCommand({ MLModelId: 'ml-1', MLModelName: 'renamed', ScoreThreshold: 0.7 }),
    );
    await client.send(new UpdateEvaluationCommand({ EvaluationId: 'ev-1', EvaluationName: 'renamed' }));
    expect((await client.send(new GetBatchPredictionCommand({ BatchPredictionId: 'bp-1' }))).Name).toBe(
      'renamed',
    );
    expect((await client.send(new GetMLModelCommand({ MLModelId: 'ml-1' }))).ScoreThreshold).toBeCloseTo(0.7);

    await client.send(new DeleteBatchPredictionCommand({ BatchPredictionId: 'bp-1' }));
    await client.send(new DeleteEvaluationCommand({ EvaluationId: 'ev-1' }));
    await client.send(new DeleteMLModelCommand({ MLModelId: 'ml-1' }));
    await client.send(new DeleteDataSourceCommand({ DataSourceId: 'ds-1' }));
    expect((await client.send(new GetDataSourceCommand({ DataSourceId: 'ds-1' }))).Status).toBe('DELETED');

    const operations = new Set(captured.map((c) => c.target.replace('AmazonML_20141212.', '')));
    expect(operations.size).toBe(20);
    for (const c of captured) {
      expect(c.status).toBe(200);
      const operation = c.target.replace('AmazonML_20141212.', '');
      expect(validateShape(outputShapeOf(operation), JSON.parse(c.body)), `${operation}: ${c.body}`).toEqual(
        [],
      );
    }
  });

  it('every error arrives with the right name and status', async () => {
    const cases: [string, Promise<unknown>, string, number][] = [];
    cases.push([
      'missing id',
      client.send(new GetBatchPredictionCommand({ BatchPredictionId: 'nope' })),
      'ResourceNotFoundException',
      404,
    ]);
    cases.push([
      'bad id',
      client.send(new GetMLModelCommand({ MLModelId: 'bad id!' })),
      'InvalidInputException',
      400,
    ]);
    cases.push([
      'unsupported operation',
      client.send(new AddTagsCommand({ ResourceId: 'x', ResourceType: 'MLModel', Tags: [] })),
      'UnknownOperationException',
      400,
    ]);
    for (const [label, promise, name, status] of cases) {
      const e = await errorOf(promise);
      expect({ label, name: e.name, status: e.status }).toEqual({ label, name, status });
      expect(e.requestId).toMatch(/^[0-9a-f-]{36}$/);
    }

    await client.send(
      new CreateDataSourceFromS3Command({
        DataSourceId: 'ds-idem',
        DataSpec: { DataLocationS3: 's3://b/a.csv' },
      }),
    );
    // Same parameters again: idempotent success. Different parameters: mismatch.
    await client.send(
      new CreateDataSourceFromS3Command({
        DataSourceId: 'ds-idem',
        DataSpec: { DataLocationS3: 's3://b/a.csv' },
      }),
    );
    expect(
      (
        await errorOf(
          client.send(
            new CreateDataSourceFromS3Command({
              DataSourceId: 'ds-idem',
              DataSpec: { DataLocationS3: 's3://b/other.csv' },
            }),
          ),
        )
      ).name,
    ).toBe('IdempotentParameterMismatchException');

    emu.addFault({ kind: 'serverError', operation: 'GetBatchPrediction', times: 1 });
    expect(
      await errorOf(client.send(new GetBatchPredictionCommand({ BatchPredictionId: 'x' }))),
    ).toMatchObject({
      name: 'InternalServerException',
      status: 500,
    });
    emu.addFault({ kind: 'throttle', times: 1 });
    expect(
      await errorOf(client.send(new GetBatchPredictionCommand({ BatchPredictionId: 'x' }))),
    ).toMatchObject({
      name: 'ThrottlingException',
      status: 400,
    });
    emu.setNotOnboarded(true);
    expect(await errorOf(client.send(new DescribeBatchPredictionsCommand({})))).toMatchObject({
      name: 'AccessDeniedException',
      status: 403,
    });
    emu.setNotOnboarded(false);

    const strangers = sdkClient(emu, [], { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' });
    expect(
      (await errorOf(strangers.send(new GetBatchPredictionCommand({ BatchPredictionId: 'x' })))).name,
    ).toBe('UnrecognizedClientException');
    const wrongSecret = sdkClient(emu, [], {
      accessKeyId: emu.credentials.accessKeyId,
      secretAccessKey: 'wrong',
    });
    expect(
      (await errorOf(wrongSecret.send(new GetBatchPredictionCommand({ BatchPredictionId: 'x' })))).name,
    ).toBe('InvalidSignatureException');
    emu.addCredential({
      accessKeyId: 'ASIAEXPIRED000000000',
      secretAccessKey: 'temporary-secret',
      sessionToken: 'session-token-1',
      expiresAt: new Date(Date.now() - 1000),
    });
    const expired = sdkClient(emu, [], {
      accessKeyId: 'ASIAEXPIRED000000000',
      secretAccessKey: 'temporary-secret',
      sessionToken: 'session-token-1',
    });
    expect(
      (await errorOf(expired.send(new GetBatchPredictionCommand({ BatchPredictionId: 'x' })))).name,
    ).toBe('ExpiredTokenException');
    const otherRegion = new MachineLearningClient({
      endpoint: emu.endpoint,
      region: 'eu-west-1',
      credentials: emu.credentials,
      maxAttempts: 1,
    });
    expect(
      (await errorOf(otherRegion.send(new GetBatchPredictionCommand({ BatchPredictionId: 'x' })))).name,
    ).toBe('InvalidSignatureException');
    for (const c of [strangers, wrongSecret, expired, otherRegion]) c.destroy();
  });

  it("the SDK's own waitUntilBatchPredictionAvailable succeeds", async () => {
    emu.put('MLModel', { MLModelId: 'ml-w', Status: 'COMPLETED' });
    emu.put('DataSource', { DataSourceId: 'ds-w', Status: 'COMPLETED' });
    await client.send(
      new CreateBatchPredictionCommand({
        BatchPredictionId: 'bp-waited',
        BatchPredictionName: 'waited',
        MLModelId: 'ml-w',
        BatchPredictionDataSourceId: 'ds-w',
        OutputUri: 's3://bucket/out/',
      }),
    );
    emu.script('BatchPrediction', 'bp-waited', [
      { status: 'PENDING', forMs: 300 },
      { status: 'INPROGRESS', forMs: 600 },
      { status: 'COMPLETED' },
    ]);
    const result = await waitUntilBatchPredictionAvailable(
      { client, maxWaitTime: 15, minDelay: 1, maxDelay: 1 },
      { FilterVariable: 'Name', EQ: 'waited' },
    );
    expect(result.state).toBe('SUCCESS');
    const polls = emu
      .requests()
      .filter((r) => r.operation === 'DescribeBatchPredictions' && r.statusCode === 200);
    expect(polls.length).toBeGreaterThanOrEqual(2);
  });
});
