import type { ServerResponse } from 'node:http';
import { RESOURCE_KINDS } from '../../model/ResourceKind.js';
import type { FaultRuleState } from '../FaultRule.js';
import type { Phase } from '../LifecycleScript.js';
import type { RequestLog, RequestLogEntry } from '../RequestLog.js';
import type { ResourceStore } from '../ResourceStore.js';
import type { StoredResource } from '../StoredResource.js';
import type {
  ConsoleClock,
  ConsolePhase,
  ConsoleResource,
  ConsoleSnapshot,
  ConsoleUpdate,
} from './ConsoleEvent.js';
import { SNAPSHOT_REQUESTS } from './ConsoleEvent.js';

/** What the feed reads. */
interface ChangeSource {
  readonly store: ResourceStore;
  readonly log: RequestLog;
  readonly faults: () => FaultRuleState[];
  /** `true` when the lifecycle clock is not the system clock. */
  readonly virtualClock: boolean;
}

/** What the feed last sent about one resource. */
interface Seen {
  readonly record: StoredResource;
  readonly timeline: readonly Phase[];
  readonly deletedAt: number | undefined;
  /** Phases of earlier lifecycles (before a script replaced it), as the feed saw them. */
  readonly past: readonly ConsolePhase[];
  readonly state: ConsoleResource;
}

/** How often the feed looks for changes while a page is connected (real time). */
const DEFAULT_INTERVAL_MS = 200;
/** A comment line keeps idle connections (and proxies) from timing out. */
const KEEP_ALIVE_MS = 15_000;
/** A page that reads slower than this much buffered output is dropped (it reconnects and gets a snapshot). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

function key(kind: string, id: string): string {
  return `${kind}\u0000${id}`;
}

function toConsolePhase(phase: Phase): ConsolePhase {
  const out: ConsolePhase = {
    status: phase.status,
    fromClock: phase.from,
    untilClock: Number.isFinite(phase.until) ? phase.until : null,
  };
  return phase.message === undefined ? out : { ...out, message: phase.message };
}

/** The phases of a lifecycle; a Delete call at `deletedAt` cuts it there and adds DELETED. */
function phasesOf(timeline: readonly Phase[], deletedAt: number | undefined): ConsolePhase[] {
  const phases = timeline.map(toConsolePhase);
  return deletedAt === undefined
    ? phases
    : [...cut(phases, deletedAt), { status: 'DELETED', fromClock: deletedAt, untilClock: null }];
}

/** The part of `phases` before `at`. */
function cut(phases: readonly ConsolePhase[], at: number): ConsolePhase[] {
  return phases
    .filter((p) => p.fromClock < at)
    .map((p) => (p.untilClock === null || p.untilClock > at ? { ...p, untilClock: at } : p));
}

/**
 * The console's change stream. The emulator's lifecycles are lazy (a status is computed from the clock
 * when read; no timer is armed on the clock), so while at least one page is connected the feed looks
 * every 200 ms of real time at the resources, the request log and the fault rules, and sends each page
 * what changed as one Server-Sent Event (`update`), after a `snapshot` on connect and after a reset.
 * With no page connected it does nothing.
 */
export class ChangeFeed {
  readonly #source: ChangeSource;
  readonly #intervalMs: number;
  readonly #clients = new Map<ServerResponse, { lastWrite: number }>();
  #seen = new Map<string, Seen>();
  #logTotal = 0;
  #logGeneration = -1;
  #faultsJson = '';
  #lastNow = Number.NaN;
  #timer: ReturnType<typeof setInterval> | undefined;

  constructor(source: ChangeSource, intervalMs = DEFAULT_INTERVAL_MS) {
    this.#source = source;
    this.#intervalMs = intervalMs;
  }

  /** Pages connected now. */
  get clients(): number {
    return this.#clients.size;
  }

  /** Starts streaming to `res` (the request was checked already): headers, a snapshot, then updates. */
  attach(res: ServerResponse, headers: Readonly<Record<string, string>>): void {
    // Bring the pages already connected up to date first, so the snapshot and later updates agree.
    if (this.#clients.size > 0) this.#tick();
    else this.#rebase();
    res.writeHead(200, {
      ...headers,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      'X-Accel-Buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    this.#clients.set(res, { lastWrite: Date.now() });
    res.on('close', () => {
      this.#clients.delete(res);
      if (this.#clients.size === 0) this.#stop();
    });
    this.#write(res, 'snapshot', this.#snapshot());
    this.#timer ??= setInterval(() => {
      this.#tick();
    }, this.#intervalMs);
    this.#timer.unref();
  }

  /** Ends every stream and stops looking. */
  close(): void {
    for (const res of this.#clients.keys()) res.end();
    this.#clients.clear();
    this.#stop();
  }

  #stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  #clock(): ConsoleClock {
    return { nowClock: this.#source.store.now(), virtual: this.#source.virtualClock };
  }

  /** Forgets what was sent and reads the current state as the new base (for a snapshot). */
  #rebase(): void {
    this.#seen = new Map();
    this.#scanResources();
    this.#logTotal = this.#source.log.total;
    this.#logGeneration = this.#source.log.generation;
    this.#faultsJson = JSON.stringify(this.#source.faults());
  }

  #snapshot(): ConsoleSnapshot {
    const log = this.#source.log;
    const retained = log.tail(Number.MAX_SAFE_INTEGER);
    const requestCounts: Record<string, number> = {};
    for (const entry of retained) {
      if (entry.id !== undefined) requestCounts[entry.id] = (requestCounts[entry.id] ?? 0) + 1;
    }
    this.#lastNow = this.#source.store.now();
    return {
      clock: this.#clock(),
      resources: [...this.#seen.values()].map((s) => s.state),
      requests: retained.slice(-SNAPSHOT_REQUESTS),
      requestCounts,
      faults: this.#source.faults(),
    };
  }

  /** Compares the resources with what was sent; returns the changed ones and the ones gone. */
  #scanResources(): { changed: ConsoleResource[]; removed: { kind: ConsoleResource['kind']; id: string }[] } {
    const store = this.#source.store;
    const changed: ConsoleResource[] = [];
    const next = new Map<string, Seen>();
    for (const kind of RESOURCE_KINDS) {
      for (const record of store.records(kind)) {
        const k = key(kind, record.id);
        const before = this.#seen.get(k);
        const view = store.view(kind, record.id);
        const status = (view?.Status ?? null) as ConsoleResource['status'];
        const message = typeof view?.Message === 'string' ? view.Message : undefined;
        const name = typeof record.fields.Name === 'string' ? record.fields.Name : undefined;
        if (
          before?.record === record &&
          before.timeline === record.timeline &&
          before.deletedAt === record.deletedAt &&
          before.state.status === status &&
          before.state.message === message &&
          before.state.name === name
        ) {
          next.set(k, before);
          continue;
        }
        let past: readonly ConsolePhase[] = [];
        if (before?.record === record && before.timeline !== record.timeline) {
          // A script replaced the lifecycle: keep what came before it, up to where the new one starts.
          const start = record.timeline[0]?.from ?? store.now();
          past = cut([...before.past, ...phasesOf(before.timeline, before.deletedAt)], start);
        } else if (before?.record === record) past = before.past;
        const state: ConsoleResource = {
          kind,
          id: record.id,
          ...(name === undefined ? {} : { name }),
          status,
          ...(message === undefined ? {} : { message }),
          phases: [...past, ...phasesOf(record.timeline, record.deletedAt)],
        };
        next.set(k, { record, timeline: record.timeline, deletedAt: record.deletedAt, past, state });
        changed.push(state);
      }
    }
    const removed: { kind: ConsoleResource['kind']; id: string }[] = [];
    for (const [k, seen] of this.#seen) {
      if (!next.has(k)) removed.push({ kind: seen.state.kind, id: seen.state.id });
    }
    this.#seen = next;
    return { changed, removed };
  }

  #newRequests(): { entries: RequestLogEntry[]; missed: number } {
    const log = this.#source.log;
    const count = log.total - this.#logTotal;
    this.#logTotal = log.total;
    if (count <= 0) return { entries: [], missed: 0 };
    const entries = log.tail(count);
    return { entries, missed: count - entries.length };
  }

  #tick(): void {
    const now = Date.now();
    if (this.#source.log.generation !== this.#logGeneration) {
      // The emulator was reset: every page starts again from a snapshot.
      this.#rebase();
      const snapshot = this.#snapshot();
      for (const res of this.#clients.keys()) this.#write(res, 'snapshot', snapshot);
      return;
    }
    const { changed, removed } = this.#scanResources();
    const { entries, missed } = this.#newRequests();
    const faults = this.#source.faults();
    const faultsJson = JSON.stringify(faults);
    const faultsChanged = faultsJson !== this.#faultsJson;
    this.#faultsJson = faultsJson;
    const clock = this.#clock();
    const moved = clock.nowClock !== this.#lastNow;
    this.#lastNow = clock.nowClock;
    const anything = changed.length > 0 || removed.length > 0 || entries.length > 0 || missed > 0;
    if (anything || faultsChanged || moved) {
      const update: ConsoleUpdate = {
        clock,
        ...(changed.length > 0 ? { resources: changed } : {}),
        ...(removed.length > 0 ? { removed } : {}),
        ...(entries.length > 0 ? { requests: entries } : {}),
        ...(missed > 0 ? { missedRequests: missed } : {}),
        ...(faultsChanged ? { faults } : {}),
      };
      for (const res of this.#clients.keys()) this.#write(res, 'update', update);
      return;
    }
    for (const [res, client] of this.#clients) {
      if (now - client.lastWrite >= KEEP_ALIVE_MS) {
        client.lastWrite = now;
        res.write(': keep-alive\n\n');
      }
    }
  }

  #write(res: ServerResponse, event: string, data: ConsoleSnapshot | ConsoleUpdate): void {
    if (res.destroyed || res.writableEnded) return;
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      res.destroy();
      return;
    }
    const client = this.#clients.get(res);
    if (client !== undefined) client.lastWrite = Date.now();
    res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }
}
