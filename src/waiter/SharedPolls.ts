/*
 * About 400 lines: the registry of one client's watched ids and the one read path that serves
 * them from a request in flight, a recent state or a list pass. The list passes themselves are
 * ListPoller's.
 */
import { SharedRequestTrace } from '../client/SharedRequestTrace.js';
import type { Clock } from '../model/Clock.js';
import type { Logger } from '../model/Logger.js';
import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';
import { resourceKinds } from '../model/ResourceKind.js';
import { throwIfAborted } from '../client/untilAborted.js';
import { clientMaxAttempts } from './clientMaxAttempts.js';
import { getResource } from './getResource.js';
import { ListPoller } from './ListPoller.js';
import { Trickle } from './Trickle.js';
import type { ResourceRead, ResourceReader } from './ResourceReader.js';
import { sameResourceState } from './sameResourceState.js';
import type { AmazonMLClientLike, PollingMode } from './WaitOptions.js';

/** Waits of one kind on one client from which `polling: 'auto'` switches to list polling. */
export const LIST_POLLING_THRESHOLD = 50;

interface Known {
  readonly resource: unknown;
  /** `clock.now()` when the resource was last known to be current (moved forward in place). */
  at: number;
}

interface Inflight {
  /** The answer, as every joiner reads it. */
  readonly read: Promise<ResourceRead<ResourceKind>>;
  /**
   * The signal of the read that sent the request, whose abort cancels it (`undefined`: nothing can). A
   * read with another signal (or none) that joins it sends a `Get…` of its own if that happens.
   */
  readonly signal: AbortSignal | undefined;
  /** The request's spans, when traced: the waits that join it link to them. */
  readonly trace: SharedRequestTrace | undefined;
}

interface Entry {
  /** `kind:id`, its key in the registry. */
  readonly key: string;
  readonly kind: ResourceKind;
  readonly id: string;
  refs: number;
  known: Known | undefined;
  /**
   * `true` while the known state is one a list pass has shown: only then may later passes, which list
   * what changed, vouch for it as unchanged. A state only `Get…` has seen is read with `Get…` again.
   */
  listed: boolean;
  inflight: Inflight | undefined;
  /** `clock.now()` of the last `Get…` answer for this id (or of the first registration). */
  directAt: number;
  /** What wakes the waits on this id when a list pass shows its status changed (with what it showed). */
  wakers: ((listed: unknown) => void)[] | undefined;
}

/** The clock, delays and logger of the wait that registers (a list poller it starts uses them). */
interface ListTiming {
  readonly clock: Clock;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly logger: Logger;
}

/** Reads that list passes did not vouch for send their `Get…` at most this many per event-loop turn. */
const PASSED_OVER_GETS_PER_TURN = 64;

/** A state only list passes have vouched for is re-read with `Get…` after this many `maxDelayMs`. */
const LIST_TRUST_DELAYS = 10;

const registry = new WeakMap<object, SharedPolls>();

/** A resource's `LastUpdatedAt` in epoch milliseconds; `NaN` when it has none. */
function updatedAt(resource: unknown): number {
  const value = (resource as { LastUpdatedAt?: unknown }).LastUpdatedAt;
  return value instanceof Date ? value.getTime() : Number.NaN;
}

/**
 * @internal What concurrent waits on one client share, so that N waits cost about as much as one (each
 * wait reads through its {@link SharedPolls.reader}):
 *
 * - per resource, the last known state and the request in flight: a wait whose poll falls due joins the
 *   request already in flight, or reuses a state younger than it asks for (`maxAgeMs`), instead of
 *   sending its own (so N waits on one id send about one request per delay interval). A request sent
 *   for a read with a signal is cancelled when that signal aborts: the joiners with the same signal
 *   (`waitForAll`'s, an application's) end with it, the others send a `Get…` of their own then.
 * - per kind, a {@link ListPoller} when many resources of that kind are watched: one paginated
 *   `Describe…` per interval keeps every watched id current, so requests grow with the number of
 *   changes, not with the number of waits.
 */
export class SharedPolls {
  readonly #client: AmazonMLClientLike;
  readonly #entries = new Map<string, Entry>();
  readonly #listPollers = new Map<ResourceKind, ListPoller>();
  /** Registered waits per kind: `auto` ones count towards the threshold, `list` ones force list polling. */
  readonly #counts = new Map<ResourceKind, { auto: number; list: number }>();
  readonly #passedOver = new Trickle(PASSED_OVER_GETS_PER_TURN);

  private constructor(client: AmazonMLClientLike) {
    this.#client = client;
  }

  /** The shared state of `client` (one per client object). */
  static of(client: AmazonMLClientLike): SharedPolls {
    let shared = registry.get(client);
    if (shared === undefined) {
      shared = new SharedPolls(client);
      registry.set(client, shared);
    }
    return shared;
  }

  /** Number of resources with at least one registered wait (for tests and diagnostics). */
  get size(): number {
    return this.#entries.size;
  }

  /** `true` while a list poller runs for `kind`. */
  isListPolling(kind: ResourceKind): boolean {
    return this.#listPollers.has(kind);
  }

  /**
   * The reader of one wait on `kind`/`id` through this client: it shares the wait's reads with the other
   * waits on the same id, and with the list poller of the kind. `close()` unregisters the wait.
   */
  reader<K extends ResourceKind>(
    kind: K,
    id: string,
    mode: PollingMode,
    timing: ListTiming,
  ): ResourceReader<K> {
    const key = `${kind}:${id}`;
    let entry = this.#entries.get(key);
    if (entry === undefined) {
      entry = {
        key,
        kind,
        id,
        refs: 0,
        known: undefined,
        listed: false,
        inflight: undefined,
        directAt: timing.clock.now(),
        wakers: undefined,
      };
      this.#entries.set(key, entry);
    }
    entry.refs++;
    this.#count(kind, mode, 1);
    this.#adjustListPolling(kind, timing);
    return new SharedReader<K>(this, entry, mode, timing);
  }

  /** The client's configured attempts per request, once known (a client-like object may have none). */
  maxAttempts(): number | undefined {
    return clientMaxAttempts(this.#client);
  }

  /** A wait on `entry` has ended (its reader closed): the entry goes with its last wait. @internal */
  unregister(entry: Entry, mode: PollingMode, timing: ListTiming): void {
    this.#count(entry.kind, mode, -1);
    if (--entry.refs === 0) this.#entries.delete(entry.key);
    this.#adjustListPolling(entry.kind, timing);
  }

  /** Counts a registered (`delta` 1) or ended (−1) wait of `kind`: `auto` ones count towards the threshold. */
  #count(kind: ResourceKind, mode: PollingMode, delta: number): void {
    let counts = this.#counts.get(kind);
    if (counts === undefined) {
      counts = { auto: 0, list: 0 };
      this.#counts.set(kind, counts);
    }
    if (mode === 'auto') counts.auto += delta;
    if (mode === 'list') counts.list += delta;
  }

  #adjustListPolling(kind: ResourceKind, timing: ListTiming): void {
    const counts = this.#counts.get(kind) ?? { auto: 0, list: 0 };
    const running = this.#listPollers.get(kind);
    // Hysteresis: start at the threshold, stop below half of it, so the mode doesn't flap.
    const wanted =
      counts.list > 0 ||
      counts.auto >= LIST_POLLING_THRESHOLD ||
      (running !== undefined && counts.auto >= LIST_POLLING_THRESHOLD / 2);
    if (wanted && running === undefined) {
      // Waits accept a state up to half their delay old: list at least that often. After a denial, try
      // the list again only after as many maxDelayMs as list passes may vouch for a state.
      const poller = new ListPoller(this.#client, kind, timing.clock, this, {
        intervalMs: timing.minDelayMs / 2,
        pauseMs: LIST_TRUST_DELAYS * timing.maxDelayMs,
        logger: timing.logger,
      });
      this.#listPollers.set(kind, poller);
      poller.start();
    } else if (!wanted && running !== undefined) {
      running.stop();
      this.#listPollers.delete(kind);
    }
  }

  /**
   * Records what a list pass saw for a watched id, in a page requested at `at`, and wakes the waits on it
   * when its status changed. A `FAILED` resource is not recorded, so that the wait reads it with `Get…`,
   * whose output also has the `LogUri` the error message names. @internal (used by the list poller)
   */
  recordListed(kind: ResourceKind, id: string, resource: unknown, at: number): void {
    const entry = this.#entries.get(`${kind}:${id}`);
    if (entry === undefined) return;
    const status = (resource as { Status?: unknown }).Status;
    const changed = status !== (entry.known?.resource as { Status?: unknown } | undefined)?.Status;
    // Woken, a sleeping wait polls now: it reads the state just recorded (or, FAILED, sends its Get).
    if (this.#record(entry, resource, at) && changed && entry.wakers !== undefined) {
      for (const wake of [...entry.wakers]) wake(resource);
    }
  }

  /** Records a listed state; `false` when the page was older than what is known (nothing recorded). */
  #record(entry: Entry, resource: unknown, at: number): boolean {
    if ((resource as { Status?: unknown }).Status === 'FAILED') {
      entry.known = undefined;
      entry.listed = false;
      return true;
    }
    const known = entry.known;
    // A page older than what a Get has already seen (a lagging index) shows nothing new, and can't vouch
    // for the newer state: the id is read with Get until the list catches up.
    if (known !== undefined && updatedAt(known.resource) > updatedAt(resource)) {
      entry.listed = false;
      return false;
    }
    entry.listed = true;
    if (known === undefined) {
      entry.known = { resource, at };
      return true;
    }
    // Listed again unchanged (most pages re-list what an earlier pass saw): the object held stays, and
    // the one just parsed dies young.
    if (sameResourceState(known.resource, resource)) {
      known.at = Math.max(known.at, at);
      return true;
    }
    // A newer state, even from a page requested before a Get answered with an older one.
    if (known.at <= at || updatedAt(resource) > updatedAt(known.resource)) {
      entry.known = { resource, at: Math.max(known.at, at) };
      return true;
    }
    // A different state from a page older than the Get, and nothing to tell which is newer: the Get's
    // answer stays, and nobody is woken for what the page showed.
    return false;
  }

  /**
   * After a complete list pass that started at `at`: every watched id of `kind` whose known state a list
   * pass has shown, and that this pass did not report, is unchanged as of `at`. Ids the list has never
   * shown (or shown only in an older state) are left to `Get…`. @internal (used by the list poller)
   */
  confirmUnchanged(kind: ResourceKind, at: number): void {
    const prefix = `${kind}:`;
    for (const [key, entry] of this.#entries) {
      if (entry.listed && entry.known !== undefined && entry.known.at < at && key.startsWith(prefix)) {
        entry.known.at = at;
      }
    }
  }

  /**
   * Reads one registered id that has no state young enough to hand out (the reader's `peek` hands those out
   * itself): the list pass in flight (when list polling), else the request in flight, else a new `Get…`.
   * `listTrustMs` is how long list passes alone may vouch for this id: past it, the next read is a `Get…`
   * (a safety net against a pass that missed a change, paging over a list that shifts while it is read).
   */
  /** @internal (a {@link SharedReader}'s read when it holds no state young enough) */
  readEntry(
    reader: SharedReader<ResourceKind>,
    entry: Entry,
    maxAgeMs: number,
    signal: AbortSignal | undefined,
    clock: Clock,
    listTrustMs: number,
  ): Promise<ResourceRead<ResourceKind>> {
    const poller = this.#listPollers.get(entry.kind);
    // With list polling, wait for the pass in flight rather than send a Get: for a listed state that went
    // stale, and — until the first pass is done — for an id not seen yet (a new wait). Not while the list
    // is paused after a denial.
    if (
      poller?.active === true &&
      (entry.listed || !poller.synced) &&
      clock.now() - entry.directAt <= listTrustMs
    )
      return this.#readFromPasses(reader, entry, poller, maxAgeMs, signal, clock);
    return this.#readWithGet(entry, signal, clock);
  }

  /**
   * Waits for the list pass in flight to vouch for `entry` (its own frame, small: every new wait of a
   * list-polling client waits here for the first pass, thousands at once). The pass in flight may have
   * started before this state was recorded; then the next one (which starts after this read began) is the
   * one that can vouch for it. Two passes at most, then a Get.
   */
  async #readFromPasses(
    reader: SharedReader<ResourceKind>,
    entry: Entry,
    poller: ListPoller,
    maxAgeMs: number,
    signal: AbortSignal | undefined,
    clock: Clock,
  ): Promise<ResourceRead<ResourceKind>> {
    const oldest = clock.now() - maxAgeMs;
    for (let pass = 0; pass < 2; pass++) {
      const before = entry.known?.at;
      // The pass may start now: join its trace once it has one.
      const next = poller.nextPass();
      SharedRequestTrace.join(poller.passTrace);
      // Not raced with the signal: an aborted wait has stopped looking (it closed its reader), and a pass
      // ends within one list interval.
      await next;
      // Accept what that pass recorded or confirmed, or a state no older than this read allows: it is as
      // current as this poll can get without a Get.
      const after = entry.known;
      if (after === undefined) break;
      if (before === undefined || after.at > before || after.at >= oldest)
        return { resource: after.resource as ResourceByKind[ResourceKind], requested: false };
    }
    // When a pass vouches for none of the reads that waited on it (the first pass after thousands of waits
    // started, with the list denied or showing none of them), they all end here at once: they send their
    // Get… a slice per event-loop turn, not in one burst that builds (and keeps, queued) every request.
    await this.#passedOver.pass();
    // The wait may have ended meanwhile (its reader closed, or its signal aborted): no Get for it.
    throwIfAborted(signal);
    if (!reader.open) throw new Error(`The wait on ${entry.kind} ${entry.id} has ended.`);
    return this.#readWithGet(entry, signal, clock);
  }

  /**
   * Joins the `Get…` in flight for `entry`, or sends one that later reads of the id may join. A read with
   * the request's signal (or a read of a request that has none) takes the request's own promise: a reader
   * keeps nothing of it (no frame, no listener, no controller) and a wait that ends just stops listening.
   */
  #readWithGet(
    entry: Entry,
    signal: AbortSignal | undefined,
    clock: Clock,
  ): Promise<ResourceRead<ResourceKind>> {
    // Nothing is joined (or sent: see getResource) for a read that is over already.
    if (signal?.aborted === true) return Promise.reject(signal.reason as Error);
    const inflight = entry.inflight;
    const sentWith = inflight?.signal;
    // A request whose signal has aborted is being cancelled (its rejection has not settled yet): not joined.
    if (inflight === undefined || sentWith?.aborted === true) return this.#sendGet(entry, signal, clock).read;
    SharedRequestTrace.join(inflight.trace);
    if (sentWith === undefined || sentWith === signal) return inflight.read;
    // Sent for a wait with another signal: if that one aborts (its wait was cancelled), this read is not
    // over — it sends a Get of its own (or joins the next one).
    return inflight.read.catch((error: unknown) => {
      if (!sentWith.aborted || signal?.aborted === true) throw error;
      return this.#readWithGet(entry, signal, clock);
    });
  }

  /**
   * Sends the `Get…` of `entry` for a read with `signal` (cancelled when it aborts: see {@link getResource}),
   * as the request later reads of the id join.
   */
  #sendGet(entry: Entry, signal: AbortSignal | undefined, clock: Clock): Inflight {
    const { kind, id } = entry;
    const client = this.#client;
    // Traced: the request is the child of this wait's span; the waits that join it add links.
    const trace = SharedRequestTrace.begin();
    const sent =
      trace === undefined
        ? getResource(client, kind, id, signal)
        : trace.start(() => getResource(client, kind, id, signal));
    const read: Promise<ResourceRead<ResourceKind>> = sent.then(
      (answer): ResourceRead<ResourceKind> => {
        if (entry.inflight?.read === read) entry.inflight = undefined;
        // A list pass may have recorded a newer state while this Get was out (its page read after the
        // service answered the Get): keep the newer one, and hand it to the joiners, so that no wait
        // sees the status go back.
        // Without a LastUpdatedAt on the answer there is nothing to compare: the Get is trusted.
        const known = entry.known?.resource;
        const answeredAt = updatedAt(answer);
        const listedIsNewer =
          known !== undefined && Number.isFinite(answeredAt) && updatedAt(known) > answeredAt;
        // An unchanged state keeps the object already held (see sameResourceState).
        const resource = listedIsNewer || sameResourceState(known, answer) ? known : answer;
        // The list still vouches for this id only if the answer is no newer than what it showed.
        entry.listed &&= known !== undefined && updatedAt(known) >= answeredAt;
        entry.known = { resource, at: clock.now() };
        entry.directAt = entry.known.at;
        // One read for every joiner (they only look at it).
        return { resource: resource as ResourceByKind[ResourceKind], requested: true };
      },
      (error: unknown) => {
        if (entry.inflight?.read === read) entry.inflight = undefined;
        throw error;
      },
    );
    const inflight: Inflight = { read, signal, trace };
    entry.inflight = inflight;
    return inflight;
  }

  /** A readable name for logs. */
  toString(): string {
    const kinds = [...this.#listPollers.keys()].map((kind) => resourceKinds[kind].noun);
    return `SharedPolls(${this.#entries.size} resources${kinds.length > 0 ? `, list polling ${kinds.join(', ')}` : ''})`;
  }
}

/**
 * One wait's reader through a shared client ({@link SharedPolls.reader}): an object of its own, not a set of
 * closures, since thousands of waits each keep one.
 */
class SharedReader<K extends ResourceKind> implements ResourceReader<K> {
  readonly #polls: SharedPolls;
  readonly #entry: Entry;
  readonly #mode: PollingMode;
  readonly #timing: ListTiming;
  /** How long list passes alone may vouch for this id's state. */
  readonly #listTrustMs: number;
  #open = true;
  #waker: ((listed: unknown) => void) | undefined;

  constructor(polls: SharedPolls, entry: Entry, mode: PollingMode, timing: ListTiming) {
    this.#polls = polls;
    this.#entry = entry;
    this.#mode = mode;
    this.#timing = timing;
    this.#listTrustMs = LIST_TRUST_DELAYS * timing.maxDelayMs;
  }

  /**
   * A state young enough (most reads under list polling), unless only list passes have vouched for it for
   * longer than they may: handed out as it is, without a request or a promise.
   */
  peek(maxAgeMs: number): ResourceByKind[K] | undefined {
    const entry = this.#entry;
    const known = entry.known;
    const now = this.#timing.clock.now();
    return known !== undefined && now - known.at <= maxAgeMs && now - entry.directAt <= this.#listTrustMs
      ? (known.resource as ResourceByKind[K])
      : undefined;
  }

  read(maxAgeMs: number, signal: AbortSignal | undefined): Promise<ResourceRead<K>> {
    const fresh = this.peek(maxAgeMs);
    if (fresh !== undefined) return Promise.resolve({ resource: fresh, requested: false });
    return this.#polls.readEntry(
      this,
      this.#entry,
      maxAgeMs,
      signal,
      this.#timing.clock,
      this.#listTrustMs,
    ) as Promise<ResourceRead<K>>;
  }

  onChange(listener: (listed: unknown) => void): void {
    if (!this.#open || this.#waker !== undefined) return;
    this.#waker = listener;
    (this.#entry.wakers ??= []).push(listener);
  }

  /** `false` once the wait has ended. @internal */
  get open(): boolean {
    return this.#open;
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    const wakers = this.#entry.wakers;
    if (this.#waker !== undefined && wakers !== undefined) {
      const at = wakers.indexOf(this.#waker);
      if (at !== -1) wakers.splice(at, 1);
    }
    this.#polls.unregister(this.#entry, this.#mode, this.#timing);
  }

  maxAttempts(): number | undefined {
    return this.#polls.maxAttempts();
  }
}
