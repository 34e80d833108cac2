import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator, EmulatorOptions } from '../../src/emulator/index.js';
import { createSeededRandom, startEmulator, VirtualClock } from '../../src/emulator/index.js';
import { signedRequest } from './helpers/rawRequest.js';
import { outputShapeOf, validateShape } from './helpers/smithyValidator.js';

const T0 = Date.UTC(2026, 0, 1);
let emu: Emulator | undefined;

async function start(options: EmulatorOptions = {}): Promise<{ emu: Emulator; clock: VirtualClock }> {
  const clock = new VirtualClock({ startWallMs: T0 });
  emu = await startEmulator({ clock, ...options });
  return { emu, clock };
}

async function status(e: Emulator, op: string, input: Record<string, unknown>): Promise<unknown> {
  const res = await signedRequest(e, op, input);
  if (res.status !== 200) return res.json?.__type;
  expect(validateShape(outputShapeOf(op), res.json)).toEqual([]);
  return res.json?.Status;
}

afterEach(async () => {
  await emu?.close();
  emu = undefined;
});

describe('lifecycles (lazy, on the injected clock)', () => {
  it('simulates PENDING → INPROGRESS → COMPLETED with the documented defaults (1 s + 2 s)', async () => {
    const { emu, clock } = await start({ autoCreateReferences: true });
    const created = await signedRequest(emu, 'CreateBatchPrediction', {
      BatchPredictionId: 'bp',
      MLModelId: 'ml',
      BatchPredictionDataSourceId: 'ds',
      OutputUri: 's3://b/o/',
    });
    expect(created.json).toEqual({ BatchPredictionId: 'bp' });
    const seen: unknown[] = [];
    for (const step of [0, 999, 1, 1999, 1]) {
      clock.advance(step);
      seen.push(await status(emu, 'GetBatchPrediction', { BatchPredictionId: 'bp' }));
    }
    expect(seen).toEqual(['PENDING', 'PENDING', 'INPROGRESS', 'INPROGRESS', 'COMPLETED']);
    const done = emu.get('BatchPrediction', 'bp')!;
    expect(done).toMatchObject({
      StartedAt: (T0 + 1000) / 1000,
      FinishedAt: (T0 + 3000) / 1000,
      ComputeTime: 2000,
    });
    expect(clock.pendingTimers).toBe(0); // lazy: no timers armed on the clock
    // autoCreateReferences created the missing model and data source as COMPLETED
    expect(emu.get('MLModel', 'ml')?.Status).toBe('COMPLETED');
  });

  it('speed scales simulated durations; lifecycle settings apply per kind', async () => {
    const { emu, clock } = await start({
      speed: 4,
      lifecycle: { pendingMs: 400, inProgressMs: 400, byKind: { DataSource: { inProgressMs: 4000 } } },
    });
    await signedRequest(emu, 'CreateDataSourceFromS3', {
      DataSourceId: 'ds',
      DataSpec: { DataLocationS3: 's3://b/d.csv' },
    });
    clock.advance(200);
    expect(emu.get('DataSource', 'ds')?.Status).toBe('INPROGRESS');
    clock.advance(1000);
    expect(emu.get('DataSource', 'ds')?.Status).toBe('COMPLETED');
    expect(emu.get('DataSource', 'ds')).toMatchObject({
      DataSizeInBytes: 1_048_576,
      NumberOfFiles: 1,
      ComputeStatistics: false,
    });
  });

  it('a batch prediction on a missing model or unusable data source fails with a Message', async () => {
    const { emu, clock } = await start();
    emu.put('DataSource', { DataSourceId: 'ds-failed', Status: 'FAILED', Message: 'bad data' });
    emu.put('MLModel', { MLModelId: 'ml-ok', Status: 'COMPLETED' });
    await signedRequest(emu, 'CreateBatchPrediction', {
      BatchPredictionId: 'bp-a',
      MLModelId: 'ml-missing',
      BatchPredictionDataSourceId: 'ds-failed',
      OutputUri: 's3://b/o/',
    });
    await signedRequest(emu, 'CreateBatchPrediction', {
      BatchPredictionId: 'bp-b',
      MLModelId: 'ml-ok',
      BatchPredictionDataSourceId: 'ds-failed',
      OutputUri: 's3://b/o/',
    });
    expect(emu.get('BatchPrediction', 'bp-a')?.Status).toBe('PENDING');
    clock.advance(1000);
    expect(emu.get('BatchPrediction', 'bp-a')).toMatchObject({
      Status: 'FAILED',
      Message: 'MLModel ml-missing does not exist.',
      FinishedAt: (T0 + 1000) / 1000,
    });
    expect(emu.get('BatchPrediction', 'bp-a')?.ComputeTime).toBeUndefined();
    expect(emu.get('BatchPrediction', 'bp-b')?.Message).toBe(
      'DataSource ds-failed is not usable: its status is FAILED.',
    );
  });

  it('failure rate with a seeded random source is deterministic', async () => {
    const outcomes: unknown[][] = [];
    for (let run = 0; run < 2; run++) {
      const { emu, clock } = await start({
        random: createSeededRandom(3),
        lifecycle: { failureRate: 0.5, pendingMs: 0, inProgressMs: 0 },
      });
      const statuses: unknown[] = [];
      for (let i = 0; i < 12; i++) {
        await signedRequest(emu, 'CreateDataSourceFromS3', {
          DataSourceId: `ds-${i}`,
          DataSpec: { DataLocationS3: 's3://b/d.csv' },
        });
      }
      clock.advance(1);
      for (let i = 0; i < 12; i++) statuses.push(emu.get('DataSource', `ds-${i}`)?.Status);
      outcomes.push(statuses);
      await emu.close();
    }
    expect(outcomes[0]).toEqual(outcomes[1]);
    expect(outcomes[0]).toContain('FAILED');
    expect(outcomes[0]).toContain('COMPLETED');
  });

  it('put without Status or script runs the same simulated lifecycle as Create (not found first, failure rate)', async () => {
    const { emu, clock } = await start({
      lifecycle: {
        notFoundForMs: 500,
        pendingMs: 1000,
        inProgressMs: 2000,
        failureRate: 1,
        failureMessage: 'Simulated',
      },
    });
    expect(emu.put('DataSource', { DataSourceId: 'ds-put' })).toBeUndefined();
    await signedRequest(emu, 'CreateDataSourceFromS3', {
      DataSourceId: 'ds-api',
      DataSpec: { DataLocationS3: 's3://b/d.csv' },
    });
    const both = (): unknown[] => [
      emu.get('DataSource', 'ds-put')?.Status,
      emu.get('DataSource', 'ds-api')?.Status,
    ];
    expect(both()).toEqual([undefined, undefined]);
    clock.advance(500);
    expect(both()).toEqual(['PENDING', 'PENDING']);
    clock.advance(1000);
    expect(both()).toEqual(['INPROGRESS', 'INPROGRESS']);
    clock.advance(2000);
    expect(both()).toEqual(['FAILED', 'FAILED']);
    expect(emu.get('DataSource', 'ds-put')?.Message).toBe('Simulated');
  });

  it('scripts: notFoundForMs (eventual consistency), custom fields, final DELETED', async () => {
    const { emu, clock } = await start();
    emu.put('BatchPrediction', { BatchPredictionId: 'bp', MLModelId: 'ml' }, [
      { notFoundForMs: 500 },
      { status: 'PENDING', forMs: 1000, message: 'queued' },
      { status: 'INPROGRESS', forMs: 1000 },
      { status: 'COMPLETED', forMs: 1000, fields: { TotalRecordCount: 42 } },
      { status: 'DELETED' },
    ]);
    expect(await status(emu, 'GetBatchPrediction', { BatchPredictionId: 'bp' })).toBe(
      'ResourceNotFoundException',
    );
    expect((await signedRequest(emu, 'DescribeBatchPredictions', {})).json?.Results).toEqual([]);
    clock.advance(500);
    expect(emu.get('BatchPrediction', 'bp')).toMatchObject({ Status: 'PENDING', Message: 'queued' });
    clock.advance(2000);
    expect(emu.get('BatchPrediction', 'bp')).toMatchObject({ Status: 'COMPLETED', TotalRecordCount: 42 });
    clock.advance(1000);
    expect(emu.get('BatchPrediction', 'bp')).toMatchObject({
      Status: 'DELETED',
      TotalRecordCount: 42,
      LastUpdatedAt: (T0 + 3500) / 1000,
    });
  });

  it('re-scripting an existing resource starts the new script now', async () => {
    const { emu, clock } = await start();
    emu.put('MLModel', { MLModelId: 'ml', Status: 'COMPLETED' });
    clock.advance(10_000);
    emu.script('MLModel', 'ml', [
      { status: 'INPROGRESS', forMs: 100 },
      { status: 'FAILED', message: 'out of memory' },
    ]);
    expect(emu.get('MLModel', 'ml')?.Status).toBe('INPROGRESS');
    clock.advance(100);
    expect(emu.get('MLModel', 'ml')).toMatchObject({ Status: 'FAILED', Message: 'out of memory' });
  });

  it('deleting a PENDING resource shows the PENDING body with Status DELETED', async () => {
    const { emu, clock } = await start();
    emu.put('Evaluation', { EvaluationId: 'ev', MLModelId: 'ml', EvaluationDataSourceId: 'ds' }, [
      { status: 'PENDING', forMs: 1000 },
      { status: 'COMPLETED' },
    ]);
    clock.advance(10);
    expect((await signedRequest(emu, 'DeleteEvaluation', { EvaluationId: 'ev' })).status).toBe(200);
    clock.advance(5000);
    const view = emu.get('Evaluation', 'ev')!;
    expect(view.Status).toBe('DELETED');
    expect(view.StartedAt).toBeUndefined();
    expect(view.FinishedAt).toBeUndefined();
    expect(await status(emu, 'DeleteEvaluation', { EvaluationId: 'nope' })).toBe('ResourceNotFoundException');
  });

  it('Verbose adds DataSourceSchema / Recipe and Schema; Describe drops LogUri and adds Algorithm', async () => {
    const { emu } = await start();
    emu.put('DataSource', { DataSourceId: 'ds', Status: 'COMPLETED', DataSourceSchema: '{"v":1}' });
    emu.put('MLModel', { MLModelId: 'ml', Status: 'COMPLETED', Recipe: '{}', Schema: '{"v":1}' });
    expect(
      (await signedRequest(emu, 'GetDataSource', { DataSourceId: 'ds' })).json?.DataSourceSchema,
    ).toBeUndefined();
    expect(
      (await signedRequest(emu, 'GetDataSource', { DataSourceId: 'ds', Verbose: true })).json
        ?.DataSourceSchema,
    ).toBe('{"v":1}');
    const plain = (await signedRequest(emu, 'GetMLModel', { MLModelId: 'ml' })).json!;
    expect([plain.Recipe, plain.Schema, plain.Algorithm, typeof plain.LogUri]).toEqual([
      undefined,
      undefined,
      undefined,
      'string',
    ]);
    const verbose = (await signedRequest(emu, 'GetMLModel', { MLModelId: 'ml', Verbose: true })).json!;
    expect([verbose.Recipe, verbose.Schema]).toEqual(['{}', '{"v":1}']);
    const listed = (await signedRequest(emu, 'DescribeMLModels', {})).json!.Results as Record<
      string,
      unknown
    >[];
    expect(listed[0]).toMatchObject({ Algorithm: 'sgd' });
    expect(listed[0]!.LogUri).toBeUndefined();
    expect(validateShape(outputShapeOf('DescribeMLModels'), { Results: listed })).toEqual([]);
  });

  it('put validates its input', async () => {
    const { emu } = await start();
    expect(() => emu.put('Nope' as never, {})).toThrow(/`kind`.*"Nope"/);
    expect(() => emu.put('BatchPrediction', { BatchPredictionId: 'bad id' })).toThrow(
      /`resource.BatchPredictionId`.*"bad id"/,
    );
    expect(() => emu.put('BatchPrediction', { BatchPredictionId: 'ok', Status: 'DONE' })).toThrow(
      /`resource.Status`.*"DONE"/,
    );
    expect(() => emu.put('BatchPrediction', { BatchPredictionId: 'ok', Colour: 'red' })).toThrow(/`Colour`/);
    expect(() => emu.put('BatchPrediction', { BatchPredictionId: 'ok', TotalRecordCount: 1.5 })).toThrow(
      /`resource.TotalRecordCount`/,
    );
    expect(() =>
      emu.put('BatchPrediction', { BatchPredictionId: 'ok' }, [
        { status: 'COMPLETED', forMs: 1 },
        { status: 'PENDING' },
      ]),
    ).toThrow(/`script\[0\]` \(COMPLETED\) to be last or followed by DELETED/);
    expect(() =>
      emu.put('BatchPrediction', { BatchPredictionId: 'ok' }, [
        { status: 'PENDING' },
        { status: 'COMPLETED' },
      ]),
    ).toThrow(/`script\[0\].forMs`/);
    expect(() => {
      emu.script('BatchPrediction', 'missing', [{ status: 'COMPLETED' }]);
    }).toThrow(/`id`.*"missing"/);
  });
});
