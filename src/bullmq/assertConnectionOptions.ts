import { describeValue } from '../model/describeValue.js';

/**
 * @internal The check both fleet entry points (`openWaitQueue`, `startWaitWorker`) make before loading
 * bullmq: an options object with a Redis `connection`.
 * @throws {TypeError} naming `options` or `connection` and what was given.
 */
export function assertConnectionOptions(options: unknown): asserts options is { connection: unknown } {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`Expected \`options\` to be an object, got ${describeValue(options)}.`);
  }
  if ((options as { connection?: unknown }).connection === undefined) {
    throw new TypeError('Expected `connection` to be ioredis options or an ioredis instance, got undefined.');
  }
}
