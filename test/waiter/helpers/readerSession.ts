import type { VirtualClock } from '../../../src/model/VirtualClock.js';
import { resolveWaitOptions } from '../../../src/waiter/resolveWaitOptions.js';
import type { ResourceReader } from '../../../src/waiter/ResourceReader.js';
import { WaitSession } from '../../../src/waiter/WaitSession.js';

/**
 * A wait on `bp-1` that reads only through `reader` (its client is a stub that is never called), with
 * 1 s between polls and no jitter, on `clock`; no listener.
 */
export function readerSession(
  clock: VirtualClock,
  reader: ResourceReader<'BatchPrediction'>,
): WaitSession<'BatchPrediction'> {
  const options = resolveWaitOptions('BatchPrediction', 'bp-1', {
    clock,
    client: { get: () => Promise.reject(new Error('not used')) },
    minDelayMs: 1_000,
    maxDelayMs: 1_000,
    random: () => 0,
  });
  return new WaitSession(options, reader, undefined);
}

/** Lets promise callbacks queued now (and those they queue, a few levels deep) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
}
