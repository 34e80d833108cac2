import { afterAll, afterEach, beforeAll } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import type { Emulator } from '../../src/emulator/Emulator.js';
import { startEmulator } from '../../src/emulator/startEmulator.js';
import { VirtualClock } from '../../src/model/VirtualClock.js';

/**
 * Starts one emulator on 127.0.0.1:0 for the file, driven by a fresh auto-advancing VirtualClock per test
 * (swapped in through the emulator's clock option), and a client pointed at it.
 */
export function useEmulator() {
  const state = {} as {
    emulator: Emulator;
    client: AmazonMLClient;
    clock: VirtualClock;
    /** The client config (for waits that own their client). */
    config: {
      endpoint: string;
      region: string;
      credentials: { accessKeyId: string; secretAccessKey: string };
    };
  };
  const clockProxy = {
    now: () => state.clock.now(),
    wallNow: () => state.clock.wallNow(),
    setTimeout: (cb: () => void, ms: number) => state.clock.setTimeout(cb, ms),
    clearTimeout: (handle: unknown) => {
      state.clock.clearTimeout(handle);
    },
  };
  beforeAll(async () => {
    state.clock = new VirtualClock({ autoAdvance: true });
    state.emulator = await startEmulator({ port: 0, clock: clockProxy });
    state.config = {
      endpoint: state.emulator.endpoint,
      region: state.emulator.region,
      credentials: { ...state.emulator.credentials },
    };
    state.client = new AmazonMLClient(state.config);
  });
  afterEach(() => {
    state.emulator.reset();
    state.clock = new VirtualClock({ autoAdvance: true });
  });
  afterAll(async () => {
    await state.client.close();
    await state.emulator.close();
  });
  return state;
}
