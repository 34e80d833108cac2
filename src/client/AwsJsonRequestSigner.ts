import { createHmac, hash } from 'node:crypto';
import aws4 from 'aws4';
import { JSON_CONTENT_TYPE } from '../model/wireShapes.js';
import { formatAmzDate } from './signRequest.js';

/** The credentials the signer reads. */
export interface SignerCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

/** Where one client sends its requests. */
export interface AwsJsonSignerScope {
  /** `Host` header value (`host[:port]`). */
  readonly host: string;
  /** Request path (`/`, or a custom endpoint's path), percent-encoded as sent. */
  readonly path: string;
  readonly region: string;
  readonly service: string;
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}

/**
 * The client's per-call SigV4 signer for awsJson1_1 `POST`s. It produces exactly what `aws4.sign`
 * produces for the same request (same headers, same signed-header list, same signature; the tests
 * check this against aws4 on random inputs and on the §7.5 vector), but does only the work this
 * fixed request shape needs: one-shot `crypto.hash` for the two SHA-256s, one HMAC with a signing
 * key derived once per day and credentials object (credentials objects are treated as immutable), and no header sorting or path parsing per call. The canonical path is
 * computed once, by aws4 itself.
 *
 * Signed headers: `content-length;content-type;host;x-amz-date[;x-amz-security-token];x-amz-target`.
 * @internal
 */
export class AwsJsonRequestSigner {
  readonly #host: string;
  readonly #canonicalPath: string;
  readonly #region: string;
  readonly #service: string;
  readonly #scopeSuffix: string;
  #keyCredentials: SignerCredentials | undefined;
  #keyDate = '';
  /** `[key ⊕ ipad (64 bytes)][string to sign…]`: the inner HMAC input, reused across calls. */
  #inner: Buffer = Buffer.alloc(64 + 512);
  /** `[key ⊕ opad (64 bytes)][inner digest (32 bytes)]`: the outer HMAC input. */
  #outer: Buffer = Buffer.alloc(64 + 32);
  #hasKey = false;
  #dateSecond = Number.NaN;
  #amzDate = '';

  constructor(scope: AwsJsonSignerScope) {
    this.#host = scope.host;
    this.#region = scope.region;
    this.#service = scope.service;
    this.#scopeSuffix = `/${scope.region}/${scope.service}/aws4_request`;
    // Let aws4 decide the canonical URI (normalisation and double encoding of non-S3 paths).
    const reference = new aws4.RequestSigner(
      {
        host: scope.host,
        path: scope.path,
        method: 'POST',
        service: scope.service,
        region: scope.region,
        body: '',
      },
      { accessKeyId: 'x', secretAccessKey: 'x' },
    );
    this.#canonicalPath = reference.canonicalString().split('\n')[1] ?? '/';
  }

  /** Returns the headers to send: `host`, `content-type`, `x-amz-target`, `x-amz-date`, `content-length`, the token if any, `authorization`. */
  sign(target: string, body: string, credentials: SignerCredentials, timeMs: number): Record<string, string> {
    const second = Math.floor(timeMs / 1000);
    if (second !== this.#dateSecond) {
      this.#dateSecond = second;
      this.#amzDate = formatAmzDate(timeMs);
    }
    const amzDate = this.#amzDate;
    const date = amzDate.slice(0, 8);
    const length = String(Buffer.byteLength(body));
    const token = credentials.sessionToken;
    const hasToken = token !== undefined && token !== '';

    const canonicalHeaders = hasToken
      ? `content-length:${length}\ncontent-type:${JSON_CONTENT_TYPE}\nhost:${this.#host}\nx-amz-date:${amzDate}\nx-amz-security-token:${token.trim().replace(/\s+/g, ' ')}\nx-amz-target:${target}\n`
      : `content-length:${length}\ncontent-type:${JSON_CONTENT_TYPE}\nhost:${this.#host}\nx-amz-date:${amzDate}\nx-amz-target:${target}\n`;
    const signedHeaders = hasToken
      ? 'content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target'
      : 'content-length;content-type;host;x-amz-date;x-amz-target';
    const canonicalRequest = `POST\n${this.#canonicalPath}\n\n${canonicalHeaders}\n${signedHeaders}\n${hash('sha256', body, 'hex')}`;
    const scope = date + this.#scopeSuffix;
    const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${hash('sha256', canonicalRequest, 'hex')}`;
    const signature = this.#hmacHex(credentials, date, stringToSign);

    const headers: Record<string, string> = {
      host: this.#host,
      'content-type': JSON_CONTENT_TYPE,
      'x-amz-target': target,
      'x-amz-date': amzDate,
      'content-length': length,
      authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    };
    if (hasToken) headers['x-amz-security-token'] = token;
    return headers;
  }

  /**
   * HMAC-SHA256 of `stringToSign` with the day's signing key, as two one-shot hashes over
   * preallocated buffers (RFC 2104); cheaper per call than a `crypto.Hmac` object.
   */
  #hmacHex(credentials: SignerCredentials, date: string, stringToSign: string): string {
    if (!this.#hasKey || this.#keyDate !== date || this.#keyCredentials !== credentials) {
      const kDate = hmac(`AWS4${credentials.secretAccessKey}`, date);
      const kRegion = hmac(kDate, this.#region);
      const kService = hmac(kRegion, this.#service);
      const kSigning = hmac(kService, 'aws4_request');
      this.#inner.fill(0x36, 0, 64);
      this.#outer.fill(0x5c, 0, 64);
      for (let i = 0; i < kSigning.length; i++) {
        this.#inner[i] = 0x36 ^ kSigning[i]!; // eslint-disable-line @typescript-eslint/no-non-null-assertion -- i < length
        this.#outer[i] = 0x5c ^ kSigning[i]!; // eslint-disable-line @typescript-eslint/no-non-null-assertion -- i < length
      }
      this.#keyDate = date;
      this.#keyCredentials = credentials;
      this.#hasKey = true;
    }
    // The string to sign is ASCII (hex digests, a date, a scope of region/service names).
    const length = Buffer.byteLength(stringToSign, 'utf8');
    if (64 + length > this.#inner.length) {
      const grown = Buffer.alloc(64 + length * 2);
      this.#inner.copy(grown, 0, 0, 64);
      this.#inner = grown;
    }
    this.#inner.write(stringToSign, 64, 'utf8');
    hash('sha256', this.#inner.subarray(0, 64 + length), 'buffer').copy(this.#outer, 64);
    return hash('sha256', this.#outer, 'hex');
  }
}
