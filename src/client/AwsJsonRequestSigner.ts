import { createHmac, createSecretKey, hash, type KeyObject } from 'node:crypto';
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
  #key: KeyObject | undefined;
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
    const signature = createHmac('sha256', this.#signingKey(credentials, date))
      .update(stringToSign, 'utf8')
      .digest('hex');

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

  #signingKey(credentials: SignerCredentials, date: string): KeyObject {
    if (this.#key === undefined || this.#keyDate !== date || this.#keyCredentials !== credentials) {
      const kDate = hmac(`AWS4${credentials.secretAccessKey}`, date);
      const kRegion = hmac(kDate, this.#region);
      const kService = hmac(kRegion, this.#service);
      this.#key = createSecretKey(hmac(kService, 'aws4_request'));
      this.#keyDate = date;
      this.#keyCredentials = credentials;
    }
    return this.#key;
  }
}
