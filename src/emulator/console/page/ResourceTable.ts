import type { EntityStatus } from '../../../model/EntityStatus.js';
import type { ResourceKind } from '../../../model/ResourceKind.js';
import { RESOURCE_KINDS } from '../../../model/ResourceKind.js';
import type { ConsoleResource } from '../ConsoleEvent.js';
import type { ConsoleState } from './ConsoleState.js';
import { resourceKey } from './ConsoleState.js';
import { h } from './dom.js';
import { renderTimeline } from './renderTimeline.js';

/** A status a resource can be pushed to from the page. */
export type PushStatus = Extract<EntityStatus, 'COMPLETED' | 'FAILED' | 'DELETED'>;

interface Row {
  readonly tr: HTMLTableRowElement;
  readonly status: HTMLElement;
  readonly timeline: HTMLElement;
  readonly requests: HTMLElement;
  shown: ConsoleResource | undefined;
}

/**
 * The resources table: kind, id and name, status (a word in a coloured badge), the lifecycle timeline,
 * requests that named it, and buttons that push it to COMPLETED, FAILED (asks for a message) or DELETED
 * now. Rows are kept across updates (a focused button keeps its focus while the page goes live).
 */
export class ResourceTable {
  readonly #body: HTMLTableSectionElement;
  readonly #empty: HTMLElement;
  readonly #kindFilter: HTMLSelectElement;
  readonly #onPush: (resource: ConsoleResource, status: PushStatus) => void;
  readonly #rows = new Map<string, Row>();

  constructor(
    body: HTMLTableSectionElement,
    empty: HTMLElement,
    kindFilter: HTMLSelectElement,
    onPush: (resource: ConsoleResource, status: PushStatus) => void,
  ) {
    this.#body = body;
    this.#empty = empty;
    this.#kindFilter = kindFilter;
    this.#onPush = onPush;
  }

  render(state: ConsoleState): void {
    const kind = this.#kindFilter.value;
    this.#renderKindOptions(state);
    const visible = [...state.resources.values()].filter((r) => kind === '' || r.kind === kind);
    const keep = new Set(visible.map(resourceKey));
    for (const [key, row] of this.#rows) {
      if (!keep.has(key)) {
        row.tr.remove();
        this.#rows.delete(key);
      }
    }
    let previous: HTMLTableRowElement | undefined;
    for (const resource of visible) {
      const key = resourceKey(resource);
      let row = this.#rows.get(key);
      if (row === undefined) {
        row = this.#createRow(resource);
        this.#rows.set(key, row);
      }
      this.#updateRow(row, resource, state);
      // Keep the DOM in the state's order without moving rows that are in place (focus stays).
      const expected = previous === undefined ? this.#body.firstElementChild : previous.nextElementSibling;
      if (expected !== row.tr) {
        if (previous === undefined) this.#body.prepend(row.tr);
        else previous.after(row.tr);
      }
      previous = row.tr;
    }
    this.#empty.hidden = visible.length > 0;
  }

  #renderKindOptions(state: ConsoleState): void {
    const counts = new Map<ResourceKind, number>();
    for (const r of state.resources.values()) counts.set(r.kind, (counts.get(r.kind) ?? 0) + 1);
    const labels = [
      `All kinds (${state.resources.size})`,
      ...RESOURCE_KINDS.map((k) => `${k} (${counts.get(k) ?? 0})`),
    ];
    const options = this.#kindFilter.options;
    labels.forEach((label, i) => {
      const option = options[i];
      if (option !== undefined && option.text !== label) option.text = label;
    });
  }

  #createRow(resource: ConsoleResource): Row {
    const status = h('span', { class: 'badge' });
    const timeline = h('div', { class: 'timeline', attrs: { role: 'img' } });
    const requests = h('span');
    const button = (label: string, target: PushStatus): HTMLButtonElement => {
      const b = h('button', {
        text: label,
        class: `push push-${target}`,
        attrs: { type: 'button', 'aria-label': `${label}: push ${resource.id} to ${target} now` },
      });
      b.addEventListener('click', () => {
        const current = this.#rows.get(resourceKey(resource))?.shown ?? resource;
        this.#onPush(current, target);
      });
      return b;
    };
    const name = resource.name === undefined ? [] : [h('span', { class: 'name', text: resource.name })];
    const tr = h(
      'tr',
      { attrs: { 'data-kind': resource.kind, 'data-id': resource.id } },
      h('td', { attrs: { 'data-label': 'Kind' }, text: resource.kind }),
      h(
        'th',
        { attrs: { scope: 'row', 'data-label': 'Id' } },
        h('div', {}, h('code', { text: resource.id, attrs: { title: resource.id } }), ...name),
      ),
      h('td', { attrs: { 'data-label': 'Status' } }, status),
      h('td', { attrs: { 'data-label': 'Timeline' }, class: 'timeline-cell' }, timeline),
      h('td', { attrs: { 'data-label': 'Requests' }, class: 'number' }, requests),
      h(
        'td',
        { attrs: { 'data-label': 'Push now' }, class: 'actions' },
        h('div', {}, button('Complete', 'COMPLETED'), button('Fail…', 'FAILED'), button('Delete', 'DELETED')),
      ),
    );
    return { tr, status, timeline, requests, shown: undefined };
  }

  #updateRow(row: Row, resource: ConsoleResource, state: ConsoleState): void {
    const word = resource.status ?? 'NOT VISIBLE YET';
    if (row.shown?.status !== resource.status || row.shown.message !== resource.message) {
      row.status.textContent = word;
      row.status.className = `badge status-${resource.status ?? 'HIDDEN'}`;
      row.status.title = resource.message ?? word;
      row.tr.dataset.status = resource.status ?? '';
    }
    row.shown = resource;
    renderTimeline(row.timeline, resource.phases, state.clock.nowClock);
    const count = String(state.requestCounts.get(resource.id) ?? 0);
    if (row.requests.textContent !== count) row.requests.textContent = count;
  }
}
