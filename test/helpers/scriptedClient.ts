import type { ResourceByKind, ResourceKind } from '../../src/model/ResourceKind.js';
import { AmazonMLError } from '../../src/client/AmazonMLError.js';

/** One scripted answer: a status string (→ a resource with that Status), an error to throw, or a function. */
export type Step = string | Error | ((signal: AbortSignal) => Promise<unknown>);

/** A client whose `get` answers from a script (the last step repeats) and records each call. */
export function scriptedClient(steps: readonly Step[], extra: Record<string, unknown> = {}) {
  const calls: { kind: ResourceKind; id: string; signal: AbortSignal | undefined }[] = [];
  let index = 0;
  return {
    calls,
    async get<K extends ResourceKind>(
      kind: K,
      id: string,
      options: { signal?: AbortSignal | undefined } = {},
    ): Promise<ResourceByKind[K]> {
      calls.push({ kind, id, signal: options.signal });
      const step = steps[Math.min(index++, steps.length - 1)]!;
      if (options.signal?.aborted) throw options.signal.reason;
      if (step instanceof Error) throw step;
      if (typeof step === 'function')
        return (await step(options.signal ?? new AbortController().signal)) as ResourceByKind[K];
      return { [`${kind}Id`]: id, Status: step, ...extra } as ResourceByKind[K];
    },
  };
}

export const throttle = (retryAfterMs?: number): AmazonMLError =>
  new AmazonMLError('ThrottlingException', 'Rate exceeded', {
    statusCode: 400,
    retryAfterMs,
    requestId: 'req-t',
  });
export const serverError = (): AmazonMLError =>
  new AmazonMLError('InternalServerException', 'An internal error occurred', { statusCode: 500 });
export const accessDenied = (): AmazonMLError =>
  new AmazonMLError('AccessDeniedException', 'AmazonML is no longer available to new customers.', {
    statusCode: 403,
  });
export const notFound = (): AmazonMLError =>
  new AmazonMLError('ResourceNotFoundException', 'No BatchPrediction found with id bp-1', {
    statusCode: 404,
  });

/** A get that never answers until aborted, then rejects with the signal's reason. */
export const hang: Step = (signal) =>
  new Promise((_, reject) => {
    signal.addEventListener('abort', () => {
      reject(signal.reason as Error);
    });
  });
