import type { ResourceKind } from '../model/ResourceKind.js';
import { resourceKinds } from '../model/ResourceKind.js';
import type { WaiterErrorContext } from './WaiterError.js';
import { WaiterError, formatDuration, hasWaiterCode } from './WaiterError.js';

/** The resource was `DELETED` (irreversible): it can never complete. */
export class ResourceDeletedError<K extends ResourceKind = ResourceKind> extends WaiterError<K> {
  override readonly name = 'ResourceDeletedError' as const;
  readonly code = 'RESOURCE_DELETED' as const;

  constructor(context: WaiterErrorContext<K>) {
    const previous = context.history.at(-2)?.status;
    const before = previous === undefined ? '' : ` while ${previous}`;
    super(
      `The ${resourceKinds[context.kind].noun} ${context.id} was DELETED${before} after ${formatDuration(context.elapsedMs)} of waiting, so it can never complete.`,
      context,
    );
  }
}

/** `true` for a {@link ResourceDeletedError} from any copy of this package. */
export const isResourceDeletedError: (error: unknown) => error is ResourceDeletedError =
  hasWaiterCode('RESOURCE_DELETED');
