import { afterAll, beforeAll } from 'vitest';
import { AmazonMLClient } from '../../../src/client/AmazonMLClient.js';
import type { Emulator } from '../../../src/emulator/Emulator.js';
import { startEmulator } from '../../../src/emulator/startEmulator.js';
import { startRedisServer, type RedisServer } from '../../../examples/fleet/redisServer.js';

/**
 * One redis-server on a free loopback port and one emulator (system clock: BullMQ's delays are Redis
 * wall-clock time) for the test file; both stopped afterwards.
 */
export function useFleet() {
  const state = {} as {
    redis: RedisServer;
    emulator: Emulator;
    client: AmazonMLClient;
    connection: { host: string; port: number; maxRetriesPerRequest: null };
    clientConfig: {
      endpoint: string;
      region: string;
      credentials: { accessKeyId: string; secretAccessKey: string };
    };
  };
  let queueNumber = 0;
  beforeAll(async () => {
    state.redis = await startRedisServer();
    state.emulator = await startEmulator({ port: 0, maxLogEntries: 1_000_000 });
    state.connection = { host: state.redis.host, port: state.redis.port, maxRetriesPerRequest: null };
    state.clientConfig = {
      endpoint: state.emulator.endpoint,
      region: state.emulator.region,
      credentials: { ...state.emulator.credentials },
    };
    state.client = new AmazonMLClient(state.clientConfig);
  });
  afterAll(async () => {
    await state.client.close();
    await state.emulator.close();
    await state.redis.stop();
  });
  return Object.assign(state, {
    /** A queue name of its own for each test. */
    queueName: (): string => `aml-test-${++queueNumber}`,
  });
}
