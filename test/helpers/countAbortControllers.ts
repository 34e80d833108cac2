import { vi } from 'vitest';

/**
 * Counts the `AbortController`s made from now on (the global is replaced by a subclass that counts) until
 * `restore()`, which puts every stubbed global back.
 */
export function countAbortControllers(): { readonly created: number; restore: () => void } {
  const counter = {
    created: 0,
    restore: () => {
      vi.unstubAllGlobals();
    },
  };
  vi.stubGlobal(
    'AbortController',
    class extends AbortController {
      constructor() {
        super();
        counter.created++;
      }
    },
  );
  return counter;
}
