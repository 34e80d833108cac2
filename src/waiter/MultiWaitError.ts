import { brandGuard } from '../client/brandGuard.js';
import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';
import { resourceKinds } from '../model/ResourceKind.js';

/** How one wait of a group ended. */
export type WaitOutcome<K extends ResourceKind = ResourceKind> =
  | { readonly id: string; readonly ok: true; readonly resource: ResourceByKind[K] }
  | { readonly id: string; readonly ok: false; readonly error: unknown };

/**
 * A group wait (`waitForAll`, `waitForAny`) failed: `errors` lists each failed wait's error (a
 * `WaiterError` per id), `outcomes` every wait's outcome in the order of the ids given.
 */
export class MultiWaitError<K extends ResourceKind = ResourceKind> extends AggregateError {
  override readonly name = 'MultiWaitError' as const;
  readonly code = 'MULTI_WAIT_FAILED' as const;
  /** Brand for {@link isMultiWaitError}, which also works across duplicate installs. */
  readonly isAmlMultiWaitError = true as const;
  readonly kind: K;
  readonly outcomes: readonly WaitOutcome<K>[];

  constructor(kind: K, outcomes: readonly WaitOutcome<K>[], mode: 'all' | 'any') {
    const failed = outcomes.filter(
      (outcome): outcome is Extract<WaitOutcome<K>, { ok: false }> => !outcome.ok,
    );
    const detail = failed.map((outcome) => `${outcome.id} (${describe(outcome.error)})`).join(', ');
    const noun = resourceKinds[kind].noun;
    const head =
      mode === 'all'
        ? `${failed.length} of ${outcomes.length} ${noun} waits failed`
        : `None of the ${outcomes.length} ${noun} waits completed`;
    super(
      failed.map((outcome) => outcome.error),
      `${head}: ${detail}.`,
    );
    this.kind = kind;
    this.outcomes = Object.freeze([...outcomes]);
  }

  /** The ids whose wait failed, in order. */
  get failedIds(): string[] {
    return this.outcomes.filter((outcome) => !outcome.ok).map((outcome) => outcome.id);
  }
}

function describe(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, name } = error as { code?: unknown; name?: unknown };
    if (typeof code === 'string') return code;
    if (typeof name === 'string') return name;
  }
  return 'error';
}

/** `true` for a {@link MultiWaitError} from any copy of this package. */
export const isMultiWaitError: (error: unknown) => error is MultiWaitError = brandGuard(
  MultiWaitError,
  'isAmlMultiWaitError',
  (code) => code === 'MULTI_WAIT_FAILED',
);
