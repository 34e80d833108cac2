import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isResourceKind } from '../model/ResourceKind.js';
import type { Emulator } from './Emulator.js';
import type { EmulatorCredential } from './EmulatorCredential.js';
import type { FaultRule } from './FaultRule.js';
import { httpDate } from './httpDate.js';
import type { LifecycleStep } from './LifecycleScript.js';
import type { ResourceInput } from './ResourceStore.js';

/** Path prefix of the HTTP control interface. */
export const CONTROL_PREFIX = '/__control';
/** Header carrying the control token (`Authorization: Bearer <token>` is accepted too). */
export const CONTROL_TOKEN_HEADER = 'x-aml-emulator-token';

class ControlError extends Error {
  readonly status: number;
  readonly type: string;
  constructor(status: number, type: string, message: string) {
    super(message);
    this.status = status;
    this.type = type;
  }
}

function badInput(error: unknown): ControlError {
  if (error instanceof ControlError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ControlError(400, 'InvalidInputException', message);
}

function asObject(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ControlError(
      400,
      'InvalidInputException',
      `Expected \`${field}\` to be a JSON object, got ${JSON.stringify(value)}`,
    );
  }
  return value as Record<string, unknown>;
}

/**
 * The HTTP control interface, for test suites in other processes. Every route needs the token in the
 * `x-aml-emulator-token` header (401 without it, 403 when wrong). Routes (JSON in and out):
 *
 * | method and path | does |
 * |---|---|
 * | `GET /__control/health` | `{ ok: true }` |
 * | `POST /__control/resources` `{kind, resource, script?}` | `put` → `{ resource }` |
 * | `GET /__control/resources/<kind>/<id>[?verbose=true]` | the wire view (404 if not visible) |
 * | `POST /__control/resources/<kind>/<id>/script` `{steps}` | `script` |
 * | `GET /__control/faults`, `POST /__control/faults` (a rule), `DELETE /__control/faults[/<ruleId>]` | list / add → `{ruleId}` / clear or remove |
 * | `GET /__control/requests`, `GET /__control/counters` | request log / counters |
 * | `PUT /__control/not-onboarded` `{enabled}`, `PUT /__control/skew` `{skewMs}` | modes |
 * | `POST /__control/credentials` `{accessKeyId, secretAccessKey, sessionToken?, expiresAt?}` | accept a key pair |
 * | `POST /__control/reset` | `reset` |
 */
export class ControlApi {
  readonly #emulator: Emulator;
  readonly #token: Buffer;
  readonly #maxBodyBytes: number;

  constructor(emulator: Emulator, token: string, maxBodyBytes: number) {
    this.#emulator = emulator;
    this.#token = Buffer.from(token, 'utf8');
    this.#maxBodyBytes = maxBodyBytes;
  }

  /** Handles one control request (the URL starts with {@link CONTROL_PREFIX}). */
  handle(req: IncomingMessage, res: ServerResponse, url: string): void {
    req.on('error', () => undefined);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > this.#maxBodyBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      try {
        this.#authorize(req);
        if (tooLarge)
          throw new ControlError(413, 'RequestEntityTooLargeException', 'Control request body is too large');
        const result = this.#route(req.method ?? 'GET', url, Buffer.concat(chunks).toString('utf8'));
        send(res, result === undefined ? 204 : 200, result);
      } catch (error) {
        const e = badInput(error);
        send(res, e.status, { __type: e.type, message: e.message }, e.type);
      }
    });
  }

  #authorize(req: IncomingMessage): void {
    const refusal = this.checkToken(req);
    if (refusal !== undefined) throw new ControlError(refusal.status, refusal.type, refusal.message);
  }

  /** Why `req` lacks the right token (401 without one, 403 when wrong), or `undefined` when it has it. */
  checkToken(req: IncomingMessage): { status: number; type: string; message: string } | undefined {
    let given = req.headers[CONTROL_TOKEN_HEADER];
    const auth = req.headers.authorization;
    if (given === undefined && typeof auth === 'string' && auth.startsWith('Bearer ')) given = auth.slice(7);
    if (typeof given !== 'string' || given.length === 0) {
      return {
        status: 401,
        type: 'MissingControlTokenException',
        message: `Send the control token in the ${CONTROL_TOKEN_HEADER} header`,
      };
    }
    const buffer = Buffer.from(given, 'utf8');
    if (buffer.length !== this.#token.length || !timingSafeEqual(buffer, this.#token)) {
      return { status: 403, type: 'InvalidControlTokenException', message: 'The control token is not valid' };
    }
    return undefined;
  }

  #route(method: string, url: string, text: string): unknown {
    const parsedUrl = new URL(url, 'http://emulator');
    const parts = parsedUrl.pathname
      .slice(CONTROL_PREFIX.length)
      .split('/')
      .filter((p) => p !== '')
      .map(decodeURIComponent);
    const body = (): unknown => {
      if (text.trim() === '') return {};
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new ControlError(400, 'SerializationException', 'Control request body is not valid JSON');
      }
    };
    const emu = this.#emulator;
    const route = `${method} ${parts[0] ?? ''}`;
    switch (route) {
      case 'GET health':
        return { ok: true };
      case 'POST resources': {
        if (parts.length !== 1) break;
        const input = asObject(body(), 'body');
        if (!isResourceKind(input.kind)) {
          throw new ControlError(
            400,
            'InvalidInputException',
            `Expected \`kind\` to be BatchPrediction, DataSource, MLModel or Evaluation, got ${JSON.stringify(input.kind)}`,
          );
        }
        const resource = emu.put(
          input.kind,
          input.resource as ResourceInput,
          input.script as LifecycleStep[] | undefined,
        );
        return { resource: resource ?? null };
      }
      case 'GET resources': {
        if (parts.length !== 3) break;
        const kind = parts[1];
        if (!isResourceKind(kind))
          throw new ControlError(404, 'ResourceNotFoundException', `Unknown kind ${JSON.stringify(kind)}`);
        const id = parts[2] ?? '';
        const view = emu.get(kind, id, { verbose: parsedUrl.searchParams.get('verbose') === 'true' });
        if (view === undefined)
          throw new ControlError(404, 'ResourceNotFoundException', `No ${kind} found with id ${id}`);
        return view;
      }
      case 'GET faults':
        return { faults: emu.faults() };
      case 'POST faults':
        return { ruleId: emu.addFault(body() as FaultRule) };
      case 'DELETE faults':
        if (parts.length === 1) {
          emu.clearFaults();
          return undefined;
        }
        if (!emu.removeFault(parts[1] ?? '')) {
          throw new ControlError(404, 'ResourceNotFoundException', `No fault rule ${parts[1] ?? ''}`);
        }
        return undefined;
      case 'GET requests':
        return { requests: emu.requests() };
      case 'GET counters':
        return emu.counters();
      case 'PUT not-onboarded':
        emu.setNotOnboarded(asObject(body(), 'body').enabled as boolean);
        return undefined;
      case 'PUT skew':
        emu.setSkew(asObject(body(), 'body').skewMs as number);
        return undefined;
      case 'POST credentials': {
        const input = asObject(body(), 'body');
        const expiresAt = input.expiresAt;
        const credential = {
          ...input,
          expiresAt: expiresAt === undefined ? undefined : new Date(expiresAt as string | number),
        } as EmulatorCredential;
        emu.addCredential(credential);
        return undefined;
      }
      case 'POST reset':
        emu.reset();
        return undefined;
      default:
        break;
    }
    if (method === 'POST' && parts[0] === 'resources' && parts.length === 4 && parts[3] === 'script') {
      const kind = parts[1];
      if (!isResourceKind(kind))
        throw new ControlError(404, 'ResourceNotFoundException', `Unknown kind ${JSON.stringify(kind)}`);
      emu.script(kind, parts[2] ?? '', asObject(body(), 'body').steps as LifecycleStep[]);
      return undefined;
    }
    throw new ControlError(
      404,
      'UnknownOperationException',
      `No control route ${method} ${parsedUrl.pathname.slice(0, 200)}`,
    );
  }
}

function send(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  if (res.headersSent || res.destroyed) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'x-amzn-RequestId': randomUUID(),
    Date: httpDate(Date.now()),
    'Content-Length': Buffer.byteLength(text),
  };
  if (errorType !== undefined) headers['x-amzn-ErrorType'] = errorType;
  res.writeHead(status, headers);
  res.end(text);
}
