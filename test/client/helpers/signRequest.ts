import { createHash } from 'node:crypto';
import aws4 from 'aws4';
import { formatAmzDate } from '../../../src/client/formatAmzDate.js';

export { formatAmzDate };

/**
 * A general SigV4 signer over aws4 (any method, path and headers) that the tests sign the AWS SigV4 test
 * suite with, and compare the client's own `AwsJsonRequestSigner` to. The library itself signs only
 * awsJson POSTs, with `AwsJsonRequestSigner`.
 */

/** What {@link signRequest} signs: one HTTP request. */
export interface SignableRequest {
  /** `POST`, `GET`, … */
  readonly method: string;
  /** The `Host` header value (`host[:port]`). */
  readonly host: string;
  /** Path and query as sent (`/`, `/prefix?x=1`). */
  readonly path: string;
  /** Headers to send and sign (besides those the signer adds). A repeated header is an array of values. */
  readonly headers?: Readonly<Record<string, string | number | readonly string[]>> | undefined;
  /** The exact bytes to send; sign and send the same string or Buffer. */
  readonly body?: string | Buffer | undefined;
}

/** Credentials and scope for {@link signRequest}. */
export interface SigningOptions {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string | undefined;
  /** SigV4 signing name; always explicit (`machinelearning` for Amazon ML). */
  readonly service: string;
  /** Region of the credential scope; always explicit. */
  readonly region: string;
  /** Signing time in epoch milliseconds. */
  readonly timeMs: number;
  /** Add and sign `X-Amz-Content-Sha256` (S3-style). Default `false`: the hash is only in the canonical request. */
  readonly signBody?: boolean | undefined;
  /**
   * Add `X-Amz-Security-Token` after signing, so it is sent but not signed (a few services want
   * that). Default `false`: the token is signed.
   */
  readonly sessionTokenAfterSigning?: boolean | undefined;
  /**
   * `'wire'` (default): `path` is the percent-encoded path as sent, and each segment is encoded
   * again, as SigV4 wants for every service but S3. `'raw'`: `path` is unencoded text (`/ሴ`,
   * `/a b`) and each segment is encoded once (the AWS test-suite convention; aws4's `doNotEncodePath`).
   */
  readonly pathEncoding?: 'wire' | 'raw' | undefined;
}

/** The signed request: headers to send as is (including `Authorization`, `X-Amz-Date`, `Host`). */
export interface SignedRequest {
  readonly headers: Record<string, string | number>;
  /** The path to send (unchanged for awsJson, `/`). */
  readonly path: string;
}

/**
 * Signs a request with AWS Signature Version 4 (header form) using `aws4`, always passing the
 * service and region explicitly (aws4 would otherwise guess them from the host and sign a
 * localhost request with an empty service). Returns new headers; the input is not modified.
 *
 * Header names are sent as given; a repeated header (an array) is signed as its values joined
 * with `,`. Paths are normalised the way SigV4 wants for every service but S3.
 *
 * This is the general-purpose signer (any method, path, headers); it reproduces the AWS SigV4 test
 * suite. The client's per-call path uses `AwsJsonRequestSigner`, which the tests prove produces
 * the same headers as this function for every awsJson request.
 *
 * @example
 * ```ts
 * const { headers } = signRequest(
 *   { method: 'POST', host: 'machinelearning.us-east-1.amazonaws.com', path: '/', headers: { 'Content-Type': 'application/x-amz-json-1.1' }, body },
 *   { accessKeyId, secretAccessKey, service: 'machinelearning', region: 'us-east-1', timeMs: Date.now() },
 * );
 * ```
 */
export function signRequest(request: SignableRequest, options: SigningOptions): SignedRequest {
  const headers: Record<string, string | number> = { Host: request.host };
  if (request.headers !== undefined) {
    for (const [name, value] of Object.entries(request.headers)) {
      if (name.toLowerCase() === 'host') headers.Host = String(value);
      else headers[name] = typeof value === 'object' ? value.join(',') : value;
    }
  }
  headers['X-Amz-Date'] = formatAmzDate(options.timeMs);
  if (options.signBody === true) {
    headers['X-Amz-Content-Sha256'] = createHash('sha256')
      .update(request.body ?? '')
      .digest('hex');
  }
  const aws4Request: aws4.Request = {
    method: request.method,
    host: request.host,
    path: request.path,
    headers,
    service: options.service,
    region: options.region,
  };
  if (request.body !== undefined) aws4Request.body = request.body;
  if (options.pathEncoding === 'raw') aws4Request.doNotEncodePath = true;
  const credentials: aws4.Credentials =
    options.sessionToken === undefined || options.sessionTokenAfterSigning === true
      ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
      : {
          accessKeyId: options.accessKeyId,
          secretAccessKey: options.secretAccessKey,
          sessionToken: options.sessionToken,
        };
  const signed = aws4.sign(aws4Request, credentials);
  const out = signed.headers as Record<string, string | number>;
  if (options.sessionToken !== undefined && options.sessionTokenAfterSigning === true) {
    out['X-Amz-Security-Token'] = options.sessionToken;
  }
  return { headers: out, path: signed.path ?? request.path };
}
