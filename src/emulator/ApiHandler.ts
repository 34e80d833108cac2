import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { JSON_CONTENT_TYPE, LONG_MEMBERS, TARGET_PREFIX } from '../model/wireShapes.js';
import { DEFAULT_USER_ARN } from './EmulatorCredential.js';
import type { ResolvedEmulatorOptions } from './EmulatorOptions.js';
import type { FaultInjector } from './FaultInjector.js';
import { faultKindOf } from './faultKinds.js';
import type { Input } from './inputValidation.js';
import { JsonText } from './JsonText.js';
import type { Operation, OperationContext } from './operations.js';
import { OPERATIONS, UNSUPPORTED_OPERATIONS } from './operations.js';
import type { ResourceStore } from './ResourceStore.js';
import type { ApiExchange, ResponseWriter } from './ResponseWriter.js';
import { ServiceError, serviceErrors } from './ServiceError.js';
import type { SigV4Verifier } from './SigV4Verifier.js';

const TARGET_DOT = `${TARGET_PREFIX}.`;
/** How the request log names a request whose `X-Amz-Target` is missing or unknown. */
const UNKNOWN_OPERATION = '(unknown)';
/** Ids longer than this (invalid anyway: the limit is 64) are truncated in the request log. */
const MAX_LOGGED_ID = 128;
const LARGE_LONG = '9007199254740993';
const LONG_MEMBER_PATTERN = new RegExp(`"(${[...LONG_MEMBERS].join('|')})":\\d+`, 'g');

/** What the API handler works with. */
interface ApiHandlerParts {
  readonly options: ResolvedEmulatorOptions;
  readonly store: ResourceStore;
  readonly verifier: SigV4Verifier;
  readonly faults: FaultInjector;
  readonly writer: ResponseWriter;
  /** Whether the account is (now) not signed up for Amazon ML. */
  readonly notOnboarded: () => boolean;
}

/**
 * The Amazon ML JSON API: reads a request's body (within `maxBodyBytes`), names its operation, verifies
 * its signature, checks content type and sign-up, plans its faults, then answers with the operation's
 * result or with what an answering fault decides.
 */
export class ApiHandler {
  readonly #parts: ApiHandlerParts;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(parts: ApiHandlerParts) {
    this.#parts = parts;
  }

  /** Drops the answers still delayed by a `delay` fault. */
  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  /** Handles one API request (any path other than the console, control and credential endpoints). */
  handle(req: IncomingMessage, res: ServerResponse, url: string): void {
    const { writer, options } = this.#parts;
    const exchange: ApiExchange = {
      req,
      res,
      requestId: randomUUID(),
      arrived: performance.now(),
      operation: '',
      id: undefined,
      accessKeyId: undefined,
      userArn: DEFAULT_USER_ARN,
      plan: undefined,
    };
    req.on('error', () => {
      /* the socket is gone; nothing to answer */
    });
    if (req.method !== 'POST') {
      req.resume();
      writer.sendError(exchange, serviceErrors.methodNotAllowed(String(req.method).slice(0, 16)), {
        Allow: 'POST',
      });
      return;
    }
    if (url !== '/') {
      req.resume();
      writer.sendError(exchange, serviceErrors.notFoundPath());
      return;
    }
    const max = options.maxBodyBytes;
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > max) {
      writer.sendError(exchange, serviceErrors.payloadTooLarge(max), { Connection: 'close' });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > max) {
        tooLarge = true;
        writer.sendError(exchange, serviceErrors.payloadTooLarge(max), { Connection: 'close' });
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) return;
      const first = chunks.length === 1 ? chunks[0] : undefined;
      const body = first ?? Buffer.concat(chunks, size);
      this.#handleBody(exchange, body);
    });
  }

  #handleBody(exchange: ApiExchange, body: Buffer): void {
    const { options, verifier, faults } = this.#parts;
    const { req } = exchange;
    const target = req.headers['x-amz-target'];
    const name =
      typeof target === 'string' && target.startsWith(TARGET_DOT)
        ? target.slice(TARGET_DOT.length)
        : undefined;
    const operation = name === undefined ? undefined : OPERATIONS.get(name);
    // Unknown names are not kept verbatim: the log and counters must stay bounded whatever clients send.
    exchange.operation =
      name !== undefined && (operation !== undefined || UNSUPPORTED_OPERATIONS.has(name))
        ? name
        : UNKNOWN_OPERATION;
    try {
      if (options.verifySignatures) {
        const credential = verifier.verify({
          method: 'POST',
          path: '/',
          headers: req.headers,
          body,
          distinct: () => req.headersDistinct,
        });
        exchange.accessKeyId = credential.accessKeyId;
        exchange.userArn = credential.userArn;
      }
      if (name === undefined || operation === undefined) {
        if (name !== undefined && UNSUPPORTED_OPERATIONS.has(name)) {
          throw serviceErrors.unknownOperation(`The emulator does not implement ${name}`);
        }
        throw serviceErrors.unknownOperation();
      }
      const contentType = req.headers['content-type'];
      if (contentType?.toLowerCase().startsWith(JSON_CONTENT_TYPE) !== true) {
        throw serviceErrors.serialization(`Content-Type must be ${JSON_CONTENT_TYPE}`);
      }
      if (this.#parts.notOnboarded()) throw serviceErrors.notOnboarded();
      const input = parseInput(body);
      if (operation.idMember !== undefined) {
        const id = input[operation.idMember];
        if (typeof id === 'string') exchange.id = id.length > MAX_LOGGED_ID ? id.slice(0, MAX_LOGGED_ID) : id;
      }
      if (!faults.empty) {
        const plan = faults.plan(exchange.operation, exchange.id);
        exchange.plan = plan;
        if (plan !== undefined && plan.delayMs > 0) {
          const timer = setTimeout(() => {
            this.#timers.delete(timer);
            if (exchange.res.destroyed) return;
            this.#respond(exchange, operation, input);
          }, plan.delayMs);
          this.#timers.add(timer);
          return;
        }
      }
      this.#respond(exchange, operation, input);
    } catch (error) {
      this.#parts.writer.sendError(exchange, this.#toServiceError(error));
    }
  }

  #context(exchange: ApiExchange, withListView: boolean): OperationContext {
    const { options, store } = this.#parts;
    return {
      store,
      userArn: exchange.userArn,
      autoCreateReferences: options.autoCreateReferences,
      lifecycle: options.lifecycle,
      listView: withListView ? exchange.plan?.listView : undefined,
    };
  }

  #respond(exchange: ApiExchange, operation: Operation, input: Input): void {
    const { writer } = this.#parts;
    try {
      const terminal = exchange.plan?.terminal;
      if (terminal !== undefined) {
        const definition = faultKindOf(terminal);
        if ('answer' in definition) {
          definition.answer(terminal, {
            operation: exchange.operation,
            userArn: exchange.userArn,
            sendError: (error) => {
              writer.sendError(exchange, error);
            },
            send: (status, body, contentType, errorType) => {
              writer.send(exchange, status, body, undefined, contentType, errorType);
            },
            reset: () => {
              writer.logApi(exchange, 0, 'ConnectionReset');
              exchange.req.socket.destroy();
            },
            render: () => {
              try {
                return toJson(operation.handle(input, this.#context(exchange, false)));
              } catch {
                return undefined;
              }
            },
          });
        }
        return;
      }
      let json = toJson(operation.handle(input, this.#context(exchange, true)));
      if (exchange.plan?.largeLongs === true) json = json.replace(LONG_MEMBER_PATTERN, `"$1":${LARGE_LONG}`);
      writer.send(exchange, 200, json, undefined);
    } catch (error) {
      writer.sendError(exchange, this.#toServiceError(error));
    }
  }

  #toServiceError(error: unknown): ServiceError {
    if (error instanceof ServiceError) return error;
    // Handlers report bad input as ServiceErrors; anything else is a bug in the emulator: answer 500 and log it.
    this.#parts.options.logger.error(
      { err: error instanceof Error ? `${error.name}: ${error.message}` : String(error) },
      'aml-emulator internal error',
    );
    return serviceErrors.internal();
  }
}

function toJson(result: Readonly<Record<string, unknown>> | JsonText): string {
  return result instanceof JsonText ? result.text : JSON.stringify(result);
}

function parseInput(body: Buffer): Input {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    throw serviceErrors.serialization('Failed to parse the request body as JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw serviceErrors.invalidInput('The request body must be a JSON object');
  }
  return parsed as Input;
}
