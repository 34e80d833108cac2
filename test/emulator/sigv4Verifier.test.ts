import aws4 from 'aws4';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CredentialStore } from '../../src/emulator/CredentialStore.js';
import { ServiceError } from '../../src/emulator/ServiceError.js';
import { SigV4Verifier } from '../../src/emulator/SigV4Verifier.js';

const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);
const CREDS = { accessKeyId: 'AKIAEMULATOR00000000', secretAccessKey: 'secret/with+chars=' };
const store = new CredentialStore([CREDS], 'arn:aws:iam::123456789012:root');
const fast = new SigV4Verifier(store, 'us-east-1', () => NOW);
const fresh = new SigV4Verifier(store, 'us-east-1', () => NOW, false);

function outcome(verifier: SigV4Verifier, headers: Record<string, string>, body: Buffer): string {
  try {
    verifier.verify({ method: 'POST', path: '/', headers, body });
    return 'ok';
  } catch (error) {
    return error instanceof ServiceError
      ? `${error.errorType}: ${error.message}`
      : `unexpected ${String(error)}`;
  }
}

describe('SigV4Verifier: the reused-signer fast path agrees with a fresh aws4 RequestSigner', () => {
  it('uses the fast path (its self-test against the §7.5 vector passed) and can be turned off', () => {
    expect(fast.reusesSigner).toBe(true);
    expect(fresh.reusesSigner).toBe(false);
  });

  it('accepts what aws4 signs and rejects what was tampered with, exactly like the fresh path', () => {
    const headerName = fc.stringMatching(/^x-amz-meta-[a-z0-9-]{1,12}$/);
    const headerValue = fc.stringMatching(/^[\x21-\x7e]([\x20-\x7e]{0,30}[\x21-\x7e])?$/);
    fc.assert(
      fc.property(
        fc.dictionary(headerName, headerValue, { maxKeys: 4 }),
        fc.string({ maxLength: 200 }),
        fc.option(fc.constantFrom('body', 'header', 'date', 'target'), { nil: undefined }),
        fc.boolean(),
        (extra, bodyText, tamper, signUserAgent) => {
          const headers: Record<string, string> = {
            'Content-Type': 'application/x-amz-json-1.1',
            'X-Amz-Target': 'AmazonML_20141212.GetBatchPrediction',
            'X-Amz-Date': '20261127T120000Z',
            ...(signUserAgent ? { 'User-Agent': 'ua/1' } : {}),
            ...extra,
          };
          const signed = aws4.sign(
            {
              host: '127.0.0.1:4566',
              path: '/',
              method: 'POST',
              service: 'machinelearning',
              region: 'us-east-1',
              headers,
              body: bodyText,
              ...(signUserAgent ? { extraHeadersToInclude: { 'user-agent': true } } : {}),
            },
            CREDS,
          );
          const received: Record<string, string> = {};
          for (const [k, v] of Object.entries(signed.headers ?? {})) received[k.toLowerCase()] = String(v);
          let body = Buffer.from(bodyText);
          if (tamper === 'body') body = Buffer.concat([body, Buffer.from(' ')]);
          if (tamper === 'header') received['content-type'] = 'application/json';
          if (tamper === 'date') received['x-amz-date'] = '20261127T120001Z';
          if (tamper === 'target') received['x-amz-target'] = 'AmazonML_20141212.DeleteBatchPrediction';
          const a = outcome(fast, received, body);
          expect(a).toBe(outcome(fresh, received, body));
          if (tamper === undefined) expect(a).toBe('ok');
          if (signUserAgent) expect(received.authorization).toContain(';user-agent;');
          if (tamper !== undefined)
            expect(a).toMatch(/^InvalidSignatureException: The request signature we calculated/);
        },
      ),
      { numRuns: 300 },
    );
  });
});
