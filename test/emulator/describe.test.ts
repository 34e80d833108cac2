import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { startEmulator, VirtualClock } from '../../src/emulator/index.js';
import { signedRequest } from './helpers/rawRequest.js';
import { outputShapeOf, validateShape } from './helpers/smithyValidator.js';

const T0 = Date.UTC(2026, 0, 1); // 1767225600 s

describe('Describe… filters, sorting and pagination', () => {
  let emu: Emulator;
  const clock = new VirtualClock({ startWallMs: T0 });

  async function ids(op: string, input: Record<string, unknown>): Promise<{ ids: string[]; next: unknown }> {
    const res = await signedRequest(emu, op, input);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(validateShape(outputShapeOf(op), res.json)).toEqual([]);
    const results = res.json!.Results as Record<string, unknown>[];
    return {
      ids: results.map(
        (r) => (r.EvaluationId ?? r.BatchPredictionId ?? r.MLModelId ?? r.DataSourceId) as string,
      ),
      next: res.json!.NextToken,
    };
  }

  beforeAll(async () => {
    emu = await startEmulator({ clock });
    const names = ['delta', 'alpha', 'charlie', 'bravo', 'echo'];
    names.forEach((name, i) => {
      emu.put('BatchPrediction', {
        BatchPredictionId: `bp-${i}`,
        Name: name,
        MLModelId: i % 2 === 0 ? 'ml-even' : 'ml-odd',
        BatchPredictionDataSourceId: `ds-${i}`,
        InputDataLocationS3: `s3://bucket/${name}.csv`,
        Status: i === 4 ? 'FAILED' : 'COMPLETED',
      });
      clock.advance(1000);
    });
    emu.put('MLModel', {
      MLModelId: 'ml-r',
      MLModelType: 'REGRESSION',
      Status: 'COMPLETED',
      EndpointInfo: { EndpointStatus: 'READY' },
    });
    emu.put('MLModel', {
      MLModelId: 'ml-b',
      MLModelType: 'BINARY',
      Status: 'COMPLETED',
      EndpointInfo: { EndpointStatus: 'NONE' },
    });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('lists everything by CreatedAt by default, dsc reverses', async () => {
    expect((await ids('DescribeBatchPredictions', {})).ids).toEqual(['bp-0', 'bp-1', 'bp-2', 'bp-3', 'bp-4']);
    expect((await ids('DescribeBatchPredictions', { SortOrder: 'dsc' })).ids).toEqual([
      'bp-4',
      'bp-3',
      'bp-2',
      'bp-1',
      'bp-0',
    ]);
  });

  it('supports EQ, NE, GT, GE, LT, LE and Prefix, combined with AND', async () => {
    const d = (input: Record<string, unknown>) =>
      ids('DescribeBatchPredictions', { FilterVariable: 'Name', ...input });
    expect((await d({ EQ: 'charlie' })).ids).toEqual(['bp-2']);
    expect((await d({ NE: 'charlie' })).ids).toEqual(['bp-1', 'bp-3', 'bp-0', 'bp-4']);
    expect((await d({ GT: 'charlie' })).ids).toEqual(['bp-0', 'bp-4']);
    expect((await d({ GE: 'charlie' })).ids).toEqual(['bp-2', 'bp-0', 'bp-4']);
    expect((await d({ LT: 'charlie' })).ids).toEqual(['bp-1', 'bp-3']);
    expect((await d({ LE: 'charlie', GT: 'alpha' })).ids).toEqual(['bp-3', 'bp-2']);
    expect((await d({ Prefix: 'e' })).ids).toEqual(['bp-4']);
    expect((await d({ GE: 'b', SortOrder: 'dsc' })).ids).toEqual(['bp-4', 'bp-0', 'bp-2', 'bp-3']);
  });

  it('Name EQ reads the name index, which follows renames (UpdateBatchPrediction)', async () => {
    const own = await startEmulator({});
    try {
      own.put('BatchPrediction', { BatchPredictionId: 'bp-a', Name: 'alpha', Status: 'COMPLETED' });
      own.put('BatchPrediction', { BatchPredictionId: 'bp-b', Name: 'alpha', Status: 'COMPLETED' });
      const named = async (input: Record<string, unknown>) => {
        const res = await signedRequest(own, 'DescribeBatchPredictions', {
          FilterVariable: 'Name',
          ...input,
        });
        return (res.json!.Results as { BatchPredictionId: string }[]).map((r) => r.BatchPredictionId);
      };
      expect(await named({ EQ: 'alpha' })).toEqual(['bp-a', 'bp-b']);
      const renamed = await signedRequest(own, 'UpdateBatchPrediction', {
        BatchPredictionId: 'bp-b',
        BatchPredictionName: 'beta',
      });
      expect(renamed.status).toBe(200);
      expect(await named({ EQ: 'alpha' })).toEqual(['bp-a']);
      expect(await named({ EQ: 'beta' })).toEqual(['bp-b']);
      expect(await named({ EQ: 'beta', GT: 'z' })).toEqual([]);
      // Replacing a resource (put with the same id) moves it to its new name.
      own.put('BatchPrediction', { BatchPredictionId: 'bp-a', Name: 'gamma', Status: 'COMPLETED' });
      expect(await named({ EQ: 'alpha' })).toEqual([]);
      expect(await named({ EQ: 'gamma' })).toEqual(['bp-a']);
    } finally {
      await own.close();
    }
  });

  it('filters on every FilterVariable of the kind', async () => {
    const d = (input: Record<string, unknown>) => ids('DescribeBatchPredictions', input);
    expect((await d({ FilterVariable: 'Status', EQ: 'FAILED' })).ids).toEqual(['bp-4']);
    expect((await d({ FilterVariable: 'MLModelId', EQ: 'ml-odd' })).ids).toEqual(['bp-1', 'bp-3']);
    expect((await d({ FilterVariable: 'DataSourceId', EQ: 'ds-2' })).ids).toEqual(['bp-2']);
    expect((await d({ FilterVariable: 'DataURI', Prefix: 's3://bucket/a' })).ids).toEqual(['bp-1']);
    expect(
      (await d({ FilterVariable: 'IAMUser', EQ: 'arn:aws:iam::123456789012:user/aml-emulator' })).ids,
    ).toHaveLength(5);
    expect(
      (await d({ FilterVariable: 'CreatedAt', GE: String(T0 / 1000 + 2), LT: '2026-01-01T00:00:04Z' })).ids,
    ).toEqual(['bp-2', 'bp-3']);
    expect((await d({ FilterVariable: 'LastUpdatedAt', GT: String(T0 / 1000 + 3) })).ids).toEqual(['bp-4']);
    const m = (input: Record<string, unknown>) => ids('DescribeMLModels', input);
    expect((await m({ FilterVariable: 'MLModelType', EQ: 'REGRESSION' })).ids).toEqual(['ml-r']);
    expect((await m({ FilterVariable: 'RealtimeEndpointStatus', EQ: 'READY' })).ids).toEqual(['ml-r']);
    expect((await m({ FilterVariable: 'Algorithm', EQ: 'sgd' })).ids).toHaveLength(2);
  });

  it('covers the FilterVariables of data sources, ML models and evaluations', async () => {
    emu.put('DataSource', {
      DataSourceId: 'ds-a',
      DataLocationS3: 's3://data/a.csv',
      Name: 'a',
      Status: 'COMPLETED',
    });
    emu.put('DataSource', {
      DataSourceId: 'ds-b',
      DataLocationS3: 's3://data/b.csv',
      Name: 'b',
      Status: 'FAILED',
    });
    emu.put('MLModel', {
      MLModelId: 'ml-t',
      TrainingDataSourceId: 'ds-a',
      InputDataLocationS3: 's3://data/a.csv',
      Status: 'INPROGRESS',
    });
    emu.put('Evaluation', {
      EvaluationId: 'ev-1',
      MLModelId: 'ml-t',
      EvaluationDataSourceId: 'ds-b',
      InputDataLocationS3: 's3://data/b.csv',
      Name: 'eval',
      Status: 'COMPLETED',
    });
    const ds = (input: Record<string, unknown>) => ids('DescribeDataSources', input);
    expect((await ds({ FilterVariable: 'DataLocationS3', EQ: 's3://data/b.csv' })).ids).toEqual(['ds-b']);
    expect((await ds({ FilterVariable: 'Status', NE: 'FAILED' })).ids).toEqual(['ds-a']);
    expect((await ds({ FilterVariable: 'Name', LE: 'a' })).ids).toEqual(['ds-a']);
    const ml = (input: Record<string, unknown>) => ids('DescribeMLModels', input);
    expect((await ml({ FilterVariable: 'TrainingDataSourceId', EQ: 'ds-a' })).ids).toEqual(['ml-t']);
    expect((await ml({ FilterVariable: 'TrainingDataURI', Prefix: 's3://data/' })).ids).toEqual(['ml-t']);
    expect((await ml({ FilterVariable: 'Status', EQ: 'INPROGRESS' })).ids).toEqual(['ml-t']);
    const ev = (input: Record<string, unknown>) => ids('DescribeEvaluations', input);
    expect((await ev({ FilterVariable: 'MLModelId', EQ: 'ml-t' })).ids).toEqual(['ev-1']);
    expect((await ev({ FilterVariable: 'DataSourceId', EQ: 'ds-b' })).ids).toEqual(['ev-1']);
    expect((await ev({ FilterVariable: 'DataURI', EQ: 's3://data/b.csv' })).ids).toEqual(['ev-1']);
    expect((await ev({ FilterVariable: 'DataSourceId', EQ: 'ds-a' })).ids).toEqual([]);
  });

  it('paginates with Limit and NextToken', async () => {
    const first = await ids('DescribeBatchPredictions', { Limit: 2 });
    expect(first.ids).toEqual(['bp-0', 'bp-1']);
    expect(typeof first.next).toBe('string');
    const second = await ids('DescribeBatchPredictions', { Limit: 2, NextToken: first.next });
    expect(second.ids).toEqual(['bp-2', 'bp-3']);
    const third = await ids('DescribeBatchPredictions', { Limit: 2, NextToken: second.next });
    expect(third).toEqual({ ids: ['bp-4'], next: undefined });
  });

  it('rejects bad input with InvalidInputException', async () => {
    const bad: Record<string, unknown>[] = [
      { FilterVariable: 'MLModelType' },
      { Limit: 0 },
      { Limit: 101 },
      { Limit: 1.5 },
      { SortOrder: 'up' },
      { NextToken: 'forged!' },
      { FilterVariable: 'Name', EQ: '  ' },
      { FilterVariable: 'Name', EQ: 'x'.repeat(1025) },
      { FilterVariable: 'CreatedAt', GT: 'yesterday' },
    ];
    for (const input of bad) {
      const res = await signedRequest(emu, 'DescribeBatchPredictions', input);
      expect([JSON.stringify(input), res.status, res.json?.__type]).toEqual([
        JSON.stringify(input),
        400,
        'InvalidInputException',
      ]);
    }
  });
});

describe('Describe… pages after the first follow the order the first page found', () => {
  const query = (extra: Record<string, unknown>) => ({ Limit: 2, SortOrder: 'asc', ...extra });

  async function page(
    emu: Emulator,
    input: Record<string, unknown>,
  ): Promise<{ ids: string[]; next: unknown }> {
    const res = await signedRequest(emu, 'DescribeBatchPredictions', input);
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const results = res.json!.Results as Record<string, unknown>[];
    return { ids: results.map((r) => r.BatchPredictionId as string), next: res.json!.NextToken };
  }

  /** Six jobs created 1 s apart from T0, all PENDING; `changing` turns COMPLETED at T0 + 7 s. */
  async function sixJobs(changing: number): Promise<{ emu: Emulator; clock: VirtualClock }> {
    const clock = new VirtualClock({ startWallMs: T0 });
    const emu = await startEmulator({ clock });
    for (let i = 0; i < 6; i++) {
      const fields = {
        BatchPredictionId: `bp-${i}`,
        Name: `job-${i}`,
        MLModelId: 'ml-1',
        BatchPredictionDataSourceId: 'ds-1',
        InputDataLocationS3: 's3://bucket/in.csv',
      };
      if (i === changing)
        emu.put('BatchPrediction', fields, [
          { status: 'PENDING', forMs: (7 - i) * 1000 },
          { status: 'COMPLETED' },
        ]);
      else emu.put('BatchPrediction', { ...fields, Status: 'PENDING' });
      clock.advance(1000);
    }
    return { emu, clock };
  }

  it('a job whose LastUpdatedAt moves between pages is listed once, not skipped or repeated', async () => {
    const { emu, clock } = await sixJobs(0);
    try {
      const input = query({ FilterVariable: 'LastUpdatedAt', GT: String(T0 / 1000 - 1) });
      const first = await page(emu, input);
      expect(first.ids).toEqual(['bp-0', 'bp-1']);
      // bp-0 completes: listed afresh, it would now sort last, and bp-2 would fall between the pages.
      clock.advance(2000);
      const second = await page(emu, { ...input, NextToken: first.next });
      const third = await page(emu, { ...input, NextToken: second.next });
      expect([second.ids, third.ids, third.next]).toEqual([['bp-2', 'bp-3'], ['bp-4', 'bp-5'], undefined]);
      // The next pass (a first page) sees the new order.
      expect((await page(emu, { ...input, Limit: 100 })).ids).toEqual([
        'bp-1',
        'bp-2',
        'bp-3',
        'bp-4',
        'bp-5',
        'bp-0',
      ]);
    } finally {
      await emu.close();
    }
  });

  it('a job that no longer matches is left out of its page; a change to the store lists afresh', async () => {
    const { emu, clock } = await sixJobs(3);
    try {
      const input = query({ FilterVariable: 'Status', EQ: 'PENDING' });
      const first = await page(emu, input);
      expect(first.ids).toEqual(['bp-0', 'bp-1']);
      clock.advance(2000);
      // bp-3 has completed: its page shows the jobs still PENDING, shown as they are now.
      const second = await page(emu, { ...input, NextToken: first.next });
      expect(second.ids).toEqual(['bp-2']);
      const third = await page(emu, { ...input, NextToken: second.next });
      expect(third).toEqual({ ids: ['bp-4', 'bp-5'], next: undefined });
      // A new job between the pages: the next page is computed from the store as it is (bp-0a sorts after
      // bp-0 by id, so bp-1 moves to the second page; the first page's order would have shown bp-2, bp-4).
      const again = await page(emu, input);
      emu.put('BatchPrediction', {
        BatchPredictionId: 'bp-0a',
        MLModelId: 'ml-1',
        BatchPredictionDataSourceId: 'ds-1',
        InputDataLocationS3: 's3://bucket/in.csv',
        Status: 'PENDING',
      });
      expect((await page(emu, { ...input, NextToken: again.next })).ids).toEqual(['bp-1', 'bp-2']);
    } finally {
      await emu.close();
    }
  });
});
