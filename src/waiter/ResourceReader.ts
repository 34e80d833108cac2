import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';

/** What one read of a resource produced. */
export interface ResourceRead<K extends ResourceKind> {
  readonly resource: ResourceByKind[K];
  /** `false` when no request was sent (or joined) for it: the state came from a list pass or another wait. */
  readonly requested: boolean;
}

/**
 * @internal The seam between a wait and how its resource is read. The wait loop asks for the resource,
 * at most `maxAgeMs` old, and never knows whether the answer was shared: a {@link directReader} sends one
 * `Get…` per read; a shared reader (`SharedPolls`) joins other waits' requests and list passes.
 * `openReader` chooses one per wait.
 */
export interface ResourceReader<K extends ResourceKind> {
  /**
   * Reads once; rejects with the client's error. A read with a `signal` is one its wait may cancel: an
   * aborted one sends nothing (rejects with `signal.reason`), and the request it sends is cancelled when
   * the signal aborts (the client follows it: one listener for all the calls that share a signal; see
   * `getResource`). The reader adds no listener of its own (thousands of waits may share one signal): the
   * wait follows it, and closes the reader when it ends.
   */
  read(maxAgeMs: number, signal: AbortSignal | undefined): Promise<ResourceRead<K>>;
  /**
   * A state at most `maxAgeMs` old that the reader holds already (what `read` would answer at once without
   * a request), or `undefined`: read it then. A reader that holds nothing (the direct one) leaves it out.
   */
  readonly peek?: ((maxAgeMs: number) => ResourceByKind[K] | undefined) | undefined;
  /**
   * Asks to be told when the reader learns, without being asked, that the resource's status changed (a
   * list pass showed it, passed to `listener`): the wait then polls at once instead of at its next
   * scheduled poll. A reader that learns nothing by itself (the direct one) leaves it out.
   */
  readonly onChange?: ((listener: (listed: unknown) => void) => void) | undefined;
  /**
   * The wait has ended: lets go of what the reader holds. A read under way is left to answer (what ends a
   * wait during a read is its signal's abort, which has cancelled the request already).
   */
  close(): void;
  /** The client's configured attempts per request (`AWS_MAX_ATTEMPTS` / `max_attempts`), once known. */
  maxAttempts(): number | undefined;
}
