import type { ResourceKind } from '../model/ResourceKind.js';
import type { ResourceDeletedError } from './ResourceDeletedError.js';
import type { ResourceFailedError } from './ResourceFailedError.js';
import type { WaitRequestError } from './WaitRequestError.js';
import type { WaitTimeoutError } from './WaitTimeoutError.js';

/**
 * Any of the four errors a wait rejects with, discriminated by `code`: what {@link isWaiterError} narrows to,
 * so `switch (error.code)` reaches each class's own fields (`timeoutMs`, `retriesExhausted`).
 */
export type AnyWaiterError<K extends ResourceKind = ResourceKind> =
  ResourceFailedError<K> | ResourceDeletedError<K> | WaitTimeoutError<K> | WaitRequestError<K>;
