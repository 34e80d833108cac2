/** One request the emulator answered (control requests are not logged). */
export interface RequestLogEntry {
  /** Wall-clock epoch ms when the answer was sent. */
  readonly time: number;
  /** `x-amzn-RequestId` of the answer. */
  readonly requestId: string;
  /**
   * The operation named by `X-Amz-Target`; `(unknown)` when it was missing or unknown; `''` for requests
   * refused before the target is read (wrong method or path, oversized body). The credential endpoints log
   * `STS.AssumeRole`, `STS.AssumeRoleWithWebIdentity`, `SSO.GetRoleCredentials`, `IMDS.GetToken`,
   * `IMDS.ListRoles`, `IMDS.GetRoleCredentials` and `Container.GetCredentials`.
   */
  readonly operation: string;
  /** The resource id the request named, if any. */
  readonly id: string | undefined;
  /** HTTP status (0 when the connection was reset by a fault). */
  readonly statusCode: number;
  /** Milliseconds from the request's arrival to its answer (or reset), injected delays included. */
  readonly latencyMs: number;
  /** The error type, for error answers. */
  readonly errorType: string | undefined;
  /** The access key id that signed the request, once verified. */
  readonly accessKeyId: string | undefined;
  /** Kinds of the fault rules applied. */
  readonly faults: readonly string[];
  /** The request's `User-Agent` header (at most 512 characters), if it sent one. */
  readonly userAgent: string | undefined;
}

/** Request counts since start (or the last reset). */
export interface EmulatorCounters {
  readonly requests: number;
  readonly byOperation: Readonly<Record<string, number>>;
  readonly byStatus: Readonly<Record<string, number>>;
  readonly byErrorType: Readonly<Record<string, number>>;
  /** Fault rules applied. */
  readonly faults: number;
}

/** The request log (a ring of the last `capacity` entries) and the counters. */
export class RequestLog {
  readonly #capacity: number;
  #entries: RequestLogEntry[] = [];
  #start = 0;
  #generation = 0;
  #requests = 0;
  #faults = 0;
  #byOperation = new Map<string, number>();
  #byStatus = new Map<number, number>();
  #byErrorType = new Map<string, number>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Records one answered request. */
  add(entry: RequestLogEntry): void {
    this.#requests++;
    this.#faults += entry.faults.length;
    this.#byOperation.set(entry.operation, (this.#byOperation.get(entry.operation) ?? 0) + 1);
    this.#byStatus.set(entry.statusCode, (this.#byStatus.get(entry.statusCode) ?? 0) + 1);
    if (entry.errorType !== undefined) {
      this.#byErrorType.set(entry.errorType, (this.#byErrorType.get(entry.errorType) ?? 0) + 1);
    }
    if (this.#capacity === 0) return;
    if (this.#entries.length < this.#capacity) this.#entries.push(entry);
    else {
      this.#entries[this.#start] = entry;
      this.#start = (this.#start + 1) % this.#capacity;
    }
  }

  /** The retained entries, oldest first. */
  entries(): RequestLogEntry[] {
    return [...this.#entries.slice(this.#start), ...this.#entries.slice(0, this.#start)];
  }

  /** The last `count` retained entries, oldest first. */
  tail(count: number): RequestLogEntry[] {
    const n = Math.min(Math.max(0, count), this.#entries.length);
    const out: RequestLogEntry[] = [];
    for (let i = this.#entries.length - n; i < this.#entries.length; i++) {
      out.push(this.#entries[(this.#start + i) % this.#entries.length] as RequestLogEntry);
    }
    return out;
  }

  /** Requests recorded since start or the last {@link RequestLog.clear} (retained or not). */
  get total(): number {
    return this.#requests;
  }

  /** How many times the log was cleared: readers of {@link RequestLog.tail} notice a reset by it. */
  get generation(): number {
    return this.#generation;
  }

  /** A snapshot of the counters. */
  counters(): EmulatorCounters {
    return {
      requests: this.#requests,
      byOperation: Object.fromEntries(this.#byOperation),
      byStatus: Object.fromEntries([...this.#byStatus].map(([k, v]) => [String(k), v])),
      byErrorType: Object.fromEntries(this.#byErrorType),
      faults: this.#faults,
    };
  }

  /** Forgets everything. */
  clear(): void {
    this.#generation++;
    this.#entries = [];
    this.#start = 0;
    this.#requests = 0;
    this.#faults = 0;
    this.#byOperation = new Map();
    this.#byStatus = new Map();
    this.#byErrorType = new Map();
  }
}
