import { describe, expect, it } from 'vitest';
import { isMultiWaitError, MultiWaitError } from '../../src/waiter/MultiWaitError.js';
import { ResourceFailedError } from '../../src/waiter/ResourceFailedError.js';
import { ResourceDeletedError } from '../../src/waiter/ResourceDeletedError.js';
import { waitForAll, waitForAny } from '../../src/waiter/waitForMany.js';
import { useEmulator } from '../helpers/emulatorFixture.js';

const env = useEmulator();
const opts = () => ({ client: env.client, clock: env.clock, random: () => 0 });

function job(id: string, ms: number, end: 'COMPLETED' | 'FAILED' | 'DELETED' = 'COMPLETED') {
  env.emulator.put('BatchPrediction', { BatchPredictionId: id }, [
    { status: 'INPROGRESS', forMs: ms },
    end === 'FAILED' ? { status: 'FAILED', message: `${id} broke` } : { status: end },
  ]);
}

describe('waitForAll', () => {
  it('resolves with every resource, in the order of the ids', async () => {
    job('bp-a', 30_000);
    job('bp-b', 5000);
    job('bp-c', 60_000);
    const results = await waitForAll('BatchPrediction', ['bp-a', 'bp-b', 'bp-c'], opts());
    expect(results.map((r) => [r.BatchPredictionId, r.Status])).toEqual([
      ['bp-a', 'COMPLETED'],
      ['bp-b', 'COMPLETED'],
      ['bp-c', 'COMPLETED'],
    ]);
  });

  it('waits for all to settle, then rejects with one MultiWaitError listing each failure', async () => {
    job('bp-ok', 10_000);
    job('bp-bad', 3000, 'FAILED');
    job('bp-gone', 4000, 'DELETED');
    const error = await waitForAll('BatchPrediction', ['bp-ok', 'bp-bad', 'bp-gone'], opts()).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MultiWaitError);
    expect(isMultiWaitError(error)).toBe(true);
    const multi = error as MultiWaitError<'BatchPrediction'>;
    expect(multi.message).toBe(
      '2 of 3 batch prediction waits failed: bp-bad (RESOURCE_FAILED), bp-gone (RESOURCE_DELETED).',
    );
    expect(multi.failedIds).toEqual(['bp-bad', 'bp-gone']);
    expect(multi.errors[0]).toBeInstanceOf(ResourceFailedError);
    expect(multi.errors[1]).toBeInstanceOf(ResourceDeletedError);
    expect(multi.outcomes[0]).toMatchObject({ id: 'bp-ok', ok: true, resource: { Status: 'COMPLETED' } });
  });

  it('validates ids before any request', async () => {
    await expect(waitForAll('BatchPrediction', [], opts())).rejects.toThrow(
      'Expected `ids` to be a non-empty array of ids, got an empty array.',
    );
    await expect(waitForAll('BatchPrediction', ['bp-1', 'no spaces'], opts())).rejects.toThrow(
      'Expected `ids[1]` to be 1-64 characters of [a-zA-Z0-9_.-], got "no spaces".',
    );
    expect(env.emulator.requests()).toHaveLength(0);
  });

  it('rejects with signal.reason when aborted', async () => {
    job('bp-long', 3_600_000);
    const controller = new AbortController();
    const promise = waitForAll('BatchPrediction', ['bp-long'], { ...opts(), signal: controller.signal });
    controller.abort('stop all');
    await expect(promise).rejects.toBe('stop all');
  });
});

describe('waitForAny', () => {
  it('resolves with the first to complete and cancels the others', async () => {
    job('bp-slow', 3_600_000);
    job('bp-fast', 8000);
    const { id, resource } = await waitForAny('BatchPrediction', ['bp-slow', 'bp-fast'], opts());
    expect(id).toBe('bp-fast');
    expect(resource.Status).toBe('COMPLETED');
    const before = env.emulator.requests().length;
    env.clock.advance(3_600_000);
    expect(env.emulator.requests().length).toBe(before);
    expect(env.clock.pendingTimers).toBe(0);
  });

  it('rejects with a MultiWaitError when every wait fails', async () => {
    job('bp-x', 1000, 'FAILED');
    job('bp-y', 2000, 'DELETED');
    const error = await waitForAny('BatchPrediction', ['bp-x', 'bp-y'], opts()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MultiWaitError);
    expect((error as Error).message).toBe(
      'None of the 2 batch prediction waits completed: bp-x (RESOURCE_FAILED), bp-y (RESOURCE_DELETED).',
    );
  });
});
