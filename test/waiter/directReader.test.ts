import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { directReader } from '../../src/waiter/directReader.js';
import { signalNotingClient } from '../helpers/signalNotingClient.js';

describe('directReader', () => {
  it('a read without a signal sends its Get without one', async () => {
    const { client, calls } = signalNotingClient();
    const reader = directReader(client, 'BatchPrediction', 'bp-1');
    const read = reader.read(0, undefined);
    expect(calls[0]?.signal).toBeUndefined();
    calls[0]?.answer({ BatchPredictionId: 'bp-1', Status: 'PENDING' });
    expect(await read).toEqual({
      resource: { BatchPredictionId: 'bp-1', Status: 'PENDING' },
      requested: true,
    });
    reader.close();
  });

  it('a read with a signal: its Get has a signal of its own, which close() aborts; the caller’s gets no listener', async () => {
    const { client, calls } = signalNotingClient();
    const reader = directReader(client, 'BatchPrediction', 'bp-1');
    const caller = new AbortController();
    const read = reader.read(0, caller.signal);
    const request = calls[0]?.signal;
    expect(request).toBeInstanceOf(AbortSignal);
    expect(request).not.toBe(caller.signal);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
    reader.close();
    expect(request?.aborted).toBe(true);
    await expect(read).rejects.toThrow(expect.objectContaining({ name: 'AbortError' }) as Error);
  });

  it('close() after an answer cancels nothing; an aborted signal sends nothing', async () => {
    const { client, calls } = signalNotingClient();
    const reader = directReader(client, 'BatchPrediction', 'bp-1');
    const read = reader.read(0, new AbortController().signal);
    calls[0]?.answer({ BatchPredictionId: 'bp-1', Status: 'COMPLETED' });
    await read;
    reader.close();
    expect(calls[0]?.signal?.aborted).toBe(false);
    const over = new AbortController();
    over.abort(new Error('over'));
    await expect(reader.read(0, over.signal)).rejects.toThrow('over');
    expect(calls).toHaveLength(1);
  });
});
