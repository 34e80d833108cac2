import type { ResourceKind } from '../model/ResourceKind.js';
import { resourceKinds } from '../model/ResourceKind.js';
import type { WaiterErrorContext } from './WaiterError.js';
import { WaiterError, hasWaiterCode } from './WaiterError.js';

/**
 * Polling could not go on: a non-retryable request error (403 `AccessDeniedException`, bad credentials,
 * `InvalidInputException`, `ResourceNotFoundException` after `notFoundGraceMs`, missing configuration),
 * or the retries of one poll ran out. `cause` is the error of the last request.
 */
export class WaitRequestError<K extends ResourceKind = ResourceKind> extends WaiterError<K> {
  override readonly name = 'WaitRequestError' as const;
  readonly code = 'REQUEST_FAILED' as const;
  /** `true` when the error was transient but the retries of one poll ran out. */
  readonly retriesExhausted: boolean;

  constructor(context: WaiterErrorContext<K> & { readonly retriesExhausted: boolean }) {
    const cause = context.cause;
    const detail =
      cause instanceof Error
        ? `${cause.name}: ${cause.message}`
        : cause === undefined
          ? 'unknown error'
          : JSON.stringify(cause);
    const why = context.retriesExhausted ? `kept failing after ${context.attempts} requests` : 'failed';
    super(`Polling ${resourceKinds[context.kind].noun} ${context.id} ${why} (${detail}).`, context);
    this.retriesExhausted = context.retriesExhausted;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), retriesExhausted: this.retriesExhausted };
  }
}

/** `true` for a {@link WaitRequestError} from any copy of this package. */
export const isWaitRequestError: (error: unknown) => error is WaitRequestError =
  hasWaiterCode('REQUEST_FAILED');
