/**
 * The controllers following each signal, behind one listener on it. Node's `EventTarget` compares every
 * new listener with all those already on the signal (and walks them again to remove one), so a signal
 * that thousands of waits follow (`waitForAll`'s, an application's) would cost time quadratic in the
 * waits if each added its own listener.
 */
const followers = new WeakMap<
  AbortSignal,
  { readonly listeners: Set<() => void>; readonly fanOut: () => void }
>();

/** Calls `listener` once `signal` aborts; returns what stops that. One listener on `signal` serves all. */
function onAbort(signal: AbortSignal, listener: () => void): () => void {
  let entry = followers.get(signal);
  if (entry === undefined) {
    const listeners = new Set<() => void>();
    const fanOut = (): void => {
      followers.delete(signal);
      for (const each of listeners) each();
    };
    entry = { listeners, fanOut };
    followers.set(signal, entry);
    signal.addEventListener('abort', fanOut, { once: true });
  }
  const { listeners, fanOut } = entry;
  listeners.add(listener);
  return () => {
    if (!listeners.delete(listener) || listeners.size > 0) return;
    // The last follower to leave takes the listener off the signal: nothing is left behind.
    signal.removeEventListener('abort', fanOut);
    if (followers.get(signal)?.listeners === listeners) followers.delete(signal);
  };
}

/**
 * @internal A controller that aborts when `signal` does (with its reason), or when aborted itself.
 * `unfollow()` stops listening to `signal`: call it once the work under the controller has ended.
 */
export function followAbort(signal: AbortSignal | undefined): {
  readonly controller: AbortController;
  readonly unfollow: () => void;
} {
  const controller = new AbortController();
  if (signal === undefined) return { controller, unfollow: () => undefined };
  const forward = (): void => {
    controller.abort(signal.reason);
  };
  if (signal.aborted) {
    forward();
    return { controller, unfollow: () => undefined };
  }
  return { controller, unfollow: onAbort(signal, forward) };
}
