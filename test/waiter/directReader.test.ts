import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import { directReader } from '../../src/waiter/directReader.js';
import type { AmazonMLClientLike } from '../../src/waiter/WaitOptions.js';
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

  it('a read with a signal: its request is cancelled when the signal aborts, not by close()', async () => {
    const { client, calls } = signalNotingClient();
    const reader = directReader(client, 'BatchPrediction', 'bp-1');
    const caller = new AbortController();
    const read = reader.read(0, caller.signal);
    const request = calls[0]?.signal;
    // A client-like of its own gets a signal that follows the caller's (one fan-out listener on it).
    expect(request).toBeInstanceOf(AbortSignal);
    expect(request).not.toBe(caller.signal);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(1);
    reader.close();
    expect(request?.aborted).toBe(false);
    caller.abort(new Error('stop'));
    expect(request?.aborted).toBe(true);
    await expect(read).rejects.toThrow('stop');
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it('a client-like that throws instead of rejecting: the read rejects, and lets go of the caller’s signal', async () => {
    const client = {
      get: () => {
        throw new Error('not connected');
      },
    } as unknown as AmazonMLClientLike;
    const reader = directReader(client, 'BatchPrediction', 'bp-1');
    const caller = new AbortController();
    await expect(reader.read(0, caller.signal)).rejects.toThrow('not connected');
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it('this package’s client is given the caller’s signal itself: no AbortController per request', async () => {
    const client = new AmazonMLClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'not-a-secret' },
      env: {},
    });
    const given: (AbortSignal | undefined)[] = [];
    vi.spyOn(client, 'get').mockImplementation((_kind, id, options) => {
      given.push(options?.signal);
      return Promise.resolve({ BatchPredictionId: id, Status: 'PENDING' } as never);
    });
    const caller = new AbortController();
    const reader = directReader(client, 'BatchPrediction', 'bp-1');
    expect(await reader.read(0, caller.signal)).toMatchObject({ requested: true });
    expect(given).toEqual([caller.signal]);
    reader.close();
    await client.close();
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
