import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { send, signedRequest } from './helpers/rawRequest.js';

const NOW = Date.UTC(2015, 7, 30, 12, 56, 0); // 20150830T125600Z
const GET = { BatchPredictionId: 'bp-1' };

describe('SigV4 verification (reference §7.6, §10.3)', () => {
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({
      authClock: () => NOW,
      credentials: [
        { accessKeyId: 'AKIAEMULATOR00000000', secretAccessKey: 'secret-one' },
        {
          accessKeyId: 'ASIATEMP000000000000',
          secretAccessKey: 'secret-temp',
          sessionToken: 'token-ok',
          expiresAt: new Date(NOW + 60_000),
        },
        {
          accessKeyId: 'ASIAOLD0000000000000',
          secretAccessKey: 'secret-old',
          sessionToken: 'token-old',
          expiresAt: new Date(NOW - 1),
        },
      ],
    });
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-1', Status: 'COMPLETED' });
  });
  afterAll(async () => {
    await emu.close();
  });

  const table: {
    name: string;
    options: Parameters<typeof signedRequest>[3];
    status: number;
    type: string;
    message: string;
  }[] = [
    {
      name: 'bad signature (wrong secret)',
      options: {
        signAt: NOW,
        credentials: { accessKeyId: 'AKIAEMULATOR00000000', secretAccessKey: 'not-the-secret' },
      },
      status: 400,
      type: 'InvalidSignatureException',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    },
    {
      name: 'tampered body',
      options: { signAt: NOW, tamperBody: '{"BatchPredictionId":"bp-2"}' },
      status: 400,
      type: 'InvalidSignatureException',
      message:
        'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    },
    {
      name: 'unknown access key',
      options: { signAt: NOW, credentials: { accessKeyId: 'AKIANOBODY0000000000', secretAccessKey: 'x' } },
      status: 400,
      type: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    },
    {
      name: 'expired session token',
      options: {
        signAt: NOW,
        credentials: {
          accessKeyId: 'ASIAOLD0000000000000',
          secretAccessKey: 'secret-old',
          sessionToken: 'token-old',
        },
      },
      status: 400,
      type: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
    },
    {
      name: 'wrong session token',
      options: {
        signAt: NOW,
        credentials: {
          accessKeyId: 'ASIATEMP000000000000',
          secretAccessKey: 'secret-temp',
          sessionToken: 'forged',
        },
      },
      status: 400,
      type: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    },
    {
      name: 'other service in the scope',
      options: { signAt: NOW, service: 'sagemaker' },
      status: 400,
      type: 'InvalidSignatureException',
      message: "Credential should be scoped to correct service: 'machinelearning'. ",
    },
    {
      name: 'other region in the scope',
      options: { signAt: NOW, region: 'eu-west-1' },
      status: 400,
      type: 'InvalidSignatureException',
      message: 'Credential should be scoped to a valid region. ',
    },
    {
      name: 'stale date (> 15 min old)',
      options: { signAt: Date.UTC(2015, 7, 30, 12, 36, 0) },
      status: 400,
      type: 'InvalidSignatureException',
      message:
        'Signature expired: 20150830T123600Z is now earlier than 20150830T124100Z (20150830T125600Z - 15 min.)',
    },
    {
      name: 'date in the future (> 15 min)',
      options: { signAt: Date.UTC(2015, 7, 30, 13, 12, 0) },
      status: 400,
      type: 'InvalidSignatureException',
      message:
        'Signature not yet current: 20150830T131200Z is still later than 20150830T131100Z (20150830T125600Z + 15 min.)',
    },
    {
      name: 'missing Authorization header',
      options: { signAt: NOW, dropHeaders: ['authorization'] },
      status: 400,
      type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    },
    {
      name: 'missing X-Amz-Date header',
      options: { signAt: NOW, dropHeaders: ['x-amz-date'] },
      status: 400,
      type: 'IncompleteSignatureException',
      message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    },
  ];

  it.each(table)('$name → $status $type', async ({ options, status, type, message }) => {
    const res = await signedRequest(emu, 'GetBatchPrediction', GET, options);
    expect(res.status).toBe(status);
    expect(res.headers['x-amzn-errortype']).toBe(type);
    expect(res.json).toEqual({ __type: type, message });
  });

  it('accepts a good signature, with and without a session token, just inside the window', async () => {
    expect((await signedRequest(emu, 'GetBatchPrediction', GET, { signAt: NOW })).status).toBe(200);
    expect((await signedRequest(emu, 'GetBatchPrediction', GET, { signAt: NOW - 15 * 60_000 })).status).toBe(
      200,
    );
    const temp = {
      accessKeyId: 'ASIATEMP000000000000',
      secretAccessKey: 'secret-temp',
      sessionToken: 'token-ok',
    };
    expect(
      (await signedRequest(emu, 'GetBatchPrediction', GET, { signAt: NOW, credentials: temp })).status,
    ).toBe(200);
  });

  it('rejects a signed header that was removed, and a malformed Authorization header', async () => {
    const dropped = await signedRequest(emu, 'GetBatchPrediction', GET, {
      signAt: NOW,
      dropHeaders: ['x-amz-target'],
    });
    expect(dropped.json?.__type).toBe('InvalidSignatureException');
    const garbage = await send(
      emu.endpoint,
      'POST',
      '/',
      {
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonML_20141212.GetBatchPrediction',
        authorization: 'AWS4-HMAC-SHA256 nonsense',
      },
      '{}',
    );
    expect(garbage.status).toBe(400);
    expect(garbage.json?.__type).toBe('IncompleteSignatureException');
  });

  it('checks the signed x-amz-content-sha256 against the body', async () => {
    const res = await signedRequest(emu, 'GetBatchPrediction', GET, {
      signAt: NOW,
      headers: { 'X-Amz-Content-Sha256': '0'.repeat(64) },
    });
    expect(res.json?.__type).toBe('InvalidSignatureException');
  });

  it('verifies the fixed GetBatchPrediction vector of reference §7.5', async () => {
    const vector = await startEmulator({
      authClock: () => Date.UTC(2015, 7, 30, 12, 36, 0),
      credentials: [
        { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      ],
    });
    try {
      const body = '{"BatchPredictionId":"EXAMPLE-bp-2014-09-12-15-14-04-156"}';
      const headers = {
        host: 'machinelearning.us-east-1.amazonaws.com',
        'content-type': 'application/x-amz-json-1.1',
        'x-amz-target': 'AmazonML_20141212.GetBatchPrediction',
        'x-amz-date': '20150830T123600Z',
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/machinelearning/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-target, Signature=603dc6e789201a3f53faebab01f398ba382f42d4bfe2bae5a540931ee1df3715',
      };
      const ok = await send(vector.endpoint, 'POST', '/', headers, body);
      expect(ok.status).toBe(404); // authenticated; the resource just does not exist here
      expect(ok.json?.__type).toBe('ResourceNotFoundException');
      const wrong = await send(
        vector.endpoint,
        'POST',
        '/',
        { ...headers, authorization: headers.authorization.replace('603d', '603e') },
        body,
      );
      expect(wrong.json?.__type).toBe('InvalidSignatureException');
    } finally {
      await vector.close();
    }
  });

  it('answers 403 AccessDeniedException in not-onboarded mode, after authentication', async () => {
    const locked = await startEmulator({ notOnboarded: true, authClock: () => NOW });
    try {
      const res = await signedRequest(locked, 'DescribeBatchPredictions', {}, { signAt: NOW });
      expect(res.status).toBe(403);
      expect(res.headers['x-amzn-errortype']).toBe('AccessDeniedException');
      expect(res.json).toEqual({
        __type: 'AccessDeniedException',
        message:
          'Thank you for your interest in Amazon Machine Learning. AmazonML is no longer available to new customers.  Please consider using Amazon SageMaker.',
      });
      const anonymous = await signedRequest(
        locked,
        'DescribeBatchPredictions',
        {},
        { signAt: NOW, dropHeaders: ['authorization'] },
      );
      expect(anonymous.json?.__type).toBe('MissingAuthenticationTokenException');
    } finally {
      await locked.close();
    }
  });

  it('server clock skew shifts the window and the Date header', async () => {
    const skewed = await startEmulator({ skewMs: 3_600_000 });
    try {
      const stale = await signedRequest(skewed, 'GetBatchPrediction', GET);
      expect(stale.json?.message).toMatch(/^Signature expired: /);
      expect(Date.parse(stale.headers.date!) - Date.now()).toBeGreaterThan(3_590_000);
      expect(
        (await signedRequest(skewed, 'GetBatchPrediction', GET, { signAt: Date.now() + 3_600_000 })).status,
      ).toBe(404);
    } finally {
      await skewed.close();
    }
  });
});

describe('SigV4 with a repeated header', () => {
  it('joins repeated signed headers with "," as SigV4 does (Node joins them with ", ")', async () => {
    const aws4 = (await import('aws4')).default;
    const { request } = await import('undici');
    const emu = await startEmulator();
    try {
      emu.put('BatchPrediction', { BatchPredictionId: 'bp-1', Status: 'COMPLETED' });
      const url = new URL(emu.endpoint);
      const body = JSON.stringify({ BatchPredictionId: 'bp-1' });
      const signed = aws4.sign(
        {
          host: url.host,
          path: '/',
          method: 'POST',
          service: 'machinelearning',
          region: emu.region,
          headers: {
            'Content-Type': 'application/x-amz-json-1.1',
            'X-Amz-Target': 'AmazonML_20141212.GetBatchPrediction',
            'X-Amz-Meta-Tag': 'first,second',
          },
          body,
        },
        emu.credentials,
      );
      const headers: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(signed.headers ?? {})) headers[k] = String(v);
      headers['X-Amz-Meta-Tag'] = ['first', 'second'];
      const res = await request(`${emu.endpoint}/`, { method: 'POST', headers, body });
      expect(res.statusCode).toBe(200);
      await res.body.text();
    } finally {
      await emu.close();
    }
  });
});
