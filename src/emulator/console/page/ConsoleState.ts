import type { FaultRuleState } from '../../FaultRule.js';
import type { RequestLogEntry } from '../../RequestLog.js';
import type { ConsoleClock, ConsoleResource, ConsoleSnapshot, ConsoleUpdate } from '../ConsoleEvent.js';

/** Request log entries the page keeps (the newest). */
const KEPT_REQUESTS = 2000;
/** Seconds of request-rate history kept. */
const RATE_SECONDS = 120;

/** `kind:id`, the key of a resource in the page. */
export function resourceKey(resource: { readonly kind: string; readonly id: string }): string {
  return `${resource.kind}:${resource.id}`;
}

/** What the page knows, built from the stream's snapshot and updates. */
export class ConsoleState {
  readonly resources = new Map<string, ConsoleResource>();
  requests: RequestLogEntry[] = [];
  readonly requestCounts = new Map<string, number>();
  faults: readonly FaultRuleState[] = [];
  clock: ConsoleClock = { nowClock: 0, virtual: false };
  /** Requests that left the emulator's log before the page could receive them. */
  missedRequests = 0;
  /** Requests per wall-clock second (epoch s → count). */
  readonly #perSecond = new Map<number, number>();
  /** Bumped on every change, so views redraw only when something changed. */
  version = 0;

  applySnapshot(snapshot: ConsoleSnapshot): void {
    this.resources.clear();
    for (const resource of snapshot.resources) this.resources.set(resourceKey(resource), resource);
    this.requests = [];
    this.requestCounts.clear();
    for (const [id, count] of Object.entries(snapshot.requestCounts)) this.requestCounts.set(id, count);
    this.#perSecond.clear();
    this.#addRequests(snapshot.requests, false);
    this.faults = snapshot.faults;
    this.clock = snapshot.clock;
    this.missedRequests = 0;
    this.version++;
  }

  applyUpdate(update: ConsoleUpdate): void {
    this.clock = update.clock;
    for (const resource of update.resources ?? []) this.resources.set(resourceKey(resource), resource);
    for (const gone of update.removed ?? []) this.resources.delete(resourceKey(gone));
    this.#addRequests(update.requests ?? [], true);
    this.missedRequests += update.missedRequests ?? 0;
    if (update.faults !== undefined) this.faults = update.faults;
    this.version++;
  }

  #addRequests(entries: readonly RequestLogEntry[], count: boolean): void {
    for (const entry of entries) {
      if (count && entry.id !== undefined) {
        this.requestCounts.set(entry.id, (this.requestCounts.get(entry.id) ?? 0) + 1);
      }
      const second = Math.floor(entry.time / 1000);
      this.#perSecond.set(second, (this.#perSecond.get(second) ?? 0) + 1);
    }
    this.requests.push(...entries);
    if (this.requests.length > KEPT_REQUESTS) this.requests = this.requests.slice(-KEPT_REQUESTS);
    const oldest = Math.floor(Date.now() / 1000) - RATE_SECONDS;
    for (const second of this.#perSecond.keys()) if (second < oldest) this.#perSecond.delete(second);
  }

  /** Requests in each of the last `seconds` wall-clock seconds, oldest first, ending with the current one. */
  ratePerSecond(seconds: number, nowMs = Date.now()): number[] {
    const last = Math.floor(nowMs / 1000);
    return Array.from({ length: seconds }, (_, i) => this.#perSecond.get(last - seconds + 1 + i) ?? 0);
  }
}
