import aws4 from 'aws4';
import { JSON_CONTENT_TYPE } from '../model/wireShapes.js';
import { formatAmzDate } from './formatAmzDate.js';

/** The credentials the signer reads. */
interface SignerCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
}

/** Where one client sends its requests. */
interface AwsJsonSignerScope {
  /** `Host` header value (`host[:port]`). */
  readonly host: string;
  /** Request path (`/`, or a custom endpoint's path), percent-encoded as sent. */
  readonly path: string;
  readonly region: string;
  readonly service: string;
}

/**
 * The client's per-call SigV4 signer for awsJson1_1 `POST`s: `aws4.sign` with the service, region,
 * `Content-Type` and `X-Amz-Target` always given explicitly (aws4 would otherwise guess an empty
 * service for a localhost endpoint and a form content type) and `X-Amz-Date` from the client's
 * (skew-corrected) clock. aws4 caches the derived signing keys itself.
 *
 * Returns lower-case header names: `host`, `content-type`, `x-amz-target`, `x-amz-date`,
 * `content-length`, `x-amz-security-token` (with temporary credentials) and `authorization`.
 * @internal
 */
export class AwsJsonRequestSigner {
  readonly #host: string;
  readonly #path: string;
  readonly #region: string;
  readonly #service: string;
  #dateSecond = Number.NaN;
  #amzDate = '';

  constructor(scope: AwsJsonSignerScope) {
    this.#host = scope.host;
    this.#path = scope.path;
    this.#region = scope.region;
    this.#service = scope.service;
  }

  /** Signs one request; `timeMs` is the signing time in epoch milliseconds. */
  sign(target: string, body: string, credentials: SignerCredentials, timeMs: number): Record<string, string> {
    const second = Math.floor(timeMs / 1000);
    if (second !== this.#dateSecond) {
      this.#dateSecond = second;
      this.#amzDate = formatAmzDate(timeMs);
    }
    const request = {
      host: this.#host,
      path: this.#path,
      method: 'POST',
      service: this.#service,
      region: this.#region,
      headers: {
        Host: this.#host,
        'Content-Type': JSON_CONTENT_TYPE,
        'X-Amz-Target': target,
        'X-Amz-Date': this.#amzDate,
      } as Record<string, string | number>,
      body,
    };
    aws4.sign(request, credentials as aws4.Credentials);
    const signed = request.headers;
    const headers: Record<string, string> = {
      host: this.#host,
      'content-type': JSON_CONTENT_TYPE,
      'x-amz-target': target,
      'x-amz-date': this.#amzDate,
      'content-length': String(signed['Content-Length']),
      authorization: String(signed.Authorization),
    };
    const token = signed['X-Amz-Security-Token'];
    if (token !== undefined) headers['x-amz-security-token'] = String(token);
    return headers;
  }
}
