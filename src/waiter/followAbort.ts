import { offAbort, onAbort } from '../client/onAbort.js';

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
  onAbort(signal, forward);
  return {
    controller,
    unfollow: () => {
      offAbort(signal, forward);
    },
  };
}
