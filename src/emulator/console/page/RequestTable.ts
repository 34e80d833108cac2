import type { RequestLogEntry } from '../../RequestLog.js';
import type { ConsoleState } from './ConsoleState.js';
import { h } from './dom.js';

/** Rows the table shows at most (the newest matching ones). */
const SHOWN_ROWS = 200;

function clockTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/**
 * The request log: time, operation, id, status (code and error type), latency, the faults applied and
 * the access key id that signed it (never a secret or a signature), newest first; filtered by id
 * (contains) and operation.
 */
export class RequestTable {
  readonly #body: HTMLTableSectionElement;
  readonly #summary: HTMLElement;
  readonly #idFilter: HTMLInputElement;
  readonly #operationFilter: HTMLSelectElement;
  #shownVersion = -1;
  #filterKey = '';

  constructor(
    body: HTMLTableSectionElement,
    summary: HTMLElement,
    idFilter: HTMLInputElement,
    operationFilter: HTMLSelectElement,
  ) {
    this.#body = body;
    this.#summary = summary;
    this.#idFilter = idFilter;
    this.#operationFilter = operationFilter;
  }

  render(state: ConsoleState): void {
    this.#renderOperations(state);
    const idText = this.#idFilter.value.trim();
    const operation = this.#operationFilter.value;
    const filterKey = `${idText}\u0000${operation}`;
    if (state.version === this.#shownVersion && filterKey === this.#filterKey) return;
    this.#shownVersion = state.version;
    this.#filterKey = filterKey;
    const matching: RequestLogEntry[] = [];
    for (let i = state.requests.length - 1; i >= 0 && matching.length < SHOWN_ROWS; i--) {
      const entry = state.requests[i] as RequestLogEntry;
      if (operation !== '' && entry.operation !== operation) continue;
      if (idText !== '' && !(entry.id ?? '').includes(idText)) continue;
      matching.push(entry);
    }
    this.#body.replaceChildren(...matching.map((entry) => this.#row(entry)));
    const missed =
      state.missedRequests > 0
        ? ` (${state.missedRequests} more left the log before they could be shown)`
        : '';
    this.#summary.textContent =
      matching.length === 0
        ? `No requests${idText !== '' || operation !== '' ? ' match the filter' : ' yet'}.${missed}`
        : `Showing the newest ${matching.length} of ${state.requests.length} requests received${idText !== '' || operation !== '' ? ' that match' : ''}.${missed}`;
  }

  #renderOperations(state: ConsoleState): void {
    const known = new Set([...this.#operationFilter.options].map((o) => o.value));
    const seen = [...new Set(state.requests.map((r) => r.operation))].filter((op) => !known.has(op)).sort();
    for (const op of seen)
      this.#operationFilter.append(
        h('option', { text: op === '' ? '(refused early)' : op, attrs: { value: op } }),
      );
  }

  #row(entry: RequestLogEntry): HTMLTableRowElement {
    const ok = entry.statusCode >= 200 && entry.statusCode < 300;
    const status = entry.statusCode === 0 ? 'reset' : String(entry.statusCode);
    return h(
      'tr',
      { class: ok ? '' : 'error', attrs: { 'data-operation': entry.operation, 'data-id': entry.id } },
      h('td', { attrs: { 'data-label': 'Time' }, text: clockTime(entry.time) }),
      h('td', {
        attrs: { 'data-label': 'Operation' },
        text: entry.operation === '' ? '(refused early)' : entry.operation,
      }),
      h('td', { attrs: { 'data-label': 'Id' } }, h('code', { text: entry.id ?? '—' })),
      h('td', {
        attrs: { 'data-label': 'Status' },
        class: ok ? 'ok' : 'fail',
        text: entry.errorType === undefined ? `${status} OK` : `${status} ${entry.errorType}`,
      }),
      h('td', {
        attrs: { 'data-label': 'Latency' },
        class: 'number',
        text: `${Math.round(entry.latencyMs)} ms`,
      }),
      h('td', {
        attrs: { 'data-label': 'Fault' },
        text: entry.faults.length === 0 ? '—' : entry.faults.join(', '),
      }),
      h('td', { attrs: { 'data-label': 'Access key' } }, h('code', { text: entry.accessKeyId ?? '—' })),
    );
  }
}
