import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ConsoleAssets } from '../consoleAssets.js';
import type { ChangeFeed } from './ChangeFeed.js';
import { CONSOLE_PREFIX } from './ConsoleEvent.js';
import type { ResolvedConsoleOptions } from './ConsoleOptions.js';
import { foreignRequestProblem } from './foreignRequestProblem.js';

/** Why a request was refused: an HTTP status, an error type and a message (no secret in it). */
interface Refusal {
  readonly status: number;
  readonly type: string;
  readonly message: string;
}

/** What the console server needs from the emulator. */
interface ConsoleServerParts {
  readonly options: ResolvedConsoleOptions;
  readonly assets: ConsoleAssets;
  readonly feed: ChangeFeed;
  /** The emulator's port once it listens. */
  readonly port: () => number;
  /** The control interface's token check (`undefined` when the request carries the right token). */
  readonly checkToken: (req: IncomingMessage) => Refusal | undefined;
}

/**
 * Content-Security-Policy of every console response: the page's own script, style and stream only —
 * no inline script or style, no other origin, no framing, no form posts, no plug-ins.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Headers sent with every console response. */
const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'Content-Security-Policy': CONSOLE_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
});

/** The stream of changes, under the console's path. */
export const CONSOLE_EVENTS_PATH = `${CONSOLE_PREFIX}/events`;

/**
 * Serves the emulator console (`/__console/`: the page's static files and the change stream) and guards
 * the console and the control interface against other sites (`Host`/`Origin`, see
 * {@link foreignRequestProblem}). The page itself is public and holds no secret; the stream, like every
 * control call, needs the control token in its header.
 */
export class ConsoleServer {
  readonly #parts: ConsoleServerParts;

  constructor(parts: ConsoleServerParts) {
    this.#parts = parts;
  }

  /**
   * Refuses (403) a request to the console or the control interface that comes from another site.
   * Returns `true` when the request may go on.
   */
  admit(req: IncomingMessage, res: ServerResponse): boolean {
    const problem = foreignRequestProblem(req.headers, this.#parts.options.allowedHosts, this.#parts.port());
    if (problem === undefined && req.method !== 'OPTIONS') return true;
    req.resume();
    refuse(res, {
      status: 403,
      type: 'ForeignRequestException',
      message: problem ?? 'Cross-origin requests are not answered (no CORS)',
    });
    return false;
  }

  /** Answers a request under {@link CONSOLE_PREFIX} (already admitted). */
  handle(req: IncomingMessage, res: ServerResponse, url: string): void {
    req.resume();
    const path = new URL(url, 'http://emulator').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      refuse(
        res,
        { status: 405, type: 'MethodNotAllowedException', message: 'The console answers GET only' },
        {
          Allow: 'GET, HEAD',
        },
      );
      return;
    }
    if (path === CONSOLE_PREFIX) {
      res.writeHead(301, {
        ...CONSOLE_SECURITY_HEADERS,
        Location: `${CONSOLE_PREFIX}/`,
        'Content-Length': 0,
      });
      res.end();
      return;
    }
    if (path === CONSOLE_EVENTS_PATH) {
      const refusal = this.#parts.checkToken(req);
      if (refusal !== undefined) {
        refuse(res, refusal);
        return;
      }
      this.#parts.feed.attach(res, CONSOLE_SECURITY_HEADERS);
      return;
    }
    const name = path === `${CONSOLE_PREFIX}/` ? 'index.html' : path.slice(CONSOLE_PREFIX.length + 1);
    const asset = this.#parts.assets.get(name);
    if (asset === undefined) {
      refuse(res, {
        status: 404,
        type: 'NotFoundException',
        message: `No console file ${path.slice(0, 200)}`,
      });
      return;
    }
    res.writeHead(200, {
      ...CONSOLE_SECURITY_HEADERS,
      'Content-Type': asset.contentType,
      'Content-Length': asset.body.length,
    });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  }

  /** Ends the change streams. */
  close(): void {
    this.#parts.feed.close();
  }
}

function refuse(res: ServerResponse, refusal: Refusal, extra: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify({ __type: refusal.type, message: refusal.message });
  res.writeHead(refusal.status, {
    ...CONSOLE_SECURITY_HEADERS,
    ...extra,
    'Content-Type': 'application/json',
    'x-amzn-ErrorType': refusal.type,
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}
