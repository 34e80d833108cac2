import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/Emulator.js';
import { startEmulator } from '../../src/emulator/startEmulator.js';
import { control, send, signedRequest } from '../emulator/helpers/rawRequest.js';
import type { SignedRequestOptions } from '../emulator/helpers/rawRequest.js';
import { writeFigures } from './helpers/figures.js';
import { CHAOS_CREDENTIALS, SecretScanner } from './helpers/secretScan.js';

/**
 * The emulator as a security boundary (issue #8). The per-message SigV4 table lives in
 * test/emulator/auth.test.ts; here every rejection is also checked to have no effect (nothing created,
 * nothing disclosed), the control interface refuses every route without its token, and abusive clients
 * (oversized bodies, slow loris) are cut off while honest clients keep being served.
 */

const TOKEN = 'reliability-control-token-0123456789';
const CREATE = {
  BatchPredictionId: 'bp-intruder',
  MLModelId: 'ml-1',
  BatchPredictionDataSourceId: 'ds-1',
  OutputUri: 's3://bucket/out/',
};

/** A raw connection that sends `payload` (and keeps the socket open); resolves when the server closes it. */
function abusiveConnection(
  port: number,
  payload: string | Buffer,
  waitMs: number,
): Promise<{ text: string; closedByServer: boolean; ms: number }> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text: Buffer.concat(chunks).toString('latin1'), closedByServer: false, ms: waitMs });
    }, waitMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      // The server may reset a connection it cuts off mid-upload.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({
        text: Buffer.concat(chunks).toString('latin1'),
        closedByServer: true,
        ms: performance.now() - started,
      });
    });
    socket.write(payload);
  });
}

describe('the emulator as a security boundary', () => {
  let emu: Emulator;
  const scanner = new SecretScanner();
  const figures = { rejectedRequests: 0, controlRoutesRefused: 0, abusiveConnectionsCut: 0, honestServed: 0 };
  beforeAll(async () => {
    emu = await startEmulator({
      credentials: [{ ...CHAOS_CREDENTIALS }],
      controlToken: TOKEN,
      maxBodyBytes: 64 * 1024,
      headersTimeoutMs: 400,
      requestTimeoutMs: 800,
    });
  });
  afterAll(async () => {
    writeFigures('securityBoundary', figures);
    await emu.close();
  });

  it('listens on loopback only by default', async () => {
    expect(emu.host).toBe('127.0.0.1');
    expect(emu.endpoint).toBe(`http://127.0.0.1:${emu.port}`);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a?.family === 'IPv4' && !a.internal);
    if (external === undefined) return; // No other interface on this machine: nothing more to try.
    const outcome = await new Promise<string>((resolve) => {
      const socket = connect(emu.port, external.address);
      socket.on('connect', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.on('error', (error: NodeJS.ErrnoException) => {
        resolve(error.code ?? 'error');
      });
    });
    expect(outcome).toBe('ECONNREFUSED');
  });

  const wrongSecret = { ...CHAOS_CREDENTIALS, secretAccessKey: 'wrongSecretKey/0123456789/abcdefghij' };
  const rejections: [string, SignedRequestOptions, number, string][] = [
    ['unsigned', { dropHeaders: ['authorization'] }, 400, 'MissingAuthenticationTokenException'],
    ['badly signed (wrong secret)', { credentials: wrongSecret }, 400, 'InvalidSignatureException'],
    [
      'badly signed (body changed after signing)',
      { tamperBody: JSON.stringify({ ...CREATE, OutputUri: 's3://evil/' }) },
      400,
      'InvalidSignatureException',
    ],
    [
      'expired (signed 20 minutes ago)',
      { signAt: Date.now() - 20 * 60_000 },
      400,
      'InvalidSignatureException',
    ],
    ['signed for another service', { service: 'sagemaker' }, 400, 'InvalidSignatureException'],
    ['signed for another region', { region: 'eu-west-1' }, 400, 'InvalidSignatureException'],
    [
      'unknown access key',
      {
        credentials: {
          accessKeyId: 'AKIAUNKNOWN000000000',
          secretAccessKey: CHAOS_CREDENTIALS.secretAccessKey,
        },
      },
      400,
      'UnrecognizedClientException',
    ],
    [
      'forged session token',
      { credentials: { ...CHAOS_CREDENTIALS, sessionToken: 'forged-token' } },
      400,
      'UnrecognizedClientException',
    ],
  ];

  it.each(rejections)(
    '%s: rejected (%i %s), nothing created, nothing disclosed',
    async (_name, options, status, type) => {
      emu.put('BatchPrediction', { BatchPredictionId: 'bp-private', Status: 'COMPLETED' });
      const create = await signedRequest(emu, 'CreateBatchPrediction', CREATE, options);
      const read = await signedRequest(
        emu,
        'GetBatchPrediction',
        { BatchPredictionId: 'bp-private' },
        options,
      );
      for (const res of [create, read]) {
        figures.rejectedRequests++;
        expect([res.status, res.headers['x-amzn-errortype']]).toEqual([status, type]);
        expect(Object.keys(res.json ?? {}).sort()).toEqual(['__type', 'message']);
        expect(res.text).not.toContain('bp-private');
        scanner.addText(`response to ${_name}`, JSON.stringify(res));
      }
      expect(emu.get('BatchPrediction', 'bp-intruder')).toBeUndefined();
      // The request log keeps no secret either.
      scanner.addValue('request log', emu.requests());
      expect(scanner.flush()).toEqual([]);
      // A properly signed request still works.
      const ok = await signedRequest(
        emu,
        'GetBatchPrediction',
        { BatchPredictionId: 'bp-private' },
        {
          credentials: CHAOS_CREDENTIALS,
        },
      );
      expect(ok.status).toBe(200);
    },
  );

  const routes: [string, string, unknown][] = [
    ['GET', '/health', undefined],
    ['GET', '/requests', undefined],
    ['GET', '/counters', undefined],
    ['GET', '/faults', undefined],
    ['POST', '/faults', { kind: 'reset' }],
    ['DELETE', '/faults', undefined],
    ['POST', '/resources', { kind: 'BatchPrediction', resource: { BatchPredictionId: 'bp-ctl' } }],
    ['GET', '/resources/BatchPrediction/bp-private', undefined],
    ['PUT', '/not-onboarded', { enabled: true }],
    ['PUT', '/skew', { skewMs: 3_600_000 }],
    ['POST', '/credentials', { accessKeyId: 'AKIAEVIL000000000000', secretAccessKey: 'evil' }],
    ['POST', '/reset', undefined],
  ];

  it.each(routes)(
    'control %s %s: 401 without the token, 403 with a wrong one, no effect',
    async (method, path, body) => {
      emu.reset();
      emu.put('BatchPrediction', { BatchPredictionId: 'bp-private', Status: 'COMPLETED' });
      for (const [token, status] of [
        [null, 401],
        ['', 401],
        ['wrong-token-0123456789', 403],
        [TOKEN.slice(0, -1), 403],
        [`${TOKEN}x`, 403],
      ] as const) {
        const res = await control(emu, method, path, body, token);
        figures.controlRoutesRefused++;
        expect(res.status, `token ${String(token)}`).toBe(status);
        expect(res.text).not.toContain(TOKEN);
        expect(res.text).not.toContain('bp-private');
      }
      // Nothing changed: no fault, no new resource or credential, same modes, the resource is still there.
      expect(emu.faults()).toEqual([]);
      expect(emu.get('BatchPrediction', 'bp-ctl')).toBeUndefined();
      expect(emu.get('BatchPrediction', 'bp-private')).toMatchObject({ Status: 'COMPLETED' });
      const ok = await signedRequest(
        emu,
        'GetBatchPrediction',
        { BatchPredictionId: 'bp-private' },
        {
          credentials: CHAOS_CREDENTIALS,
        },
      );
      expect(ok.status).toBe(200);
      const evil = await signedRequest(
        emu,
        'GetBatchPrediction',
        { BatchPredictionId: 'bp-private' },
        {
          credentials: { accessKeyId: 'AKIAEVIL000000000000', secretAccessKey: 'evil' },
        },
      );
      expect(evil.status).toBe(400);
    },
  );

  it('oversized bodies and slow-loris connections are cut off while honest clients are served', async () => {
    emu.reset();
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-1', Status: 'COMPLETED' });
    const started = performance.now();
    // 10 slow-loris connections (headers never finish) and 5 that stream a body far above the limit.
    const loris = Array.from({ length: 10 }, (_, i) =>
      abusiveConnection(emu.port, `POST / HTTP/1.1\r\nHost: x\r\nX-Slow-${i}: `, 5000),
    );
    const huge = Buffer.alloc(1024 * 1024, 0x61);
    const oversized = Array.from({ length: 5 }, () =>
      abusiveConnection(
        emu.port,
        Buffer.concat([
          Buffer.from(
            `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AmazonML_20141212.GetBatchPrediction\r\nContent-Length: ${huge.length}\r\n\r\n`,
          ),
          huge,
        ]),
        5000,
      ),
    );
    const declared = send(
      emu.endpoint,
      'POST',
      '/',
      {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonML_20141212.GetBatchPrediction',
      },
      Buffer.alloc(200 * 1024, 0x20),
    ).catch((error: unknown) => ({ status: -1, error }));
    // Meanwhile, honest signed requests keep being answered.
    const honest = [];
    for (let i = 0; i < 30; i++) {
      honest.push(
        signedRequest(
          emu,
          'GetBatchPrediction',
          { BatchPredictionId: 'bp-1' },
          { credentials: CHAOS_CREDENTIALS },
        ),
      );
    }
    const answers = await Promise.all(honest);
    figures.honestServed += answers.filter((a) => a.status === 200).length;
    expect(answers.map((a) => a.status)).toEqual(Array.from({ length: 30 }, () => 200));
    const honestMs = performance.now() - started;
    expect(honestMs).toBeLessThan(2000);

    const cut = await Promise.all([...loris, ...oversized]);
    figures.abusiveConnectionsCut += cut.filter((c) => c.closedByServer).length;
    expect(cut.map((c) => c.closedByServer)).toEqual(Array.from({ length: 15 }, () => true));
    // Cut off by the server's timeouts (headers: 400 ms, whole request: 800 ms), not by our 5 s patience.
    expect(Math.max(...cut.map((c) => c.ms))).toBeLessThan(3000);
    for (const c of cut.slice(10)) {
      if (c.text !== '') expect(c.text).toMatch(/^HTTP\/1\.1 413 /);
    }
    const big = await declared;
    expect(big.status).toBe(413);
    // Still healthy afterwards.
    const after = await signedRequest(
      emu,
      'GetBatchPrediction',
      { BatchPredictionId: 'bp-1' },
      {
        credentials: CHAOS_CREDENTIALS,
      },
    );
    expect(after.status).toBe(200);
  });
});
