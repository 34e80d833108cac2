import { afterAll, beforeAll } from 'vitest';
import { AmazonMLClient } from '../../../src/client/AmazonMLClient.js';
import type { Emulator } from '../../../src/emulator/Emulator.js';
import { startEmulator } from '../../../src/emulator/startEmulator.js';
import { startRedisServer, type RedisServer } from '../../../examples/fleet/redisServer.js';

/**
 * One redis-server on a free loopback port and one emulator (system clock: BullMQ's delays are Redis
 * wall-clock time) for the test file; both stopped afterwards. When the set-up fails part-way, only what
 * did start is stopped, so the file reports the set-up's error alone.
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
  /** What the set-up started, to stop in reverse order. */
  const stops: (() => Promise<void>)[] = [];
  beforeAll(async () => {
    state.redis = await startRedisServer();
    stops.push(() => state.redis.stop());
    state.emulator = await startEmulator({ port: 0, maxLogEntries: 1_000_000 });
    stops.push(() => state.emulator.close());
    state.connection = { host: state.redis.host, port: state.redis.port, maxRetriesPerRequest: null };
    state.clientConfig = {
      endpoint: state.emulator.endpoint,
      region: state.emulator.region,
      credentials: { ...state.emulator.credentials },
    };
    state.client = new AmazonMLClient(state.clientConfig);
    stops.push(() => state.client.close());
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
  });
  return Object.assign(state, {
    /** A queue name of its own for each test. */
    queueName: (): string => `aml-test-${++queueNumber}`,
  });
}
