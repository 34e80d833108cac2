import aws4 from 'aws4';
import { request } from 'undici';
import type { Emulator } from '../../../src/emulator/index.js';

/** A response as the tests look at it. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly text: string;
  /** The parsed body, or `undefined` when it is not JSON. */
  readonly json: Record<string, unknown> | undefined;
}

/** Options of {@link signedRequest}. */
export interface SignedRequestOptions {
  readonly credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined };
  readonly region?: string;
  readonly service?: string;
  /** Epoch ms to sign at. Default now. */
  readonly signAt?: number;
  readonly headers?: Record<string, string>;
  /** Headers to remove after signing. */
  readonly dropHeaders?: readonly string[];
  /** Raw body text (sent as is, signed as is). */
  readonly rawBody?: string;
  /** Change the body after signing (tampering). */
  readonly tamperBody?: string;
  /** Client-side timeout (aborts the request), ms. */
  readonly timeoutMs?: number;
}

function toAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[:-]|\.\d{3}/g, '');
}

/** Sends an awsJson1_1 request signed with aws4 (or deliberately broken) to the emulator. */
export async function signedRequest(
  emulator: Emulator,
  operation: string,
  input: unknown,
  options: SignedRequestOptions = {},
): Promise<RawResponse> {
  const url = new URL(emulator.endpoint);
  const given = options.credentials ?? emulator.credentials;
  const credentials =
    given.sessionToken === undefined
      ? { accessKeyId: given.accessKeyId, secretAccessKey: given.secretAccessKey }
      : {
          accessKeyId: given.accessKeyId,
          secretAccessKey: given.secretAccessKey,
          sessionToken: given.sessionToken,
        };
  const body = options.rawBody ?? JSON.stringify(input);
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-amz-json-1.1',
    'X-Amz-Target': `AmazonML_20141212.${operation}`,
    'X-Amz-Date': toAmzDate(options.signAt ?? Date.now()),
    ...options.headers,
  };
  const signed = aws4.sign(
    {
      host: url.host,
      path: '/',
      method: 'POST',
      service: options.service ?? 'machinelearning',
      region: options.region ?? emulator.region,
      headers,
      body,
    },
    credentials,
  );
  const sent: Record<string, string> = {};
  for (const [k, v] of Object.entries(signed.headers ?? {})) {
    if (!(options.dropHeaders ?? []).includes(k.toLowerCase())) sent[k] = String(v);
  }
  const finalBody = options.tamperBody ?? body;
  if (options.tamperBody !== undefined) sent['Content-Length'] = String(Buffer.byteLength(finalBody));
  return send(emulator.endpoint, 'POST', '/', sent, finalBody, options.timeoutMs);
}

/** Sends any HTTP request and reads the whole answer. */
export async function send(
  endpoint: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | Buffer,
  timeoutMs?: number,
): Promise<RawResponse> {
  const res = await request(`${endpoint}${path}`, {
    method: method as 'POST',
    headers,
    ...(body === undefined ? {} : { body }),
    ...(timeoutMs === undefined ? {} : { signal: AbortSignal.timeout(timeoutMs) }),
  });
  const text = await res.body.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers))
    if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
  return { status: res.statusCode, headers: flat, text, json };
}

/** Sends a control-interface request with the token (or `token: null` for none). */
export async function control(
  emulator: Emulator,
  method: string,
  path: string,
  body?: unknown,
  token: string | null = emulator.controlToken,
): Promise<RawResponse> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers['x-aml-emulator-token'] = token;
  return send(
    emulator.endpoint,
    method,
    `/__control${path}`,
    headers,
    body === undefined ? undefined : JSON.stringify(body),
  );
}
