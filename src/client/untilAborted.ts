import { offAbort, onAbort } from './onAbort.js';

/**
 * Waits for `promise`, but rejects with `signal.reason` as soon as the signal aborts (a slow credential
 * provider, or a request shared with other callers, must not delay an abort). The promise itself keeps
 * running; an already aborted signal rejects at once.
 * @internal
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const abort = (): void => {
      reject(signal.reason as Error);
    };
    onAbort(signal, abort);
    promise.then(
      (value) => {
        offAbort(signal, abort);
        resolve(value);
      },
      (error: unknown) => {
        offAbort(signal, abort);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passed through unchanged
        reject(error);
      },
    );
  });
}

/** Throws `signal.reason` unchanged when the signal is aborted. @internal */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw signal.reason;
}
