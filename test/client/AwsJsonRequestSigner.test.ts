import { fc, test as propTest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { AwsJsonRequestSigner } from '../../src/client/AwsJsonRequestSigner.js';
import { signRequest } from './helpers/signRequest.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';

/** What aws4 (through the general signer) produces for the same request, lower-cased. */
function viaAws4(
  host: string,
  path: string,
  target: string,
  body: string,
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined },
  region: string,
  timeMs: number,
): Record<string, string> {
  const { headers } = signRequest(
    {
      method: 'POST',
      host,
      path,
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': target },
      body,
    },
    { ...credentials, service: 'machinelearning', region, timeMs },
  );
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
}

describe('AwsJsonRequestSigner', () => {
  test('reproduces the fixed GetBatchPrediction vector (§7.5), with and without a session token', () => {
    const signer = new AwsJsonRequestSigner({
      host: 'machinelearning.us-east-1.amazonaws.com',
      path: '/',
      region: 'us-east-1',
      service: 'machinelearning',
    });
    const body = '{"BatchPredictionId":"EXAMPLE-bp-2014-09-12-15-14-04-156"}';
    const time = Date.UTC(2015, 7, 30, 12, 36, 0);
    const plain = signer.sign(
      'AmazonML_20141212.GetBatchPrediction',
      body,
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET },
      time,
    );
    expect(plain).toEqual({
      host: 'machinelearning.us-east-1.amazonaws.com',
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AmazonML_20141212.GetBatchPrediction',
      'x-amz-date': '20150830T123600Z',
      'content-length': '58',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/machinelearning/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-target, Signature=603dc6e789201a3f53faebab01f398ba382f42d4bfe2bae5a540931ee1df3715',
    });
    const withToken = signer.sign(
      'AmazonML_20141212.GetBatchPrediction',
      body,
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, sessionToken: 'EXAMPLE-SESSION-TOKEN' },
      time,
    );
    expect(withToken['x-amz-security-token']).toBe('EXAMPLE-SESSION-TOKEN');
    expect(withToken.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/machinelearning/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=b9488176ee3c3591b919bbe9bccc382711917e52dae48d291150b2a7a13315b1',
    );
  });

  propTest.prop(
    [
      fc.constantFrom(
        '127.0.0.1:4566',
        'machinelearning.eu-west-1.amazonaws.com',
        'localhost:1',
        'ml.example.test',
      ),
      fc.constantFrom('/', '/ml/', '/a/b', '/a%20b/', '/%E1%88%B4'),
      fc.constantFrom('GetBatchPrediction', 'DescribeMLModels', 'CreateBatchPrediction'),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.option(fc.string({ minLength: 1, maxLength: 40 }), { nil: undefined }),
      fc.constantFrom('us-east-1', 'eu-west-1', 'local'),
      fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2099, 11, 31) }),
      fc.string({ minLength: 1, maxLength: 40 }),
    ],
    { numRuns: 300 },
  )('matches aws4.sign on random requests', (host, path, operation, text, token, region, timeMs, secret) => {
    const body = JSON.stringify({ Name: text });
    const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: secret, sessionToken: token };
    const signer = new AwsJsonRequestSigner({ host, path, region, service: 'machinelearning' });
    const target = `AmazonML_20141212.${operation}`;
    const ours = signer.sign(target, body, credentials, timeMs);
    expect(ours).toEqual(viaAws4(host, path, target, body, credentials, region, timeMs));
    // A second call (cached key and date) still matches, also a day later.
    expect(signer.sign(target, body, credentials, timeMs + 86_400_000)).toEqual(
      viaAws4(host, path, target, body, credentials, region, timeMs + 86_400_000),
    );
  });

  test('a string to sign longer than the preallocated buffer (a very long scope) still matches aws4', () => {
    const region = `r${'x'.repeat(700)}`;
    const signer = new AwsJsonRequestSigner({ host: 'h', path: '/', region, service: 'machinelearning' });
    const time = Date.UTC(2026, 0, 1);
    const credentials = { accessKeyId: 'K', secretAccessKey: 'one' };
    for (let i = 0; i < 2; i++) {
      expect(signer.sign('T', '{}', credentials, time)).toEqual(
        viaAws4('h', '/', 'T', '{}', credentials, region, time),
      );
    }
  });

  test('a new credentials object (rotated secret) gets a new signing key', () => {
    const signer = new AwsJsonRequestSigner({
      host: 'h',
      path: '/',
      region: 'us-east-1',
      service: 'machinelearning',
    });
    const time = Date.UTC(2026, 0, 1);
    const a = signer.sign('T', '{}', { accessKeyId: 'K', secretAccessKey: 'one' }, time);
    const b = signer.sign('T', '{}', { accessKeyId: 'K', secretAccessKey: 'two' }, time);
    expect(a.authorization).not.toBe(b.authorization);
    expect(b).toEqual(
      viaAws4('h', '/', 'T', '{}', { accessKeyId: 'K', secretAccessKey: 'two' }, 'us-east-1', time),
    );
  });
});
