import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import aws4 from 'aws4';
import { SIGNING_SERVICE } from '../model/wireShapes.js';
import type { CredentialStore, StoredCredential } from './CredentialStore.js';
import { serviceErrors } from './ServiceError.js';

const AUTHORIZATION_PATTERN =
  /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;
const AMZ_DATE_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const WINDOW_MS = 15 * 60 * 1000;
/** Headers aws4 leaves out of a signature unless told to include them. */
const AWS4_IGNORED = new Set([
  'authorization',
  'connection',
  'x-amzn-trace-id',
  'user-agent',
  'expect',
  'presigned-expires',
  'range',
]);

/** What the verifier needs from an incoming request. */
export interface SignedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  /**
   * Each header's values as received (`IncomingMessage.headersDistinct`), consulted only for a signed
   * header whose joined value holds a comma: Node joins repeated headers with `", "`, SigV4 with `","`.
   */
  readonly distinct?: (() => NodeJS.Dict<string[]>) | undefined;
}

/** Formats epoch milliseconds as SigV4's basic ISO-8601 form, `20150830T123600Z`. */
export function toAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[:-]|\.\d{3}/g, '');
}

/** Parses `20150830T123600Z` into epoch milliseconds, or `undefined` when malformed. */
function parseAmzDate(value: string): number | undefined {
  const m = AMZ_DATE_PATTERN.exec(value);
  if (m === null) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isFinite(ms) ? ms : undefined;
}

function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * Verifies AWS Signature Version 4 on incoming requests the way AWS does (reference §7.6), recomputing
 * the signature with aws4's `RequestSigner`. Throws a {@link ServiceError} with AWS's error type and
 * message for each kind of rejection; returns the matching credential when the request is genuine.
 */
export class SigV4Verifier {
  readonly #store: CredentialStore;
  readonly #region: string | undefined;
  readonly #service: string;
  readonly #now: () => number;
  /** One aws4 signer reused for every request (see {@link SigV4Verifier.#sign}); `undefined` if the self-test failed. */
  readonly #reused: ReusableSigner | undefined;

  /**
   * @param store - the accepted keys.
   * @param region - the only region the scope may name (`undefined`: any region, as for STS).
   * @param now - wall-clock epoch milliseconds used for the 15-minute window and token expiry.
   * @param reuseSigner - use the fast path (one reused aws4 signer) when it passes its self-test. Default `true`.
   * @param service - the service the scope must name. Default `machinelearning`.
   */
  constructor(
    store: CredentialStore,
    region: string | undefined,
    now: () => number,
    reuseSigner = true,
    service: string = SIGNING_SERVICE,
  ) {
    this.#store = store;
    this.#region = region;
    this.#service = service;
    this.#now = now;
    this.#reused = reuseSigner ? selfTestedReusableSigner() : undefined;
  }

  /**
   * Recomputes the signature with aws4. The fast path reuses one `RequestSigner` and hands it the
   * parsed path and the (sorted) signed headers directly, skipping its per-request construction,
   * path parsing and header filtering, which cost about half of the work; the canonical request,
   * string to sign, signing-key cache and HMAC are aws4's own. It is used only when it reproduces the
   * reference vector at start; otherwise a fresh `RequestSigner` is built per request.
   */
  #sign(
    request: { method: string; path: string; host: string; headers: Record<string, string>; body: Buffer },
    names: readonly string[],
    include: Record<string, boolean> | undefined,
    service: string,
    region: string,
    credentials: { accessKeyId: string; secretAccessKey: string },
    amzDate: string,
  ): { signature: string; signedHeaders: string } {
    const reused = this.#reused;
    if (reused !== undefined)
      return reuseSigner(reused, request, names, service, region, credentials, amzDate);
    const signer = new aws4.RequestSigner(
      {
        ...request,
        service,
        region,
        doNotModifyHeaders: true,
        ...(include === undefined ? {} : { extraHeadersToInclude: include }),
      },
      credentials,
    );
    signer.datetime = amzDate;
    return { signature: signer.signature(), signedHeaders: signer.signedHeaders() };
  }

  /** `true` when the fast path (a reused aws4 signer) is in use. */
  get reusesSigner(): boolean {
    return this.#reused !== undefined;
  }

  /** Returns the credential that signed `request`, or throws the AWS rejection. */
  verify(request: SignedRequest): StoredCredential {
    const { headers } = request;
    const authorization = headers.authorization;
    if (authorization === undefined || authorization === '') throw serviceErrors.missingAuthenticationToken();
    const match = AUTHORIZATION_PATTERN.exec(authorization);
    if (match === null) {
      throw serviceErrors.incompleteSignature(
        "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters in AWS4-HMAC-SHA256 form.",
      );
    }
    const [
      ,
      accessKeyId = '',
      scopeDate = '',
      scopeRegion = '',
      scopeService = '',
      signedHeaders = '',
      signature = '',
    ] = match;

    const amzDate = headerValue(headers, 'x-amz-date');
    if (amzDate === undefined) {
      throw serviceErrors.incompleteSignature(
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
      );
    }
    const requestMs = parseAmzDate(amzDate);
    if (requestMs === undefined) {
      throw serviceErrors.incompleteSignature(
        `Date must be in ISO-8601 'basic format'. Got '${amzDate.slice(0, 64)}'.`,
      );
    }

    const credential = this.#store.get(accessKeyId);
    if (credential === undefined) throw serviceErrors.unrecognizedClient();
    const token = headerValue(headers, 'x-amz-security-token');
    if (credential.sessionToken !== token) throw serviceErrors.unrecognizedClient();
    const now = this.#now();
    if (credential.expiresAtMs !== undefined && now >= credential.expiresAtMs)
      throw serviceErrors.expiredToken();

    if (scopeService !== this.#service) throw serviceErrors.wrongService(this.#service);
    if (this.#region !== undefined && scopeRegion !== this.#region) throw serviceErrors.wrongRegion();
    if (scopeDate !== amzDate.slice(0, 8)) throw serviceErrors.scopeDateMismatch(scopeDate, amzDate);
    if (requestMs < now - WINDOW_MS) {
      throw serviceErrors.signatureExpired(amzDate, toAmzDate(now - WINDOW_MS), toAmzDate(now));
    }
    if (requestMs > now + WINDOW_MS) {
      throw serviceErrors.signatureNotYetCurrent(amzDate, toAmzDate(now + WINDOW_MS), toAmzDate(now));
    }

    const names = signedHeaders.split(';');
    if (!names.includes('host')) {
      throw serviceErrors.incompleteSignature(
        "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.",
      );
    }
    const signed: Record<string, string> = {};
    let host = '';
    let include: Record<string, boolean> | undefined;
    for (const name of names) {
      let value = headerValue(headers, name);
      if (value === undefined) throw serviceErrors.signatureMismatch();
      if (value.includes(',') && request.distinct !== undefined) {
        const values = request.distinct()[name];
        if (values !== undefined && values.length > 1) value = values.map((v) => v.trim()).join(',');
      }
      signed[name] = value;
      if (name === 'host') host = value;
      if (AWS4_IGNORED.has(name)) (include ??= {})[name] = true;
    }
    // aws4 trusts a signed x-amz-content-sha256 instead of hashing the body: check it is the body's hash.
    const contentSha = signed['x-amz-content-sha256'];
    if (contentSha !== undefined && contentSha !== createHash('sha256').update(request.body).digest('hex')) {
      throw serviceErrors.signatureMismatch();
    }
    const computed = this.#sign(
      { method: request.method, path: request.path, host, headers: signed, body: request.body },
      names,
      include,
      scopeService,
      scopeRegion,
      { accessKeyId, secretAccessKey: credential.secretAccessKey },
      amzDate,
    );
    if (
      computed.signedHeaders !== signedHeaders ||
      !timingSafeEqual(Buffer.from(computed.signature, 'latin1'), Buffer.from(signature, 'latin1'))
    ) {
      throw serviceErrors.signatureMismatch();
    }
    return credential;
  }
}

/** The aws4 `RequestSigner` state the fast path sets (its caches `parsedPath` and `filteredHeaders`). */
interface ReusableSigner {
  request: { method: string; path: string; headers: Record<string, string>; body: Buffer };
  credentials: { accessKeyId: string; secretAccessKey: string };
  service: string;
  region: string;
  datetime: string | undefined;
  parsedPath: { path: string; query: null } | undefined;
  filteredHeaders: [string, string][] | undefined;
  signature(): string;
  signedHeaders(): string;
}

function reuseSigner(
  signer: ReusableSigner,
  request: { method: string; path: string; headers: Record<string, string>; body: Buffer },
  names: readonly string[],
  service: string,
  region: string,
  credentials: { accessKeyId: string; secretAccessKey: string },
  amzDate: string,
): { signature: string; signedHeaders: string } {
  const sorted = [...names].sort();
  signer.request = request;
  signer.credentials = credentials;
  signer.service = service;
  signer.region = region;
  signer.datetime = amzDate;
  signer.parsedPath = { path: request.path, query: null };
  signer.filteredHeaders = sorted.map((name): [string, string] => [name, request.headers[name] ?? '']);
  return { signature: signer.signature(), signedHeaders: signer.signedHeaders() };
}

/** Reference §7.5: the fixed GetBatchPrediction vector, to check the fast path against at start. */
const VECTOR = {
  headers: {
    'content-length': '58',
    'content-type': 'application/x-amz-json-1.1',
    host: 'machinelearning.us-east-1.amazonaws.com',
    'x-amz-date': '20150830T123600Z',
    'x-amz-target': 'AmazonML_20141212.GetBatchPrediction',
  },
  body: '{"BatchPredictionId":"EXAMPLE-bp-2014-09-12-15-14-04-156"}',
  signature: '603dc6e789201a3f53faebab01f398ba382f42d4bfe2bae5a540931ee1df3715',
};

function selfTestedReusableSigner(): ReusableSigner | undefined {
  try {
    const signer = new aws4.RequestSigner(
      {
        method: 'POST',
        path: '/',
        host: 'localhost',
        headers: {},
        service: SIGNING_SERVICE,
        region: 'us-east-1',
        doNotModifyHeaders: true,
      },
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'unused' },
    ) as unknown as ReusableSigner;
    const result = reuseSigner(
      signer,
      { method: 'POST', path: '/', headers: VECTOR.headers, body: Buffer.from(VECTOR.body) },
      Object.keys(VECTOR.headers),
      SIGNING_SERVICE,
      'us-east-1',
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      VECTOR.headers['x-amz-date'],
    );
    return result.signature === VECTOR.signature ? signer : undefined;
  } catch {
    return undefined;
  }
}
