import type { ResourceKind } from '../model/ResourceKind.js';
import { resourceKinds } from '../model/ResourceKind.js';
import type { WaiterErrorContext } from './WaiterError.js';
import { WaiterError, formatDuration, hasWaiterCode } from './WaiterError.js';

/**
 * The deadline (`timeoutMs`) passed before the resource reached a terminal status. A last poll was made
 * at the deadline first; `cause` is set when that last poll itself failed.
 */
export class WaitTimeoutError<K extends ResourceKind = ResourceKind> extends WaiterError<K> {
  override readonly name = 'WaitTimeoutError' as const;
  readonly code = 'WAIT_TIMEOUT' as const;
  /** The `timeoutMs` that ran out. */
  readonly timeoutMs: number;

  constructor(context: WaiterErrorContext<K> & { readonly timeoutMs: number }) {
    const last = context.history.at(-1)?.status;
    const status = last === undefined ? 'before any status was seen' : `while still ${last}`;
    super(
      `Gave up waiting for ${resourceKinds[context.kind].noun} ${context.id} after ${formatDuration(context.timeoutMs)} (timeoutMs ${context.timeoutMs}) ${status}, after ${context.attempts} requests.`,
      context,
    );
    this.timeoutMs = context.timeoutMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeoutMs: this.timeoutMs };
  }
}

/** `true` for a {@link WaitTimeoutError} from any copy of this package. */
export const isWaitTimeoutError: (error: unknown) => error is WaitTimeoutError =
  hasWaiterCode('WAIT_TIMEOUT');
