import { inspect } from 'node:util';

/** The secrets every reliability scenario signs with: the scans below look for them everywhere. */
export const CHAOS_CREDENTIALS = Object.freeze({
  accessKeyId: 'ASIACHAOSTEST0000001',
  secretAccessKey: 'chaosSecretKey/Do+Not+Leak/0123456789abcdef',
  sessionToken: 'chaosSessionToken//DoNotLeak//FwoGZXIvYXdzEJr//zz9',
});

/** A SigV4 signature (64 hex digits), or the `Signature=` part of an Authorization header. */
const SIGNATURE_PATTERNS: readonly RegExp[] = [/\b[0-9a-f]{64}\b/, /Signature=/];

/** What a scan found: which secret, in which text (cut around the hit). */
export interface SecretHit {
  readonly what: string;
  readonly where: string;
  readonly excerpt: string;
}

/** Collects every string a run produces (errors, inspect, JSON, events, logs, CLI output) and scans them. */
export class SecretScanner {
  readonly #texts: { where: string; text: string }[] = [];
  #scanned = 0;
  readonly #secrets: readonly { what: string; value: string }[];

  /**
   * @param extra - more secrets to look for: web identity tokens, container authorization tokens, SSO access
   * tokens, other key pairs.
   */
  constructor(
    credentials: { secretAccessKey: string; sessionToken?: string | undefined } = CHAOS_CREDENTIALS,
    extra: readonly { what: string; value: string }[] = [],
  ) {
    const secrets = [{ what: 'secret access key', value: credentials.secretAccessKey }];
    if (credentials.sessionToken !== undefined)
      secrets.push({ what: 'session token', value: credentials.sessionToken });
    this.#secrets = [...secrets, ...extra];
  }

  /** Number of strings scanned so far. */
  get scanned(): number {
    return this.#scanned;
  }

  /** Adds a value in every form a user could see it: `String()`, `util.inspect` (deep, hidden members) and JSON. */
  addValue(where: string, value: unknown): void {
    this.addText(`${where} inspect`, inspect(value, { depth: 20, showHidden: true, getters: true }));
    try {
      // `JSON.stringify(undefined)` is `undefined`, whatever its type says.
      const json = JSON.stringify(value) as string | undefined;
      if (json !== undefined) this.addText(`${where} JSON`, json);
    } catch (error) {
      this.addText(`${where} JSON error`, String(error));
    }
    if (value instanceof Error) {
      this.addText(`${where} message`, value.message);
      this.addText(`${where} stack`, value.stack ?? '');
      this.addText(`${where} String`, String(value));
    }
  }

  /** Adds raw text (a CLI stream, a log line). */
  addText(where: string, text: string): void {
    this.#texts.push({ where, text });
  }

  /** Scans what was added since the last call; returns every hit (an empty array when clean). */
  flush(): SecretHit[] {
    const hits: SecretHit[] = [];
    for (const { where, text } of this.#texts) {
      this.#scanned++;
      for (const { what, value } of this.#secrets) {
        const at = text.indexOf(value);
        if (at !== -1) hits.push({ what, where, excerpt: text.slice(Math.max(0, at - 40), at + 40) });
      }
      for (const pattern of SIGNATURE_PATTERNS) {
        const match = pattern.exec(text);
        if (match !== null) {
          hits.push({
            what: 'signature',
            where,
            excerpt: text.slice(Math.max(0, match.index - 40), match.index + 80),
          });
        }
      }
    }
    this.#texts.length = 0;
    return hits;
  }
}

/** A pino/console-shaped logger that renders every call into the scanner (and counts lines). */
export function scanningLogger(scanner: SecretScanner, where: string) {
  const state = { lines: 0 };
  const log =
    (level: string) =>
    (bindings: Record<string, unknown>, message?: string): void => {
      state.lines++;
      scanner.addValue(`${where} log.${level}`, { bindings, message });
    };
  const logger = {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (bindings: Record<string, unknown>) => {
      scanner.addValue(`${where} log.child`, bindings);
      return logger;
    },
  };
  return { logger, state };
}
