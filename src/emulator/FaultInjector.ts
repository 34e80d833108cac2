import type { FaultRule, FaultRuleState } from './FaultRule.js';
import { LIST_FAULT_KINDS, LIST_OPERATIONS, validateFaultRule } from './FaultRule.js';

/** What the list faults make of one `Describe…` answer. */
export interface ListView {
  readonly empty: boolean;
  readonly lagMs: number;
}

/** The faults that apply to one request. */
export interface FaultPlan {
  /** The rule that decides the answer, if any. */
  terminal: FaultRule | undefined;
  /** Real-time delay before handling, in ms. */
  delayMs: number;
  /** Skew of the `Date` header, in ms. */
  skewMs: number;
  quirk: 'typeOnly' | 'headerOnly' | 'fullyQualified' | 'numericCode' | undefined;
  largeLongs: boolean;
  /** How `Describe…` pages read: empty, or from an index this far behind (ms). */
  listView: ListView | undefined;
  /** Kinds of the rules applied (for the request log). */
  applied: string[];
}

interface ActiveRule {
  readonly ruleId: string;
  readonly rule: FaultRule;
  readonly operations: ReadonlySet<string> | undefined;
  matched: number;
  applied: number;
}

const MODIFIERS = new Set([
  'delay',
  'skewDate',
  'errorTypeQuirk',
  'largeLongs',
  'emptyPages',
  'laggingPages',
]);

/** Holds the fault rules and decides, per request, which apply (by operation/id, sequence or rate). */
export class FaultInjector {
  #rules: ActiveRule[] = [];
  #nextId = 1;
  readonly #random: () => number;

  constructor(random: () => number) {
    this.#random = random;
  }

  /** Adds a rule (validated); returns its id for {@link FaultInjector.remove}. */
  add(rule: unknown): string {
    validateFaultRule(rule);
    const ruleId = `fault-${this.#nextId++}`;
    const op = rule.operation;
    const named = op === undefined ? undefined : new Set(typeof op === 'string' ? [op] : op);
    const frozen = Object.freeze({ ...rule }) as FaultRule;
    this.#rules.push({
      ruleId,
      rule: frozen,
      // The list faults narrow to the Describe… operations (of those named, if any).
      operations: LIST_FAULT_KINDS.has(rule.kind)
        ? new Set([...LIST_OPERATIONS].filter((name) => named?.has(name) ?? true))
        : named,
      matched: 0,
      applied: 0,
    });
    return ruleId;
  }

  /** Removes one rule; returns whether it existed. */
  remove(ruleId: string): boolean {
    const before = this.#rules.length;
    this.#rules = this.#rules.filter((r) => r.ruleId !== ruleId);
    return this.#rules.length !== before;
  }

  /** Removes every rule. */
  clear(): void {
    this.#rules = [];
  }

  /** The rules with their counts. */
  list(): FaultRuleState[] {
    return this.#rules.map((r) => ({ ...r.rule, ruleId: r.ruleId, matched: r.matched, applied: r.applied }));
  }

  /** `true` when there is no rule (the fast path). */
  get empty(): boolean {
    return this.#rules.length === 0;
  }

  /** Decides the faults for a request to `operation` naming `id`; counts matches and applications. */
  plan(operation: string, id: string | undefined): FaultPlan | undefined {
    if (this.#rules.length === 0) return undefined;
    let plan: FaultPlan | undefined;
    for (const active of this.#rules) {
      const { rule } = active;
      if (active.operations !== undefined && !active.operations.has(operation)) continue;
      if (rule.id !== undefined && rule.id !== id) continue;
      const modifier = MODIFIERS.has(rule.kind);
      if (!modifier && plan?.terminal !== undefined) continue;
      active.matched++;
      if (active.matched <= (rule.skip ?? 0)) continue;
      if (rule.times !== undefined && active.applied >= rule.times) continue;
      if (rule.rate !== undefined && !(this.#random() < rule.rate)) continue;
      active.applied++;
      plan ??= {
        terminal: undefined,
        delayMs: 0,
        skewMs: 0,
        quirk: undefined,
        largeLongs: false,
        listView: undefined,
        applied: [],
      };
      plan.applied.push(rule.kind);
      switch (rule.kind) {
        case 'delay':
          plan.delayMs += rule.ms;
          break;
        case 'skewDate':
          plan.skewMs += rule.skewMs;
          break;
        case 'errorTypeQuirk':
          plan.quirk = rule.quirk;
          break;
        case 'largeLongs':
          plan.largeLongs = true;
          break;
        case 'emptyPages':
          plan.listView = { empty: true, lagMs: plan.listView?.lagMs ?? 0 };
          break;
        case 'laggingPages':
          plan.listView = {
            empty: plan.listView?.empty ?? false,
            lagMs: (plan.listView?.lagMs ?? 0) + rule.lagMs,
          };
          break;
        case 'throttle':
        case 'serverError':
        case 'error':
        case 'reset':
        case 'malformedJson':
        case 'listDenied':
          plan.terminal = rule;
          break;
      }
    }
    return plan;
  }
}
