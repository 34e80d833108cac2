import { describeValue } from '../model/describeValue.js';
import { setMaxListeners } from 'node:events';
import { isValidEntityId } from '../model/entityId.js';
import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';
import { MultiWaitError, type WaitOutcome } from './MultiWaitError.js';
import { followAbort } from './followAbort.js';
import { resolveWaitOptions } from './resolveWaitOptions.js';
import { waitFor } from './waitFor.js';
import type { WaitOptions } from './WaitOptions.js';

function checkIds(ids: unknown): asserts ids is readonly string[] {
  if (!Array.isArray(ids) || ids.length === 0) {
    throw new TypeError(
      `Expected \`ids\` to be a non-empty array of ids, got ${Array.isArray(ids) ? 'an empty array' : describeValue(ids)}.`,
    );
  }
  (ids as unknown[]).forEach((id, index) => {
    if (!isValidEntityId(id)) {
      throw new TypeError(
        `Expected \`ids[${index}]\` to be 1-64 characters of [a-zA-Z0-9_.-], got ${describeValue(id)}.`,
      );
    }
  });
}

/**
 * Runs one wait per id through ONE client (shared, so the waits coalesce and switch to list polling
 * when there are many), all under one signal; `onSettled` sees each outcome as it happens.
 */
async function runGroup<K extends ResourceKind>(
  kind: K,
  ids: readonly string[],
  options: WaitOptions | undefined,
  onSettled: (outcome: WaitOutcome<K>, stop: () => void) => void,
): Promise<WaitOutcome<K>[]> {
  checkIds(ids);
  // Validate once, before any request (the id is checked above), and share one client: the caller's, or
  // one the group owns and closes.
  const { client, release } = resolveWaitOptions(kind, ids[0], options).acquireClient();
  const { controller, unfollow } = followAbort(options?.signal);
  // Every wait of the group listens to this one signal.
  setMaxListeners(0, controller.signal);
  const stop = (): void => {
    controller.abort(new DOMException('Another wait of the group decided the outcome.', 'AbortError'));
  };
  try {
    return await Promise.all(
      ids.map((id) =>
        waitFor(kind, id, { ...options, client, signal: controller.signal }).then(
          (resource): WaitOutcome<K> => {
            const outcome = { id, ok: true as const, resource };
            onSettled(outcome, stop);
            return outcome;
          },
          (error: unknown): WaitOutcome<K> => {
            const outcome = { id, ok: false as const, error };
            onSettled(outcome, stop);
            return outcome;
          },
        ),
      ),
    );
  } finally {
    unfollow();
    release();
  }
}

/**
 * Waits for every id to reach `COMPLETED` and resolves with the resources, in the order of `ids`. All
 * waits run concurrently through one client; each keeps its own events and errors. If any wait fails,
 * rejects — once all have settled — with a {@link MultiWaitError} listing each failure and every outcome.
 * Aborting `signal` rejects with `signal.reason`.
 *
 * @example
 * ```ts
 * import { waitForAll } from 'aml-waiter';
 * const [a, b] = await waitForAll('BatchPrediction', ['bp-1', 'bp-2'], { timeoutMs: 7_200_000 });
 * ```
 */
export async function waitForAll<K extends ResourceKind>(
  kind: K,
  ids: readonly string[],
  options?: WaitOptions,
): Promise<ResourceByKind[K][]> {
  const outcomes = await runGroup(kind, ids, options, () => undefined);
  const signal = options?.signal;
  if (signal?.aborted) throw signal.reason;
  if (outcomes.some((outcome) => !outcome.ok)) throw new MultiWaitError(kind, outcomes, 'all');
  return outcomes.map((outcome) => (outcome as Extract<WaitOutcome<K>, { ok: true }>).resource);
}

/**
 * Resolves with the first of `ids` to reach `COMPLETED` (`{ id, resource }`) and cancels the other waits.
 * Rejects with a {@link MultiWaitError} if every wait fails, or with `signal.reason` when aborted.
 *
 * @example
 * ```ts
 * import { waitForAny } from 'aml-waiter';
 * const { id, resource } = await waitForAny('MLModel', ['ml-a', 'ml-b']);
 * ```
 */
export async function waitForAny<K extends ResourceKind>(
  kind: K,
  ids: readonly string[],
  options?: WaitOptions,
): Promise<{ readonly id: string; readonly resource: ResourceByKind[K] }> {
  let winner: { id: string; resource: ResourceByKind[K] } | undefined;
  const outcomes = await runGroup(kind, ids, options, (outcome, stop) => {
    if (outcome.ok && winner === undefined) {
      winner = { id: outcome.id, resource: outcome.resource };
      stop();
    }
  });
  if (winner !== undefined) return winner;
  const signal = options?.signal;
  if (signal?.aborted) throw signal.reason;
  throw new MultiWaitError(kind, outcomes, 'any');
}
