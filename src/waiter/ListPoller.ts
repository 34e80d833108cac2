import { SharedRequestTrace } from '../client/SharedRequestTrace.js';
import { isAmazonMLError } from '../client/AmazonMLError.js';
import type { Clock } from '../model/Clock.js';
import type { Logger } from '../model/Logger.js';
import type { DescribeInput } from '../model/Describe.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import { resourceKinds } from '../model/ResourceKind.js';
import type { SharedPolls } from './SharedPolls.js';
import type { AmazonMLClientLike } from './WaitOptions.js';

/** Shortest pause between two list passes. */
const MIN_LIST_INTERVAL_MS = 50;
/** How far (seconds) each incremental pass reaches back before the newest `LastUpdatedAt` seen. */
const WATERMARK_OVERLAP_S = 2;
/** How far back (seconds) the first pass looks for jobs: the 7-day job runtime limit plus a day of queueing. */
const SYNC_LOOKBACK_S = 8 * 24 * 3600;
/** Page size of every `Describe…` call (the service's maximum). */
const PAGE_LIMIT = 100;

interface Describing {
  describe<K extends ResourceKind>(
    kind: K,
    input?: DescribeInput<K>,
    options?: { signal?: AbortSignal | undefined },
  ): Promise<{ Results: unknown[]; NextToken?: string | undefined }>;
}

function canDescribe(client: AmazonMLClientLike): client is AmazonMLClientLike & Describing {
  return typeof (client as Partial<Describing>).describe === 'function';
}

/**
 * @internal Keeps every watched resource of one kind current with `Describe…` calls instead of one `Get…`
 * per wait. It starts with a pass over the jobs created in the last 8 days (`FilterVariable: CreatedAt`,
 * ascending), then every `intervalMs` (half the `minDelayMs` of the waits) lists what changed since the newest `LastUpdatedAt`
 * it has seen (`FilterVariable: LastUpdatedAt`, `GT`, ascending, 100 per page, every page). After each
 * complete pass every watched id it knows is confirmed current, so waits read it without a request; ids
 * it has not seen (created long ago and finished, or not visible yet) are read with `Get…`.
 */
export class ListPoller {
  readonly #client: AmazonMLClientLike;
  readonly #kind: ResourceKind;
  readonly #clock: Clock;
  readonly #shared: SharedPolls;
  readonly #intervalMs: number;
  readonly #pauseMs: number;
  readonly #logger: Logger;
  /** Set after a non-retryable failure (a denied list): no pass vouches for anything until one succeeds. */
  #paused = false;
  readonly #controller = new AbortController();
  /** Newest `LastUpdatedAt` (epoch seconds) seen by the previous pass, and by the one before it. */
  #newest: number | undefined;
  #previousNewest: number | undefined;
  #timer: unknown;
  #pass: Promise<void> | undefined;
  /** The spans of the pass in flight, when traced (waits that read through it link to them). */
  #passTrace: SharedRequestTrace | undefined;
  #synced = false;

  constructor(
    client: AmazonMLClientLike,
    kind: ResourceKind,
    clock: Clock,
    shared: SharedPolls,
    timing: { readonly intervalMs: number; readonly pauseMs: number; readonly logger: Logger },
  ) {
    this.#client = client;
    this.#intervalMs = Math.max(MIN_LIST_INTERVAL_MS, timing.intervalMs);
    this.#pauseMs = Math.max(this.#intervalMs, timing.pauseMs);
    this.#logger = timing.logger;
    this.#kind = kind;
    this.#clock = clock;
    this.#shared = shared;
  }

  start(): void {
    if (!canDescribe(this.#client)) return;
    void this.#runPass(true);
  }

  stop(): void {
    this.#controller.abort();
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** The trace of the pass in flight, if it is traced. */
  get passTrace(): SharedRequestTrace | undefined {
    return this.#passTrace;
  }

  /** `false` while paused after a denied list: waits read with `Get…` and never wait for a pass. */
  get active(): boolean {
    return !this.#paused && canDescribe(this.#client);
  }

  /** `true` once a first complete pass (over the running jobs) has succeeded. */
  get synced(): boolean {
    return this.#synced;
  }

  /** Settles when the pass in flight (or the next one) has completed; never rejects. */
  nextPass(): Promise<void> {
    if (this.#pass !== undefined) return this.#pass;
    if (this.#controller.signal.aborted || !canDescribe(this.#client)) return Promise.resolve();
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
    return this.#runPass(false);
  }

  /** Runs a pass (unless one is in flight): traced under the wait that asked for it, else (`timed`) as a root. */
  #runPass(timed: boolean): Promise<void> {
    if (this.#pass !== undefined) return this.#pass;
    const trace = timed
      ? SharedRequestTrace.begin(true)
      : (SharedRequestTrace.begin() ?? SharedRequestTrace.begin(true));
    this.#passTrace = trace;
    const pass = (trace === undefined ? this.#listOnce() : trace.run(() => this.#listOnce())).finally(() => {
      this.#pass = undefined;
      this.#passTrace = undefined;
      if (!this.#controller.signal.aborted) {
        this.#timer = this.#clock.setTimeout(
          () => {
            this.#timer = undefined;
            void this.#runPass(true);
          },
          this.#paused ? this.#pauseMs : this.#intervalMs,
        );
      }
    });
    this.#pass = pass;
    return pass;
  }

  async #listOnce(): Promise<void> {
    const client = this.#client;
    if (!canDescribe(client)) return;
    const startedAt = this.#clock.now();
    const signal = this.#controller.signal;
    // The window reaches back to what the pass before the previous one saw (minus an overlap), so an item
    // that paging skipped while the list shifted under it gets a second chance in the next pass.
    const since = this.#previousNewest ?? this.#newest ?? this.#clock.wallNow() / 1000;
    const inputs: DescribeInput[] = this.#synced
      ? [
          {
            FilterVariable: 'LastUpdatedAt',
            GT: String(since - WATERMARK_OVERLAP_S),
            SortOrder: 'asc',
            Limit: PAGE_LIMIT,
          },
        ]
      : [
          // Ordered by CreatedAt, which never changes, so the pages can't shift under the pass (a Status
          // filter would: jobs leave it while it is read, and paging then skips others).
          {
            FilterVariable: 'CreatedAt',
            GT: String(Math.floor(this.#clock.wallNow() / 1000) - SYNC_LOOKBACK_S),
            SortOrder: 'asc',
            Limit: PAGE_LIMIT,
          },
        ];
    const idMember = resourceKinds[this.#kind].idMember;
    let newest = this.#newest;
    try {
      for (const input of inputs) {
        let token: string | undefined;
        do {
          // A page shows the state as of its request, at the latest (what a woken wait reads).
          const pageAt = this.#clock.now();
          const pageInput = token === undefined ? input : { ...input, NextToken: token };
          const request = () => client.describe(this.#kind, pageInput, { signal });
          // Traced: each page's request span is a child of the pass's trace, with its links.
          const trace = this.#passTrace;
          const page = await (trace === undefined ? request() : trace.start(request));
          for (const resource of page.Results) {
            const record = resource as Record<string, unknown>;
            const updated = record.LastUpdatedAt;
            if (updated instanceof Date && (newest === undefined || updated.getTime() / 1000 > newest)) {
              newest = updated.getTime() / 1000;
            }
            const id = record[idMember];
            // Ids nobody waits on are ignored there (a wait may register while the pass runs).
            if (typeof id === 'string') this.#shared.recordListed(this.#kind, id, resource, pageAt);
          }
          token = page.NextToken === token ? undefined : page.NextToken;
        } while (token !== undefined);
      }
      this.#synced = true;
      this.#previousNewest = this.#newest;
      this.#newest = newest;
      this.#shared.confirmUnchanged(this.#kind, startedAt);
      if (this.#paused) {
        this.#paused = false;
        this.#logger.info(
          { kind: this.#kind },
          `${resourceKinds[this.#kind].describeOperation} answers again; list polling resumes`,
        );
      }
    } catch (error) {
      // A failed pass confirms nothing: waits fall back to their own Get… reads until a pass succeeds.
      if (signal.aborted || (isAmazonMLError(error) && error.retryable)) return;
      // Denied (or failing for good): stop listing, so that waits don't pay a failed list call on top of
      // their Gets, and try again after a long pause, as a policy may be fixed.
      if (!this.#paused) {
        this.#logger.warn(
          {
            kind: this.#kind,
            err: error instanceof Error ? error.name : String(error),
            retryInMs: this.#pauseMs,
          },
          `${resourceKinds[this.#kind].describeOperation} failed for good; polling with Get… and trying the list again later`,
        );
      }
      this.#paused = true;
    }
  }
}
