import type { TokenStore } from './TokenStore.js';

/** Header that carries the control token (the same as the control interface's `CONTROL_TOKEN_HEADER`). */
const TOKEN_HEADER = 'x-aml-emulator-token';

/** A control call that did not succeed; `message` says why, for people. */
export class ControlRequestError extends Error {
  override readonly name = 'ControlRequestError';
  /** HTTP status; 0 when nothing was sent or no answer came. */
  readonly status: number;
  readonly type: string;

  constructor(status: number, type: string, message: string) {
    super(message);
    this.status = status;
    this.type = type;
  }

  /** `true` when the token is missing or wrong (the page then asks for it). */
  get isTokenProblem(): boolean {
    return this.status === 401 || this.status === 403 || this.type === 'NoControlToken';
  }
}

/** The error for a call the page did not send because it has no token. */
function noTokenError(): ControlRequestError {
  return new ControlRequestError(
    0,
    'NoControlToken',
    'No control token: enter the token aml-emulator printed when it started. Nothing was sent, nothing changed.',
  );
}

/** Reads an error answer of the emulator (`{ __type, message }`) into a ControlRequestError. */
export async function toControlRequestError(response: Response): Promise<ControlRequestError> {
  let type = `Http${response.status}`;
  let message = `The emulator answered ${response.status} ${response.statusText}`;
  try {
    const body = (await response.json()) as { __type?: unknown; message?: unknown };
    if (typeof body.__type === 'string') type = body.__type;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // not JSON: keep the status line
  }
  if (response.status === 401 || response.status === 403) {
    message = `${message}. Nothing was changed: enter the token aml-emulator printed when it started.`;
  }
  return new ControlRequestError(response.status, type, message);
}

/**
 * Calls the emulator's control interface (`/__control/…`, JSON in and out) with the token header on
 * every call — never a cookie (`credentials: 'omit'`).
 */
export class ControlClient {
  readonly #tokens: TokenStore;

  constructor(tokens: TokenStore) {
    this.#tokens = tokens;
  }

  /** Headers for a call with the token; throws {@link noTokenError} when there is none. */
  headers(): Record<string, string> {
    const token = this.#tokens.get();
    if (token === undefined) throw noTokenError();
    return { [TOKEN_HEADER]: token };
  }

  async call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
    const headers = this.headers();
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`/__control${path}`, {
        method,
        headers,
        credentials: 'omit',
        cache: 'no-store',
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch {
      throw new ControlRequestError(0, 'NetworkError', 'The emulator did not answer: is it still running?');
    }
    if (!response.ok) throw await toControlRequestError(response);
    return response.status === 204 ? undefined : ((await response.json()) as unknown);
  }
}
