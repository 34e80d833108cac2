import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { send, signedRequest } from './helpers/rawRequest.js';

/** Sends raw bytes on a fresh socket and collects everything until the server closes it (or `waitMs`). */
function rawExchange(
  emu: Emulator,
  payload: string | Buffer,
  waitMs = 2000,
): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(emu.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed: false });
    }, waitMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closed: true });
    });
    socket.write(payload);
  });
}

describe('bad input never crashes the emulator', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ maxBodyBytes: 1024, headersTimeoutMs: 300, requestTimeoutMs: 600 });
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-1', Status: 'COMPLETED' });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('malformed JSON → 400 SerializationException', async () => {
    const res = await signedRequest(emu, 'GetBatchPrediction', undefined, {
      rawBody: '{"BatchPredictionId":',
    });
    expect([res.status, res.json]).toEqual([
      400,
      { __type: 'SerializationException', message: 'Failed to parse the request body as JSON' },
    ]);
    expect(res.headers['x-amzn-errortype']).toBe('SerializationException');
  });

  it('non-object JSON → 400 InvalidInputException; empty body is {}', async () => {
    for (const raw of ['[]', '42', 'null', '"x"']) {
      const res = await signedRequest(emu, 'GetBatchPrediction', undefined, { rawBody: raw });
      expect([res.status, res.json?.__type]).toEqual([400, 'InvalidInputException']);
    }
    const empty = await signedRequest(emu, 'DescribeBatchPredictions', undefined, { rawBody: '' });
    expect(empty.status).toBe(200);
  });

  it('unknown or missing X-Amz-Target → 400 UnknownOperationException', async () => {
    const unknown = await signedRequest(emu, 'FlyToTheMoon', {});
    expect([unknown.status, unknown.json]).toEqual([
      400,
      { __type: 'UnknownOperationException', message: 'Unknown operation' },
    ]);
    const wrongPrefix = await signedRequest(
      emu,
      'x',
      {},
      { headers: { 'X-Amz-Target': 'DynamoDB_20120810.GetItem' } },
    );
    expect(wrongPrefix.json?.__type).toBe('UnknownOperationException');
    const unimplemented = await signedRequest(emu, 'Predict', {});
    expect(unimplemented.json).toEqual({
      __type: 'UnknownOperationException',
      message: 'The emulator does not implement Predict',
    });
  });

  it('keeps the request log bounded: unknown targets are logged as (unknown), long ids truncated', async () => {
    emu.reset();
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-1', Status: 'COMPLETED' });
    await signedRequest(emu, `Op${'x'.repeat(500)}`, {});
    await signedRequest(emu, 'GetBatchPrediction', { BatchPredictionId: 'y'.repeat(900) });
    await signedRequest(
      emu,
      'GetBatchPrediction',
      { BatchPredictionId: 'bp-1' },
      { dropHeaders: ['authorization'] },
    );
    expect(emu.requests().map((r) => [r.operation, r.id?.length, r.statusCode, r.errorType])).toEqual([
      ['(unknown)', undefined, 400, 'UnknownOperationException'],
      ['GetBatchPrediction', 128, 400, 'InvalidInputException'],
      ['GetBatchPrediction', undefined, 400, 'MissingAuthenticationTokenException'],
    ]);
    expect(Object.keys(emu.counters().byOperation)).toEqual(['(unknown)', 'GetBatchPrediction']);
  });

  it('other methods and paths → 4xx JSON errors', async () => {
    const get = await send(emu.endpoint, 'GET', '/', {});
    expect([get.status, get.json?.__type, get.headers.allow]).toEqual([
      405,
      'MethodNotAllowedException',
      'POST',
    ]);
    const path = await send(emu.endpoint, 'POST', '/other', {}, '{}');
    expect([path.status, path.json?.__type]).toEqual([404, 'UnknownOperationException']);
    const put = await send(emu.endpoint, 'PUT', '/x?y=1', {}, 'data');
    expect(put.status).toBe(405);
  });

  it('wrong Content-Type → 400 SerializationException', async () => {
    const res = await signedRequest(
      emu,
      'GetBatchPrediction',
      { BatchPredictionId: 'bp-1' },
      {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' },
      },
    );
    expect([res.status, res.json?.__type]).toEqual([400, 'SerializationException']);
  });

  it('oversized bodies → 413, declared or streamed', async () => {
    const big = JSON.stringify({ BatchPredictionId: 'x'.repeat(2000) });
    const declared = await signedRequest(emu, 'GetBatchPrediction', undefined, { rawBody: big });
    expect([declared.status, declared.json?.__type]).toEqual([413, 'RequestEntityTooLargeException']);
    const chunked = await rawExchange(
      emu,
      `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n${'a'.repeat(2048)}\r\n0\r\n\r\n`,
    );
    expect(chunked.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(chunked.text).toContain('"__type":"RequestEntityTooLargeException"');
  });

  it('invalid ids → 400 InvalidInputException with the reference message', async () => {
    for (const id of ['', 'a'.repeat(65), 'bad id!', 42, null]) {
      const res = await signedRequest(emu, 'GetBatchPrediction', { BatchPredictionId: id });
      expect([res.status, res.json]).toEqual([
        400,
        {
          __type: 'InvalidInputException',
          message: 'BatchPredictionId must match [a-zA-Z0-9_.-]+ and be 1-64 characters',
        },
      ]);
    }
    const create = await signedRequest(emu, 'CreateBatchPrediction', {
      BatchPredictionId: 'ok',
      MLModelId: 'm',
      BatchPredictionDataSourceId: 'd',
      OutputUri: 'https://not-s3/',
    });
    expect(create.json).toEqual({
      __type: 'InvalidInputException',
      message: 'OutputUri must be an s3://bucket/key URL of at most 2048 characters',
    });
  });

  it('garbage that is not HTTP gets a JSON 400 and the socket is closed', async () => {
    const res = await rawExchange(emu, Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x0d, 0x0a, 0x0d, 0x0a]));
    expect(res.closed).toBe(true);
    expect(res.text).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    const body = res.text.slice(res.text.indexOf('\r\n\r\n') + 4);
    expect(JSON.parse(body)).toEqual({
      __type: 'SerializationException',
      message: 'The request is not valid HTTP/1.1',
    });
  });

  it('cuts off a slow-loris connection without harming other clients', async () => {
    const started = performance.now();
    const loris = rawExchange(emu, 'POST / HTTP/1.1\r\nHost: x\r\nX-Slow: ', 5000);
    // Meanwhile a normal client is served.
    const ok = await signedRequest(emu, 'GetBatchPrediction', { BatchPredictionId: 'bp-1' });
    expect(ok.status).toBe(200);
    const result = await loris;
    expect(result.closed).toBe(true);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(result.text).toMatch(/^HTTP\/1\.1 408 /);
    expect((await signedRequest(emu, 'GetBatchPrediction', { BatchPredictionId: 'bp-1' })).status).toBe(200);
  });
});
