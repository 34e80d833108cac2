import type { EmulatorCredential } from './EmulatorCredential.js';

/** A credential as stored: the expiry as epoch milliseconds, for a cheap check per request. */
export interface StoredCredential {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string | undefined;
  readonly expiresAtMs: number | undefined;
  readonly userArn: string;
}

/**
 * The keys the emulator accepts, by access key id. Validates each entry when added; never exposes the
 * secrets through `util.inspect` or JSON.
 */
export class CredentialStore {
  readonly #byKey = new Map<string, StoredCredential>();
  readonly #defaultUserArn: string;

  constructor(credentials: readonly EmulatorCredential[], defaultUserArn: string) {
    this.#defaultUserArn = defaultUserArn;
    credentials.forEach((credential, index) => {
      this.add(credential, `credentials[${index}]`);
    });
  }

  /** Adds (or replaces) a key pair. Throws a TypeError naming the field when an entry is malformed. */
  add(credential: EmulatorCredential, field = 'credential'): void {
    if (typeof credential !== 'object' || (credential as unknown) === null) {
      throw new TypeError(`Expected \`${field}\` to be an object, got ${JSON.stringify(credential)}`);
    }
    const { accessKeyId, secretAccessKey, sessionToken, expiresAt, userArn } = credential;
    if (typeof accessKeyId !== 'string' || !/^[A-Za-z0-9]{1,128}$/.test(accessKeyId)) {
      throw new TypeError(
        `Expected \`${field}.accessKeyId\` to be 1-128 letters or digits, got ${JSON.stringify(accessKeyId)}`,
      );
    }
    if (typeof secretAccessKey !== 'string' || secretAccessKey.length === 0) {
      // The value is a secret: never echo it.
      throw new TypeError(`Expected \`${field}.secretAccessKey\` to be a non-empty string`);
    }
    if (sessionToken !== undefined && (typeof sessionToken !== 'string' || sessionToken.length === 0)) {
      throw new TypeError(`Expected \`${field}.sessionToken\` to be a non-empty string or undefined`);
    }
    if (expiresAt !== undefined && !(expiresAt instanceof Date && Number.isFinite(expiresAt.getTime()))) {
      throw new TypeError(`Expected \`${field}.expiresAt\` to be a valid Date, got ${String(expiresAt)}`);
    }
    if (
      userArn !== undefined &&
      (typeof userArn !== 'string' || !/^arn:aws:iam::[0-9]+:((user\/.+)|(root))$/.test(userArn))
    ) {
      throw new TypeError(
        `Expected \`${field}.userArn\` to match arn:aws:iam::<account>:user/<name> or :root, got ${JSON.stringify(userArn)}`,
      );
    }
    this.#byKey.set(accessKeyId, {
      accessKeyId,
      secretAccessKey,
      sessionToken,
      expiresAtMs: expiresAt?.getTime(),
      userArn: userArn ?? this.#defaultUserArn,
    });
  }

  /** The credential for an access key id, if known. */
  get(accessKeyId: string): StoredCredential | undefined {
    return this.#byKey.get(accessKeyId);
  }

  /** Number of known keys. */
  get size(): number {
    return this.#byKey.size;
  }

  /** Access key ids only (no secrets). */
  toJSON(): { accessKeyIds: string[] } {
    return { accessKeyIds: [...this.#byKey.keys()] };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `CredentialStore { accessKeyIds: ${JSON.stringify([...this.#byKey.keys()])} }`;
  }
}
