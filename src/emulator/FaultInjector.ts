import type { FaultRule, FaultRuleState } from './FaultRule.js';
import { validateFaultRule } from './FaultRule.js';

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

const MODIFIERS = new Set(['delay', 'skewDate', 'errorTypeQuirk', 'largeLongs']);

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
    const frozen = Object.freeze({ ...rule }) as FaultRule;
    this.#rules.push({
      ruleId,
      rule: frozen,
      operations: op === undefined ? undefined : new Set(typeof op === 'string' ? [op] : op),
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
        case 'throttle':
        case 'serverError':
        case 'error':
        case 'reset':
        case 'malformedJson':
          plan.terminal = rule;
          break;
      }
    }
    return plan;
  }
}
