import type { ResourceKind } from '../model/ResourceKind.js';
import { ResourceDeletedError } from '../waiter/ResourceDeletedError.js';
import { reviveResource } from '../waiter/WaitCheckpoint.js';
import { ResourceFailedError } from '../waiter/ResourceFailedError.js';
import type { WaiterError, WaiterErrorContext } from '../waiter/WaiterError.js';
import { WaitRequestError } from '../waiter/WaitRequestError.js';
import { WaitTimeoutError } from '../waiter/WaitTimeoutError.js';
import type { SerializedWaiterError } from './WaitJob.js';

/** A `WaiterError` as plain JSON (what a failed fleet job carries in its data). */
export function serializeWaiterError(error: WaiterError): SerializedWaiterError {
  return JSON.parse(JSON.stringify(error)) as SerializedWaiterError;
}

/** A serialised cause → an `Error` with the same `name`, `message` and other fields. */
function reviveCause(cause: unknown): unknown {
  if (typeof cause !== 'object' || cause === null) return cause;
  const { name, message, ...rest } = cause as { name?: unknown; message?: unknown };
  const error = new Error(typeof message === 'string' ? message : 'unknown error');
  if (typeof name === 'string') error.name = name;
  return Object.assign(error, rest);
}

/**
 * Rebuilds the `WaiterError` subclass (`ResourceFailedError`, `ResourceDeletedError`,
 * `WaitTimeoutError`, `WaitRequestError`) that a worker serialised, with the same `message`, `kind`,
 * `id`, `history`, `attempts`, `elapsedMs`, `lastResource` and (as a plain `Error` with the same fields)
 * `cause`. `instanceof` and the `is…` guards work on the result.
 */
export function reviveWaiterError<K extends ResourceKind = ResourceKind>(
  serialized: SerializedWaiterError,
): WaiterError<K> {
  const context: WaiterErrorContext<K> = {
    kind: serialized.kind as K,
    id: serialized.id,
    lastResource:
      serialized.lastResource === undefined || serialized.lastResource === null
        ? undefined
        : reviveResource(serialized.lastResource),
    history: serialized.history.map(({ status, at }) => ({ status, at: new Date(at) })),
    attempts: serialized.attempts,
    elapsedMs: serialized.elapsedMs,
    ...(serialized.cause === undefined ? {} : { cause: reviveCause(serialized.cause) }),
  };
  let error: WaiterError<K>;
  switch (serialized.code) {
    case 'RESOURCE_FAILED':
      error = new ResourceFailedError(context);
      break;
    case 'RESOURCE_DELETED':
      error = new ResourceDeletedError(context);
      break;
    case 'WAIT_TIMEOUT':
      error = new WaitTimeoutError({ ...context, timeoutMs: serialized.timeoutMs ?? 0 });
      break;
    default:
      error = new WaitRequestError({ ...context, retriesExhausted: serialized.retriesExhausted ?? false });
      break;
  }
  // The worker's wording, exactly (it may differ from what this process would write, e.g. durations).
  error.message = serialized.message;
  return error;
}
