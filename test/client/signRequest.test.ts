import { sharedPath } from '../helpers/sharedPath.js';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatAmzDate, signRequest } from './helpers/signRequest.js';

const SUITE = sharedPath('testdata/sigv4-test-suite');

interface Context {
  credentials: { access_key_id: string; secret_access_key: string; token?: string };
  normalize: boolean;
  region: string;
  service: string;
  sign_body: boolean;
  timestamp: string;
  omit_session_token?: boolean;
}

interface ParsedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body: string;
}

/** Parses a test-suite `request.txt` (continuation lines fold into the previous header). */
function parseRequest(text: string): ParsedRequest {
  const [head = '', ...rest] = text.split('\n\n');
  const lines = head.split('\n');
  const requestLine = lines.shift()!;
  const method = requestLine.slice(0, requestLine.indexOf(' '));
  const path = requestLine.slice(method.length + 1, requestLine.lastIndexOf(' HTTP/'));
  const headers: Record<string, string | string[]> = {};
  let last: string | undefined;
  for (const line of lines) {
    if (line === '') continue;
    if (/^\s/.test(line) && last !== undefined) {
      const current = headers[last]!;
      headers[last] = `${String(current)} ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    const value = line.slice(colon + 1);
    const existing = headers[name];
    headers[name] =
      existing === undefined ? value : [...(Array.isArray(existing) ? existing : [existing]), value];
    last = name;
  }
  return { method, path, headers, body: rest.join('\n\n') };
}

/**
 * Cases aws4 cannot reproduce: it always normalises paths (`//`, `.`, `..`) for every service but
 * S3, while these vectors sign the path as written. Amazon ML always POSTs to `/` (or a custom
 * endpoint's clean path), so they do not apply to the client.
 */
const NOT_APPLICABLE = new Set([
  'get-relative-relative-unnormalized',
  'get-relative-unnormalized',
  'get-slash-dot-slash-unnormalized',
  'get-slash-pointless-dot-unnormalized',
  'get-slash-unnormalized',
  'get-slashes-unnormalized',
]);

const cases = readdirSync(SUITE, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

function sign(name: string): {
  authorization: string;
  expected: string;
  amzDate: string | number | undefined;
} {
  const dir = join(SUITE, name);
  const context = JSON.parse(readFileSync(join(dir, 'context.json'), 'utf8')) as Context;
  const request = parseRequest(readFileSync(join(dir, 'request.txt'), 'utf8'));
  const { Host: host, ...headers } = request.headers;
  const signed = signRequest(
    { method: request.method, host: String(host), path: request.path, headers, body: request.body },
    {
      accessKeyId: context.credentials.access_key_id,
      secretAccessKey: context.credentials.secret_access_key,
      sessionToken: context.credentials.token,
      service: context.service,
      region: context.region,
      timeMs: Date.parse(context.timestamp),
      signBody: context.sign_body,
      sessionTokenAfterSigning: context.omit_session_token === true,
      pathEncoding: 'raw',
    },
  );
  const signedRequest = readFileSync(join(dir, 'header-signed-request.txt'), 'utf8');
  const expected = /^Authorization:(.*)$/m.exec(signedRequest)![1]!;
  return {
    authorization: String(signed.headers.Authorization),
    expected,
    amzDate: signed.headers['X-Amz-Date'],
  };
}

describe('SigV4 test suite (aws-c-auth v4 vectors)', () => {
  test('the suite is present and has the 38 cases', () => {
    expect(cases).toHaveLength(38);
  });

  test.each(cases.filter((name) => !NOT_APPLICABLE.has(name)))('%s', (name) => {
    const { authorization, expected, amzDate } = sign(name);
    expect(authorization).toBe(expected);
    expect(amzDate).toBe('20150830T123600Z');
  });

  test.each([...NOT_APPLICABLE])(
    '%s is not reproducible by aws4 (path normalisation), as documented',
    (name) => {
      const { authorization, expected } = sign(name);
      expect(authorization).not.toBe(expected);
    },
  );
});

describe('fixed GetBatchPrediction vector (reference §7.5)', () => {
  const body = '{"BatchPredictionId":"EXAMPLE-bp-2014-09-12-15-14-04-156"}';
  const request = {
    method: 'POST',
    host: 'machinelearning.us-east-1.amazonaws.com',
    path: '/',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': 'AmazonML_20141212.GetBatchPrediction',
    },
    body,
  };
  const options = {
    accessKeyId: 'AKIDEXAMPLE',
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    service: 'machinelearning',
    region: 'us-east-1',
    timeMs: Date.UTC(2015, 7, 30, 12, 36, 0),
  };

  test('without a session token', () => {
    const { headers } = signRequest(request, options);
    expect(headers.Authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/machinelearning/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-target, Signature=603dc6e789201a3f53faebab01f398ba382f42d4bfe2bae5a540931ee1df3715',
    );
    expect(headers['Content-Length']).toBe(58);
    expect(headers.Host).toBe('machinelearning.us-east-1.amazonaws.com');
    expect(headers['X-Amz-Date']).toBe('20150830T123600Z');
  });

  test('with a session token (signed)', () => {
    const { headers } = signRequest(request, { ...options, sessionToken: 'EXAMPLE-SESSION-TOKEN' });
    expect(headers['X-Amz-Security-Token']).toBe('EXAMPLE-SESSION-TOKEN');
    expect(headers.Authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/machinelearning/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=b9488176ee3c3591b919bbe9bccc382711917e52dae48d291150b2a7a13315b1',
    );
  });

  test('a localhost host still signs with the explicit service and region', () => {
    const { headers } = signRequest(
      { ...request, host: '127.0.0.1:4566' },
      { ...options, region: 'eu-west-1' },
    );
    expect(String(headers.Authorization)).toContain('/20150830/eu-west-1/machinelearning/aws4_request');
    expect(headers.Host).toBe('127.0.0.1:4566');
  });

  test('does not modify its input', () => {
    const copy = structuredClone(request);
    signRequest(request, options);
    expect(request).toEqual(copy);
  });
});

describe('formatAmzDate', () => {
  test.each([
    [Date.UTC(2015, 7, 30, 12, 36, 0), '20150830T123600Z'],
    [Date.UTC(2026, 0, 1, 0, 0, 0, 999), '20260101T000000Z'],
    [Date.UTC(1999, 11, 31, 23, 59, 59), '19991231T235959Z'],
  ])('%i → %s', (ms, expected) => {
    expect(formatAmzDate(ms)).toBe(expected);
  });
});
