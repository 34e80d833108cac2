import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { signedRequest } from './helpers/rawRequest.js';
import { validateShape } from './helpers/smithyValidator.js';

const NS = 'com.amazonaws.machinelearning#';

describe('names and filter values follow the model pattern `\\S.*|^$`, unanchored as in Smithy', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, autoCreateReferences: true });
  });
  afterAll(async () => {
    await emu.close();
  });

  const names = [' leading space', '  two spaces', '\ttab first', 'plain', '', ' ', '   ', '\t\n'];

  it('accepts a Name exactly when the model does: empty, or holding a non-whitespace character', async () => {
    for (const [index, name] of names.entries()) {
      const input = {
        DataSourceId: `ds-name-${index}`,
        DataSourceName: name,
        DataSpec: { DataLocationS3: 's3://bucket/data.csv', DataSchema: '{}' },
      };
      const modelAccepts = validateShape(`${NS}CreateDataSourceFromS3Input`, input).length === 0;
      const res = await signedRequest(emu, 'CreateDataSourceFromS3', input);
      expect([JSON.stringify(name), res.status, res.json?.__type]).toEqual([
        JSON.stringify(name),
        modelAccepts ? 200 : 400,
        modelAccepts ? undefined : 'InvalidInputException',
      ]);
      if (modelAccepts && name !== '') {
        const got = await signedRequest(emu, 'GetDataSource', { DataSourceId: `ds-name-${index}` });
        expect(got.json?.Name).toBe(name);
      }
    }
    // The model itself: a leading space passes, whitespace alone does not.
    expect(names.map((name) => validateShape(`${NS}EntityName`, name).length === 0)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('accepts a leading space in the Name of an update and of each kind of Create', async () => {
    const created = await signedRequest(emu, 'CreateBatchPrediction', {
      BatchPredictionId: 'bp-space',
      BatchPredictionName: ' nightly scores',
      MLModelId: 'ml-space',
      BatchPredictionDataSourceId: 'ds-space',
      OutputUri: 's3://bucket/out/',
    });
    expect(created.status, created.text).toBe(200);
    const updated = await signedRequest(emu, 'UpdateBatchPrediction', {
      BatchPredictionId: 'bp-space',
      BatchPredictionName: ' renamed',
    });
    expect(updated.status, updated.text).toBe(200);
    const model = await signedRequest(emu, 'CreateMLModel', {
      MLModelId: 'ml-space-2',
      MLModelName: ' churn model',
      MLModelType: 'BINARY',
      TrainingDataSourceId: 'ds-space',
    });
    expect(model.status, model.text).toBe(200);
    const evaluation = await signedRequest(emu, 'CreateEvaluation', {
      EvaluationId: 'ev-space',
      EvaluationName: ' holdout',
      MLModelId: 'ml-space-2',
      EvaluationDataSourceId: 'ds-space',
    });
    expect(evaluation.status, evaluation.text).toBe(200);
    const whitespaceOnly = await signedRequest(emu, 'UpdateMLModel', {
      MLModelId: 'ml-space-2',
      MLModelName: '  ',
    });
    expect([whitespaceOnly.status, whitespaceOnly.json?.__type, whitespaceOnly.json?.message]).toEqual([
      400,
      'InvalidInputException',
      'MLModelName must be a string of at most 1024 characters that is empty or not only whitespace',
    ]);
  });

  it('filters on a value with a leading space, and rejects only whitespace alone', async () => {
    const found = await signedRequest(emu, 'DescribeBatchPredictions', {
      FilterVariable: 'Name',
      EQ: ' renamed',
    });
    expect(found.status, found.text).toBe(200);
    expect((found.json?.Results as { BatchPredictionId: string }[]).map((r) => r.BatchPredictionId)).toEqual([
      'bp-space',
    ]);
    const prefix = await signedRequest(emu, 'DescribeBatchPredictions', {
      FilterVariable: 'Name',
      Prefix: ' ren',
    });
    expect(prefix.status, prefix.text).toBe(200);
    expect((prefix.json?.Results as unknown[]).length).toBe(1);
    const blank = await signedRequest(emu, 'DescribeBatchPredictions', { FilterVariable: 'Name', EQ: '   ' });
    expect([blank.status, blank.json?.__type, blank.json?.message]).toEqual([
      400,
      'InvalidInputException',
      'EQ must be a string of at most 1024 characters that is empty or not only whitespace',
    ]);
    expect(validateShape(`${NS}ComparatorValue`, ' renamed')).toEqual([]);
    expect(validateShape(`${NS}ComparatorValue`, '   ')).not.toEqual([]);
  });
});

describe('timestamps on the wire have millisecond precision, whatever happened to the resource', () => {
  // The system clock: `now()` is a monotonic clock with sub-millisecond fractions, as in `aml-emulator`.
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ port: 0, autoCreateReferences: true, speed: 7 });
  });
  afterAll(async () => {
    await emu.close();
  });

  /** Every number that follows a `…At"` member in the raw JSON text, as written. */
  function timestampTexts(text: string): string[] {
    return [...text.matchAll(/"(\w+At)":(-?[\d.eE+-]+)/g)].map((match) => `${match[1]}=${match[2]}`);
  }

  it('CreatedAt, LastUpdatedAt, StartedAt, FinishedAt and ScoreThresholdLastUpdatedAt after create, update, delete', async () => {
    const texts: string[] = [];
    const record = async (operation: string, input: Record<string, unknown>): Promise<void> => {
      const res = await signedRequest(emu, operation, input);
      expect(res.status, res.text).toBe(200);
      texts.push(...timestampTexts(res.text));
    };
    await signedRequest(emu, 'CreateMLModel', {
      MLModelId: 'ml-ts',
      MLModelType: 'BINARY',
      TrainingDataSourceId: 'ds-ts',
    });
    await record('GetMLModel', { MLModelId: 'ml-ts' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await record('UpdateMLModel', { MLModelId: 'ml-ts', MLModelName: 'renamed', ScoreThreshold: 0.7 });
    await record('GetMLModel', { MLModelId: 'ml-ts' });
    await new Promise((resolve) => setTimeout(resolve, 700));
    await record('GetMLModel', { MLModelId: 'ml-ts' });
    await record('DeleteMLModel', { MLModelId: 'ml-ts' });
    await record('GetMLModel', { MLModelId: 'ml-ts' });
    await record('DescribeMLModels', { FilterVariable: 'Name', EQ: 'renamed' });
    const members = new Set(texts.map((text) => text.split('=')[0]));
    expect([...members].sort()).toEqual([
      'CreatedAt',
      'FinishedAt',
      'LastUpdatedAt',
      'ScoreThresholdLastUpdatedAt',
      'StartedAt',
    ]);
    // Seconds with at most three decimals: `1764928800.123`, never `1764928800.1234567`.
    expect(texts.filter((text) => !/=\d+(\.\d{1,3})?$/.test(text))).toEqual([]);
  });
});
