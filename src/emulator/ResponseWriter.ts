import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from '../model/Logger.js';
import { silentLogger } from '../model/Logger.js';
import { JSON_CONTENT_TYPE } from '../model/wireShapes.js';
import type { CredentialEndpointExchange } from './CredentialEndpoints.js';
import type { FaultPlan } from './FaultPlan.js';
import { httpDate } from './httpDate.js';
import type { RequestLog } from './RequestLog.js';
import type { ServiceError } from './ServiceError.js';

/** One Amazon ML API request on its way through the emulator. */
export interface ApiExchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly requestId: string;
  /** `performance.now()` when the request arrived (for the request log's latency). */
  readonly arrived: number;
  operation: string;
  id: string | undefined;
  accessKeyId: string | undefined;
  userArn: string;
  plan: FaultPlan | undefined;
}

/** What the request log and the debug line say about one answer. */
interface Answered {
  readonly requestId: string;
  readonly operation: string;
  readonly id: string | undefined;
  readonly statusCode: number;
  readonly errorType: string | undefined;
  readonly accessKeyId: string | undefined;
  readonly faults: readonly string[];
  readonly arrived: number;
  readonly req: IncomingMessage;
}

const NO_FAULTS: readonly string[] = Object.freeze([]);
/** User-Agent values longer than this are truncated in the request log. */
const MAX_LOGGED_USER_AGENT = 512;

/**
 * Writes every answer the emulator's API and credential endpoints give, and logs it: the `Date` header
 * (the real time plus the emulator's skew), the request id, the error-type quirks of a fault plan, the
 * request log entry (with its latency) and the logger's debug line. The `Date` header and the log's `time`
 * read the real clock (`Date.now()`) here and nowhere else in the API path; latency is `performance.now()`
 * since the request's arrival (noted by `ApiHandler`, or by {@link ResponseWriter.arrived}).
 */
export class ResponseWriter {
  readonly #log: RequestLog;
  readonly #logger: Logger;
  readonly #skewMs: () => number;
  /** When each credential-endpoint request arrived (for the request log's latency). */
  readonly #arrivals = new WeakMap<ServerResponse, number>();

  constructor(log: RequestLog, logger: Logger, skewMs: () => number) {
    this.#log = log;
    this.#logger = logger;
    this.#skewMs = skewMs;
  }

  /** The `Date` header's value now, `extraSkewMs` further off. */
  #date(extraSkewMs = 0): string {
    return httpDate(Date.now() + this.#skewMs() + extraSkewMs);
  }

  /** Notes that a request arrived now (for the latency of a credential-endpoint answer). */
  arrived(res: ServerResponse): void {
    this.#arrivals.set(res, performance.now());
  }

  /** Answers an API request with an error in AWS's JSON shape (bent by the plan's error-type quirk). */
  sendError(exchange: ApiExchange, error: ServiceError, extra?: Record<string, string>): void {
    const quirk = exchange.plan?.quirk;
    let type = error.errorType;
    if (quirk === 'fullyQualified') {
      type = `com.amazonaws.machinelearning#${type}:http://internal.amazon.com/coral/com.amazonaws.machinelearning/`;
    }
    const body: Record<string, unknown> = quirk === 'headerOnly' ? {} : { __type: type };
    body.message = error.message;
    if (quirk === 'numericCode') body.code = 0;
    const headers: Record<string, string> = { ...error.headers, ...extra };
    if (quirk !== 'typeOnly') headers['x-amzn-ErrorType'] = type;
    this.send(exchange, error.statusCode, JSON.stringify(body), headers, JSON_CONTENT_TYPE, error.errorType);
  }

  /** Answers an API request (once: a request already answered or gone is left alone). */
  send(
    exchange: ApiExchange,
    status: number,
    body: string,
    headers: Record<string, string> | undefined,
    contentType: string = JSON_CONTENT_TYPE,
    errorType?: string,
  ): void {
    const { res } = exchange;
    if (res.headersSent || res.destroyed) return;
    const head: Record<string, string | number> = {
      'Content-Type': contentType,
      'x-amzn-RequestId': exchange.requestId,
      Date: this.#date(exchange.plan?.skewMs),
      'Content-Length': Buffer.byteLength(body),
    };
    if (headers !== undefined) Object.assign(head, headers);
    coalesceWrites(res.socket);
    res.writeHead(status, head);
    res.end(body);
    this.logApi(exchange, status, errorType);
  }

  /** Logs an API request's outcome (also one answered by closing the connection). */
  logApi(exchange: ApiExchange, statusCode: number, errorType: string | undefined): void {
    this.#record({
      ...exchange,
      statusCode,
      errorType,
      faults: exchange.plan?.applied ?? NO_FAULTS,
    });
  }

  /** Sends and logs one answer of the credential endpoints. */
  sendCredentialAnswer(
    res: ServerResponse,
    exchange: CredentialEndpointExchange,
    contentType: string,
    body: string,
    headers: Record<string, string> | undefined,
  ): void {
    if (res.headersSent || res.destroyed) return;
    res.writeHead(exchange.statusCode, {
      'Content-Type': contentType,
      'x-amzn-RequestId': exchange.requestId,
      Date: this.#date(),
      'Content-Length': Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
    this.#record({
      ...exchange,
      id: undefined,
      faults: NO_FAULTS,
      arrived: this.#arrivals.get(res) ?? performance.now(),
      req: res.req,
    });
  }

  /** Answers what Node's HTTP parser rejected (bad HTTP, headers too large, too slow) and closes. */
  rejectBadHttp(error: NodeJS.ErrnoException, socket: Socket): void {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const timeout = error.code === 'ERR_HTTP_REQUEST_TIMEOUT';
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = timeout ? 408 : tooLarge ? 431 : 400;
    const type = timeout ? 'RequestTimeoutException' : 'SerializationException';
    const message = timeout
      ? 'The request did not arrive in time'
      : tooLarge
        ? 'Request headers are too large'
        : 'The request is not valid HTTP/1.1';
    const body = JSON.stringify({ __type: type, message });
    const requestId = randomUUID();
    socket.end(
      `HTTP/1.1 ${status} ${timeout ? 'Request Timeout' : tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        `Content-Type: ${JSON_CONTENT_TYPE}\r\nx-amzn-RequestId: ${requestId}\r\nx-amzn-ErrorType: ${type}\r\n` +
        `Date: ${this.#date()}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }

  #record(answered: Answered): void {
    const { requestId, operation, id, statusCode, errorType } = answered;
    this.#log.add({
      time: Date.now(),
      requestId,
      operation,
      id,
      statusCode,
      latencyMs: latencySince(answered.arrived),
      errorType,
      accessKeyId: answered.accessKeyId,
      faults: answered.faults,
      userAgent: userAgentOf(answered.req),
    });
    if (this.#logger !== silentLogger) {
      this.#logger.debug({ operation, id, statusCode, errorType, requestId }, 'aml-emulator request');
    }
  }
}

/** The request's `User-Agent`, truncated for the log (the log must stay bounded whatever clients send). */
function userAgentOf(req: IncomingMessage): string | undefined {
  const value = req.headers['user-agent'];
  return value === undefined ? undefined : value.slice(0, MAX_LOGGED_USER_AGENT);
}

/** Milliseconds since `arrived` (a `performance.now()` reading), to 0.01 ms, for the request log. */
function latencySince(arrived: number): number {
  return Math.round((performance.now() - arrived) * 100) / 100;
}

const corked = new WeakSet<Socket>();

/**
 * Holds a socket's writes until the current turn of the event loop ends, so the answers to several
 * pipelined requests leave in one `writev` system call instead of one each.
 */
function coalesceWrites(socket: Socket | null): void {
  if (socket === null || corked.has(socket) || socket.destroyed) return;
  corked.add(socket);
  socket.cork();
  setImmediate(() => {
    corked.delete(socket);
    socket.uncork();
  });
}
