import { faultKindOf, validateFaultRule } from './faultKinds.js';
import type { FaultPlan } from './FaultPlan.js';
import type { FaultRule, FaultRuleState } from './FaultRule.js';

/** The operations the list faults apply to. */
const LIST_OPERATIONS: readonly string[] = [
  'DescribeBatchPredictions',
  'DescribeDataSources',
  'DescribeMLModels',
  'DescribeEvaluations',
];

interface ActiveRule {
  readonly ruleId: string;
  readonly rule: FaultRule;
  readonly operations: ReadonlySet<string> | undefined;
  /** Whether the rule decides the answer (else it modifies it). */
  readonly answers: boolean;
  matched: number;
  applied: number;
}

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
    const definition = faultKindOf(frozen);
    this.#rules.push({
      ruleId,
      rule: frozen,
      // The list faults narrow to the Describe… operations (of those named, if any).
      operations:
        definition.listOnly === true
          ? new Set(LIST_OPERATIONS.filter((name) => named?.has(name) ?? true))
          : named,
      answers: 'answer' in definition,
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
      if (active.answers && plan?.terminal !== undefined) continue;
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
      const definition = faultKindOf(rule);
      if ('modify' in definition) definition.modify(plan, rule);
      else plan.terminal = rule;
    }
    return plan;
  }
}
