/**
 * The listeners following each signal, behind one listener on it. Node's `EventTarget` compares every new
 * listener with all those already on the signal (and walks them again to remove one), so a signal that
 * thousands of waits or calls follow (`waitForAll`'s, an application's) would cost time quadratic in their
 * number if each added its own listener; here each costs one entry in a `Set`. Used by the waits and by
 * every place in the client that listens to a call's signal (its slot queue, budget queue, request).
 */
const followers = new WeakMap<
  AbortSignal,
  { readonly listeners: Set<() => void>; readonly fanOut: () => void }
>();

/**
 * @internal Calls `listener` once `signal` aborts (never if it already has: check first), until
 * {@link offAbort} takes it off. One listener on `signal` serves all.
 */
export function onAbort(signal: AbortSignal, listener: () => void): void {
  let entry = followers.get(signal);
  if (entry === undefined) {
    const listeners = new Set<() => void>();
    const fanOut = (): void => {
      // The live set, each follower taken out as it is called: one that another takes off meanwhile is
      // not called (as with `EventTarget`), nor is any called twice (a signal-like may dispatch twice).
      for (const each of listeners) {
        listeners.delete(each);
        // One follower that throws (an application's span processor, say) stops none of the others; its
        // error is reported as an uncaught exception, as `EventTarget` reports a listener's.
        try {
          each();
        } catch (error) {
          queueMicrotask(() => {
            throw error;
          });
        }
      }
      followers.delete(signal);
    };
    entry = { listeners, fanOut };
    followers.set(signal, entry);
    signal.addEventListener('abort', fanOut, { once: true });
  }
  entry.listeners.add(listener);
}

/** @internal Takes `listener` off `signal` (see {@link onAbort}); the last one to leave takes the signal's listener off. */
export function offAbort(signal: AbortSignal, listener: () => void): void {
  const entry = followers.get(signal);
  if (entry === undefined || !entry.listeners.delete(listener) || entry.listeners.size > 0) return;
  signal.removeEventListener('abort', entry.fanOut);
  followers.delete(signal);
}
