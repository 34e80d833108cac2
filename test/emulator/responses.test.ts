import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { startEmulator, VirtualClock } from '../../src/emulator/index.js';
import { signedRequest } from './helpers/rawRequest.js';
import { outputShapeOf, validateShape } from './helpers/smithyValidator.js';

// Reference §10.2: the exact bodies for each state.
const ID = 'EXAMPLE-bp-2014-09-12-15-14-04-156';
const BASE = {
  BatchPredictionId: ID,
  MLModelId: 'EXAMPLE-pr-2014-09-12-15-14-04-924',
  BatchPredictionDataSourceId: 'EXAMPLE-tr-ds-2014-09-12-15-14-04-156',
  InputDataLocationS3: 's3://eml-test-EXAMPLE/data.csv',
  CreatedByIamUser: 'arn:aws:iam::123456789012:user/ml-user',
  CreatedAt: 1410560278.433,
  Name: 'EXAMPLE',
  OutputUri: 's3://eml-test-EXAMPLE/test-outputs/',
};
const LOG_URI = `https://eml-test-EXAMPLE.s3.amazonaws.com/logs/${ID}?X-Amz-Expires=3600`;

describe('responses by state (reference §10.2)', () => {
  let emu: Emulator;
  const clock = new VirtualClock({ startWallMs: 1410560278433 });

  beforeAll(async () => {
    emu = await startEmulator({ clock });
    emu.put('BatchPrediction', { ...BASE, LogUri: LOG_URI, TotalRecordCount: 1000, InvalidRecordCount: 3 }, [
      { status: 'PENDING', forMs: 11_667 },
      { status: 'INPROGRESS', forMs: 53_924 },
      { status: 'COMPLETED', fields: { ComputeTime: 370000 } },
    ]);
    emu.put('BatchPrediction', { ...BASE, BatchPredictionId: 'failing' }, [
      { status: 'PENDING', forMs: 11_667 },
      { status: 'INPROGRESS', forMs: 10_400 },
      { status: 'FAILED', message: 'EXAMPLE failure reason' },
    ]);
  });
  afterAll(async () => {
    await emu.close();
  });

  async function get(id: string): Promise<Record<string, unknown>> {
    const res = await signedRequest(emu, 'GetBatchPrediction', { BatchPredictionId: id });
    expect(res.status).toBe(200);
    expect(validateShape(outputShapeOf('GetBatchPrediction'), res.json)).toEqual([]);
    return res.json!;
  }

  it('PENDING: no StartedAt, FinishedAt, ComputeTime', async () => {
    expect(await get(ID)).toEqual({ ...BASE, LastUpdatedAt: 1410560278.433, Status: 'PENDING' });
  });

  it('INPROGRESS adds StartedAt', async () => {
    clock.advance(11_667);
    expect(await get(ID)).toEqual({
      ...BASE,
      LastUpdatedAt: 1410560290.1,
      Status: 'INPROGRESS',
      StartedAt: 1410560290.1,
    });
  });

  it('FAILED: Message, FinishedAt, StartedAt; no ComputeTime', async () => {
    clock.advance(10_400);
    expect(await get('failing')).toEqual({
      ...BASE,
      BatchPredictionId: 'failing',
      LastUpdatedAt: 1410560300.5,
      Status: 'FAILED',
      Message: 'EXAMPLE failure reason',
      StartedAt: 1410560290.1,
      FinishedAt: 1410560300.5,
    });
  });

  it('COMPLETED: the full body, timestamps as numbers and longs as integers on the wire', async () => {
    clock.advance(53_924 - 10_400);
    const res = await signedRequest(emu, 'GetBatchPrediction', { BatchPredictionId: ID });
    expect(res.json).toEqual({
      ...BASE,
      LastUpdatedAt: 1410560344.024,
      Status: 'COMPLETED',
      LogUri: LOG_URI,
      Message: '',
      ComputeTime: 370000,
      StartedAt: 1410560290.1,
      FinishedAt: 1410560344.024,
      TotalRecordCount: 1000,
      InvalidRecordCount: 3,
    });
    expect(res.text).toContain('"CreatedAt":1410560278.433');
    expect(res.text).toContain('"TotalRecordCount":1000,');
  });

  it('DELETED: the body of the last state with Status DELETED; Get still answers', async () => {
    clock.advance(1000);
    const del = await signedRequest(emu, 'DeleteBatchPrediction', { BatchPredictionId: ID });
    expect(del.json).toEqual({ BatchPredictionId: ID });
    expect(validateShape(outputShapeOf('DeleteBatchPrediction'), del.json)).toEqual([]);
    const body = await get(ID);
    expect(body).toMatchObject({
      Status: 'DELETED',
      ComputeTime: 370000,
      FinishedAt: 1410560344.024,
      LastUpdatedAt: 1410560345.024,
    });
  });

  it('sends Content-Type, x-amzn-RequestId, Date and Content-Length on every response', async () => {
    for (const input of [
      { BatchPredictionId: ID },
      { BatchPredictionId: 'missing' },
      { BatchPredictionId: '' },
    ]) {
      const res = await signedRequest(emu, 'GetBatchPrediction', input);
      expect(res.headers['content-type']).toBe('application/x-amz-json-1.1');
      expect(res.headers['x-amzn-requestid']).toMatch(
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      expect(res.headers.date).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
      expect(Math.abs(Date.parse(res.headers.date!) - Date.now())).toBeLessThan(5000);
      expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.text));
    }
  });
});
