import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { control, send, signedRequest } from './helpers/rawRequest.js';

describe('HTTP control interface', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ controlToken: 'test-control-token' });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('exposes the control URL and token', () => {
    expect(emu.controlUrl).toBe(`${emu.endpoint}/__control`);
    expect(emu.controlToken).toBe('test-control-token');
  });

  it('requires the token: 401 without, 403 when wrong', async () => {
    const none = await control(emu, 'GET', '/health', undefined, null);
    expect([none.status, none.json?.__type]).toEqual([401, 'MissingControlTokenException']);
    const wrong = await control(emu, 'GET', '/health', undefined, 'not-the-token');
    expect([wrong.status, wrong.json?.__type]).toEqual([403, 'InvalidControlTokenException']);
    const bearer = await send(emu.endpoint, 'GET', '/__control/health', {
      authorization: 'Bearer test-control-token',
    });
    expect([bearer.status, bearer.json]).toEqual([200, { ok: true }]);
    // A rejected control request changes nothing.
    await control(emu, 'POST', '/reset', undefined, 'nope');
    expect((await control(emu, 'GET', '/health')).json).toEqual({ ok: true });
  });

  it('adds, reads and scripts resources', async () => {
    const put = await control(emu, 'POST', '/resources', {
      kind: 'BatchPrediction',
      resource: { BatchPredictionId: 'bp-ctl', Status: 'INPROGRESS', CreatedAt: 1_700_000_000 },
    });
    expect(put.status).toBe(200);
    expect(put.json?.resource).toMatchObject({
      BatchPredictionId: 'bp-ctl',
      Status: 'INPROGRESS',
      CreatedAt: 1_700_000_000,
    });
    const got = await control(emu, 'GET', '/resources/BatchPrediction/bp-ctl');
    expect(got.json?.Status).toBe('INPROGRESS');
    const scripted = await control(emu, 'POST', '/resources/BatchPrediction/bp-ctl/script', {
      steps: [{ status: 'FAILED', message: 'scripted' }],
    });
    expect(scripted.status).toBe(204);
    const api = await signedRequest(emu, 'GetBatchPrediction', { BatchPredictionId: 'bp-ctl' });
    expect(api.json).toMatchObject({ Status: 'FAILED', Message: 'scripted' });
    expect((await control(emu, 'GET', '/resources/BatchPrediction/none')).status).toBe(404);
  });

  it('reports invalid input with the field name', async () => {
    const res = await control(emu, 'POST', '/resources', {
      kind: 'BatchPrediction',
      resource: { BatchPredictionId: 'bad id' },
    });
    expect(res.status).toBe(400);
    expect(res.json?.message).toMatch(/`resource.BatchPredictionId`.*"bad id"/);
    const badJson = await send(
      emu.endpoint,
      'POST',
      '/__control/faults',
      { 'x-aml-emulator-token': 'test-control-token' },
      '{',
    );
    expect([badJson.status, badJson.json?.__type]).toEqual([400, 'SerializationException']);
    expect((await control(emu, 'GET', '/nothing-here')).status).toBe(404);
  });

  it('manages faults, modes, credentials, the request log, counters and reset', async () => {
    const added = await control(emu, 'POST', '/faults', {
      kind: 'throttle',
      operation: 'GetBatchPrediction',
      times: 1,
    });
    const ruleId = added.json?.ruleId as string;
    expect(ruleId).toMatch(/^fault-\d+$/);
    expect(
      (await signedRequest(emu, 'GetBatchPrediction', { BatchPredictionId: 'bp-ctl' })).json?.__type,
    ).toBe('ThrottlingException');
    const listed = await control(emu, 'GET', '/faults');
    expect(listed.json?.faults).toEqual([
      { kind: 'throttle', operation: 'GetBatchPrediction', times: 1, ruleId, matched: 1, applied: 1 },
    ]);
    expect((await control(emu, 'DELETE', `/faults/${ruleId}`)).status).toBe(204);
    expect((await control(emu, 'DELETE', `/faults/${ruleId}`)).status).toBe(404);
    await control(emu, 'POST', '/faults', { kind: 'serverError' });
    expect((await control(emu, 'DELETE', '/faults')).status).toBe(204);
    expect((await control(emu, 'GET', '/faults')).json?.faults).toEqual([]);

    expect((await control(emu, 'PUT', '/not-onboarded', { enabled: true })).status).toBe(204);
    expect((await signedRequest(emu, 'DescribeMLModels', {})).status).toBe(403);
    await control(emu, 'PUT', '/not-onboarded', { enabled: false });
    expect((await control(emu, 'PUT', '/not-onboarded', { enabled: 'yes' })).status).toBe(400);

    await control(emu, 'PUT', '/skew', { skewMs: 7_200_000 });
    const skewed = await signedRequest(emu, 'DescribeMLModels', {});
    expect(skewed.json?.message).toMatch(/^Signature expired/);
    await control(emu, 'PUT', '/skew', { skewMs: 0 });

    const cred = {
      accessKeyId: 'ASIACONTROL000000000',
      secretAccessKey: 'ctl-secret',
      sessionToken: 'ctl-token',
    };
    await control(emu, 'POST', '/credentials', {
      ...cred,
      expiresAt: new Date(Date.now() + 60_000).toISOString(),
    });
    expect((await signedRequest(emu, 'DescribeMLModels', {}, { credentials: cred })).status).toBe(200);

    const log = await control(emu, 'GET', '/requests');
    const entries = log.json?.requests as { operation: string; statusCode: number }[];
    expect(entries.map((e) => e.statusCode)).toContain(403);
    const counters = await control(emu, 'GET', '/counters');
    expect(counters.json?.requests).toBe(entries.length);
    expect(JSON.stringify(log.json)).not.toContain('ctl-secret');

    expect((await control(emu, 'POST', '/reset')).status).toBe(204);
    expect((await control(emu, 'GET', '/counters')).json?.requests).toBe(0);
    expect((await control(emu, 'GET', '/resources/BatchPrediction/bp-ctl')).status).toBe(404);
  });
});
