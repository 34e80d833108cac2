import { RESOURCE_KINDS } from '../model/ResourceKind.js';
import type { CliClient } from './CliIo.js';
import type { WaitState } from './WaitState.js';

/**
 * After a wait ended because no resource of its kind has the id, asks once for each other kind (at once) and
 * records in `state.foundAs` the first kind, in `RESOURCE_KINDS` order, under which the id exists: so that
 * `aml-wait ml-a` without `--kind ml-model` can say which `--kind` to use. Errors of these lookups are ignored:
 * they only ever add a hint.
 */
export async function findOtherKind(client: CliClient, state: WaitState, signal: AbortSignal): Promise<void> {
  const others = RESOURCE_KINDS.filter((kind) => kind !== state.kind);
  const found = await Promise.all(
    others.map(async (kind) => {
      try {
        const resource = await client.get(kind, state.id, { signal });
        const status = (resource as { Status?: unknown }).Status;
        return { kind, status: typeof status === 'string' ? status : 'status unknown' };
      } catch {
        return undefined;
      }
    }),
  );
  state.foundAs = found.find((entry) => entry !== undefined);
}
