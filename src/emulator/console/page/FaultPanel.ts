import type { FaultRule, FaultRuleState } from '../../FaultRule.js';
import type { ConsoleState } from './ConsoleState.js';
import { byId, h } from './dom.js';

/** The fault kinds the page offers, with their names for people. */
const KIND_LABELS: Readonly<Record<string, string>> = {
  throttle: 'Throttle (400 ThrottlingException)',
  serverError: '5xx server error',
  reset: 'Connection reset',
  delay: 'Latency',
};

/** A rule in words: `Throttle … on GetBatchPrediction for bp-1, 1 time — matched 2, applied 1`. */
export function describeFault(rule: FaultRuleState): string {
  const kind = KIND_LABELS[rule.kind] ?? rule.kind;
  const detail =
    rule.kind === 'delay' ? ` ${rule.ms} ms` : rule.kind === 'serverError' ? ` ${rule.status ?? 500}` : '';
  const op = rule.operation === undefined ? 'every operation' : [rule.operation].flat().join(', ');
  const id = rule.id === undefined ? '' : ` for ${rule.id}`;
  const times = rule.times === undefined ? '' : `, ${rule.times} time${rule.times === 1 ? '' : 's'}`;
  return `${kind}${detail} on ${op}${id}${times} — matched ${rule.matched}, applied ${rule.applied}`;
}

/**
 * The faults panel: a form that adds a throttle, 5xx, reset or latency rule on an operation and/or id
 * (optionally for a number of requests), and the active rules with their counts and a Remove button each.
 */
export class FaultPanel {
  readonly #list = byId('fault-list', HTMLUListElement);
  readonly #empty = byId('no-faults', HTMLElement);
  readonly #kind = byId('fault-kind', HTMLSelectElement);
  readonly #delayField = byId('fault-delay-field', HTMLElement);
  readonly #statusField = byId('fault-status-field', HTMLElement);
  readonly #items = new Map<string, { li: HTMLLIElement; text: HTMLElement }>();

  constructor(add: (rule: FaultRule) => void, remove: (ruleId: string) => void, removeAll: () => void) {
    const form = byId('fault-form', HTMLFormElement);
    const sync = (): void => {
      this.#delayField.hidden = this.#kind.value !== 'delay';
      this.#statusField.hidden = this.#kind.value !== 'serverError';
    };
    this.#kind.addEventListener('change', sync);
    sync();
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      add(this.#readRule());
    });
    this.#list.addEventListener('click', (event) => {
      const button = (event.target as Element).closest('button[data-rule-id]');
      const ruleId = button?.getAttribute('data-rule-id');
      if (ruleId !== null && ruleId !== undefined) remove(ruleId);
    });
    byId('fault-clear', HTMLButtonElement).addEventListener('click', removeAll);
  }

  #readRule(): FaultRule {
    const operation = byId('fault-operation', HTMLInputElement).value.trim();
    const id = byId('fault-id', HTMLInputElement).value.trim();
    const timesText = byId('fault-times', HTMLInputElement).value.trim();
    const match = {
      ...(operation === '' ? {} : { operation }),
      ...(id === '' ? {} : { id }),
      ...(timesText === '' ? {} : { times: Number(timesText) }),
    };
    switch (this.#kind.value) {
      case 'serverError':
        return {
          kind: 'serverError',
          status: Number(byId('fault-status', HTMLSelectElement).value) as 500 | 502 | 503 | 504,
          ...match,
        };
      case 'reset':
        return { kind: 'reset', ...match };
      case 'delay':
        return { kind: 'delay', ms: Number(byId('fault-delay', HTMLInputElement).value), ...match };
      default:
        return { kind: 'throttle', ...match };
    }
  }

  render(state: ConsoleState): void {
    const keep = new Set(state.faults.map((f) => f.ruleId));
    for (const [ruleId, item] of this.#items) {
      if (!keep.has(ruleId)) {
        item.li.remove();
        this.#items.delete(ruleId);
      }
    }
    for (const rule of state.faults) {
      let item = this.#items.get(rule.ruleId);
      if (item === undefined) {
        const text = h('span');
        const li = h(
          'li',
          { attrs: { 'data-rule-id': rule.ruleId, 'data-kind': rule.kind } },
          text,
          h('button', {
            text: 'Remove',
            attrs: {
              type: 'button',
              'data-rule-id': rule.ruleId,
              'aria-label': `Remove fault ${rule.ruleId}`,
            },
          }),
        );
        this.#list.append(li);
        item = { li, text };
        this.#items.set(rule.ruleId, item);
      }
      const words = describeFault(rule);
      if (item.text.textContent !== words) item.text.textContent = words;
    }
    this.#empty.hidden = state.faults.length > 0;
  }
}
