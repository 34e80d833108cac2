import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { createSeededRandom, startEmulator } from '../../src/emulator/index.js';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import { signedRequest } from './helpers/rawRequest.js';
import { faultKinds } from '../../src/emulator/faultKinds.js';

const GET = { BatchPredictionId: 'bp-1' };

describe('fault injection', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ random: createSeededRandom(7) });
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-1', Status: 'COMPLETED', TotalRecordCount: 5 });
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-2', Status: 'COMPLETED' });
  });
  afterEach(() => {
    emu.clearFaults();
  });
  afterAll(async () => {
    await emu.close();
  });

  it('throttles the first N matching requests (sequence), then lets them through', async () => {
    emu.addFault({ kind: 'throttle', operation: 'GetBatchPrediction', times: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await signedRequest(emu, 'GetBatchPrediction', GET)).status);
    expect(statuses).toEqual([400, 400, 200]);
    expect(emu.faults()[0]).toMatchObject({ matched: 3, applied: 2 });
  });

  it('throttles with and without Retry-After / x-amz-retry-after', async () => {
    emu.addFault({ kind: 'throttle', times: 1 });
    const plain = await signedRequest(emu, 'GetBatchPrediction', GET);
    expect(plain.json).toEqual({ __type: 'ThrottlingException', message: 'Rate exceeded' });
    expect(plain.headers['x-amzn-errortype']).toBe('ThrottlingException');
    expect(plain.headers['retry-after']).toBeUndefined();
    emu.addFault({ kind: 'throttle', times: 1, retryAfterSeconds: 3, retryAfterMs: 2500 });
    const hinted = await signedRequest(emu, 'GetBatchPrediction', GET);
    expect(hinted.headers['retry-after']).toBe('3');
    expect(hinted.headers['x-amz-retry-after']).toBe('2500');
  });

  it('matches by id and skips the first matches', async () => {
    emu.addFault({ kind: 'error', status: 404, errorType: 'ResourceNotFoundException', id: 'bp-2', skip: 1 });
    expect((await signedRequest(emu, 'GetBatchPrediction', GET)).status).toBe(200);
    expect((await signedRequest(emu, 'GetBatchPrediction', { BatchPredictionId: 'bp-2' })).status).toBe(200);
    const second = await signedRequest(emu, 'GetBatchPrediction', { BatchPredictionId: 'bp-2' });
    expect(second.status).toBe(404);
    expect(second.json?.message).toBe('Injected error');
  });

  it('applies a rate with the seeded random source (deterministic)', async () => {
    emu.addFault({ kind: 'serverError', rate: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await signedRequest(emu, 'GetBatchPrediction', GET)).status);
    const failures = statuses.filter((s) => s === 500).length;
    expect(failures).toBe(emu.faults()[0]!.applied);
    expect(failures).toBeGreaterThan(3);
    expect(failures).toBeLessThan(17);
  });

  it('answers 500 JSON, 503 JSON, 503 HTML and empty 502', async () => {
    emu.addFault({ kind: 'serverError', times: 1 });
    const json500 = await signedRequest(emu, 'GetBatchPrediction', GET);
    expect([json500.status, json500.json]).toEqual([
      500,
      { __type: 'InternalServerException', message: 'An internal error occurred' },
    ]);
    emu.addFault({ kind: 'serverError', status: 503, times: 1 });
    const json503 = await signedRequest(emu, 'GetBatchPrediction', GET);
    expect([json503.status, json503.json?.__type]).toEqual([503, 'ServiceUnavailableException']);
    emu.addFault({ kind: 'serverError', status: 503, format: 'html', times: 1 });
    const html = await signedRequest(emu, 'GetBatchPrediction', GET);
    expect(html.status).toBe(503);
    expect(html.headers['content-type']).toBe('text/html');
    expect(html.text).toMatch(/^<html>.*503 Service Temporarily Unavailable/);
    expect(html.json).toBeUndefined();
    emu.addFault({ kind: 'serverError', status: 502, format: 'empty', times: 1 });
    const empty = await signedRequest(emu, 'GetBatchPrediction', GET);
    expect([empty.status, empty.text]).toEqual([502, '']);
  });

  it('resets the connection', async () => {
    emu.addFault({ kind: 'reset', times: 1 });
    await expect(signedRequest(emu, 'GetBatchPrediction', GET)).rejects.toThrow();
    expect((await signedRequest(emu, 'GetBatchPrediction', GET)).status).toBe(200);
    expect(emu.requests().some((r) => r.statusCode === 0 && r.errorType === 'ConnectionReset')).toBe(true);
  });

  it('delays beyond a client timeout (real time) without blocking other requests', async () => {
    emu.addFault({ kind: 'delay', ms: 1000, id: 'bp-1', times: 1 });
    const started = performance.now();
    const slow = signedRequest(emu, 'GetBatchPrediction', GET);
    const fast = await signedRequest(emu, 'GetBatchPrediction', { BatchPredictionId: 'bp-2' });
    expect(fast.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(1000);
    expect((await slow).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    emu.addFault({ kind: 'delay', ms: 500, times: 1 });
    await expect(signedRequest(emu, 'GetBatchPrediction', GET, { timeoutMs: 100 })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
  });

  it('sends malformed JSON', async () => {
    emu.addFault({ kind: 'malformedJson', times: 1 });
    const res = await signedRequest(emu, 'GetBatchPrediction', GET);
    expect(res.status).toBe(200);
    expect(res.text.startsWith('{"BatchPredictionId":"bp-1"')).toBe(true);
    expect(() => JSON.parse(res.text) as unknown).toThrow(SyntaxError);
  });

  it('skews the Date header', async () => {
    emu.addFault({ kind: 'skewDate', skewMs: -600_000, times: 1 });
    const res = await signedRequest(emu, 'GetBatchPrediction', GET);
    expect(res.status).toBe(200);
    expect(Date.now() - Date.parse(res.headers.date!)).toBeGreaterThan(595_000);
  });

  it('error-type quirks: __type only, header only, fully qualified, numeric code', async () => {
    const missing = { BatchPredictionId: 'missing' };
    emu.addFault({ kind: 'errorTypeQuirk', quirk: 'typeOnly', times: 1 });
    const typeOnly = await signedRequest(emu, 'GetBatchPrediction', missing);
    expect(typeOnly.headers['x-amzn-errortype']).toBeUndefined();
    expect(typeOnly.json).toEqual({
      __type: 'ResourceNotFoundException',
      message: 'No BatchPrediction found with id missing',
    });

    emu.addFault({ kind: 'errorTypeQuirk', quirk: 'headerOnly', times: 1 });
    const headerOnly = await signedRequest(emu, 'GetBatchPrediction', missing);
    expect(headerOnly.headers['x-amzn-errortype']).toBe('ResourceNotFoundException');
    expect(headerOnly.json).toEqual({ message: 'No BatchPrediction found with id missing' });

    emu.addFault({ kind: 'errorTypeQuirk', quirk: 'fullyQualified', times: 1 });
    const qualified = await signedRequest(emu, 'GetBatchPrediction', missing);
    expect(qualified.json?.__type).toMatch(
      /^com\.amazonaws\.machinelearning#ResourceNotFoundException:http:\/\/internal\.amazon\.com\/coral\//,
    );
    expect(qualified.headers['x-amzn-errortype']).toBe(qualified.json?.__type);

    emu.addFault({ kind: 'errorTypeQuirk', quirk: 'numericCode', times: 1 });
    emu.addFault({ kind: 'throttle', times: 1 });
    const coded = await signedRequest(emu, 'GetBatchPrediction', GET);
    expect(coded.json).toEqual({ __type: 'ThrottlingException', message: 'Rate exceeded', code: 0 });
  });

  it('sends longs above 2^53', async () => {
    emu.addFault({ kind: 'largeLongs', times: 1 });
    const res = await signedRequest(emu, 'GetBatchPrediction', GET);
    expect(res.text).toContain('"TotalRecordCount":9007199254740993');
  });

  it('list faults: a denied list (as IAM words it), empty pages, pages that lag — Describe… only', async () => {
    emu.addFault({ kind: 'listDenied', times: 1 });
    const denied = await signedRequest(emu, 'DescribeBatchPredictions', {});
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({
      __type: 'AccessDeniedException',
      message:
        'User: arn:aws:iam::123456789012:user/aml-emulator is not authorized to perform: machinelearning:DescribeBatchPredictions because no identity-based policy allows the machinelearning:DescribeBatchPredictions action',
    });
    emu.clearFaults();
    emu.addFault({ kind: 'listDenied' });
    emu.addFault({ kind: 'emptyPages', operation: ['DescribeBatchPredictions', 'GetBatchPrediction'] });
    // Gets are never touched by a list fault, even when the rule names them.
    expect((await signedRequest(emu, 'GetBatchPrediction', GET)).status).toBe(200);
    expect(emu.faults().map((f) => f.matched)).toEqual([0, 0]);
    emu.clearFaults();

    emu.addFault({ kind: 'emptyPages', times: 1 });
    expect((await signedRequest(emu, 'DescribeBatchPredictions', {})).json).toEqual({ Results: [] });
    const full = await signedRequest(emu, 'DescribeBatchPredictions', {});
    expect((full.json?.Results as unknown[]).length).toBe(2);
  });

  it('lagging pages show each job as it was lagMs ago, and no job younger than that', async () => {
    const clock = new VirtualClock();
    const lagged = await startEmulator({ clock });
    try {
      lagged.put('BatchPrediction', { BatchPredictionId: 'bp-old' }, [
        { status: 'PENDING', forMs: 1000 },
        { status: 'COMPLETED' },
      ]);
      clock.advance(1500);
      lagged.put('BatchPrediction', { BatchPredictionId: 'bp-new' }, [{ status: 'INPROGRESS' }]);
      lagged.addFault({ kind: 'laggingPages', lagMs: 1000 });
      const page = await signedRequest(lagged, 'DescribeBatchPredictions', {});
      expect(page.json?.Results).toEqual([
        expect.objectContaining({ BatchPredictionId: 'bp-old', Status: 'PENDING' }),
      ]);
      const get = await signedRequest(lagged, 'GetBatchPrediction', { BatchPredictionId: 'bp-old' });
      expect(get.json?.Status).toBe('COMPLETED');
    } finally {
      await lagged.close();
    }
  });

  it('knows each fault kind from its one definition: it answers or modifies, and is the only list of kinds', async () => {
    const kinds = Object.keys(faultKinds);
    expect(kinds).toHaveLength(12);
    for (const definition of Object.values(faultKinds)) {
      expect('answer' in definition !== 'modify' in definition).toBe(true);
    }
    expect(() => emu.addFault({ kind: 'explode' } as never)).toThrow(
      `Expected \`rule.kind\` to be one of ${kinds.join(', ')}, got "explode"`,
    );
    const listOnly = kinds.filter((k) => faultKinds[k as keyof typeof faultKinds].listOnly === true);
    expect(listOnly).toEqual(['listDenied', 'emptyPages', 'laggingPages']);
    emu.addFault({ kind: 'listDenied', operation: ['GetBatchPrediction', 'DescribeBatchPredictions'] });
    expect((await signedRequest(emu, 'GetBatchPrediction', GET)).status).toBe(200);
    expect((await signedRequest(emu, 'DescribeBatchPredictions', {})).json?.__type).toBe(
      'AccessDeniedException',
    );
  });

  it('rejects malformed rules with a TypeError/RangeError naming the field', () => {
    expect(() => emu.addFault({ kind: 'laggingPages' } as never)).toThrow(/`rule.lagMs`/);
    expect(() => emu.addFault({ kind: 'explode' } as never)).toThrow(/`rule.kind`.*"explode"/);
    expect(() => emu.addFault({ kind: 'throttle', rate: 2 })).toThrow(RangeError);
    expect(() => emu.addFault({ kind: 'delay', ms: -1 })).toThrow(/`rule.ms`/);
    expect(() => emu.addFault({ kind: 'throttle', times: 1.5 })).toThrow(/`rule.times`.*1.5/);
  });

  it('counts requests, faults and errors', async () => {
    emu.reset();
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-1', Status: 'COMPLETED' });
    emu.addFault({ kind: 'throttle', times: 1 });
    await signedRequest(emu, 'GetBatchPrediction', GET);
    await signedRequest(emu, 'GetBatchPrediction', GET);
    await signedRequest(emu, 'DescribeBatchPredictions', {});
    expect(emu.counters()).toEqual({
      requests: 3,
      byOperation: { GetBatchPrediction: 2, DescribeBatchPredictions: 1 },
      byStatus: { '200': 2, '400': 1 },
      byErrorType: { ThrottlingException: 1 },
      faults: 1,
    });
    const log = emu.requests();
    expect(log.map((r) => [r.operation, r.id, r.statusCode, r.errorType, r.faults])).toEqual([
      ['GetBatchPrediction', 'bp-1', 400, 'ThrottlingException', ['throttle']],
      ['GetBatchPrediction', 'bp-1', 200, undefined, []],
      ['DescribeBatchPredictions', undefined, 200, undefined, []],
    ]);
    expect(log[0]!.accessKeyId).toBe(emu.credentials.accessKeyId);
  });
});
