/**
 * A fleet worker process: runs waits from the Redis queue until SIGTERM/SIGINT (then finishes its
 * running polls and exits 0). Started twice by `npm run fleet`; in production you would run one per
 * job-runner host, all with the same queue and Redis.
 *
 * Environment:
 *   REDIS_HOST, REDIS_PORT   where Redis is (default 127.0.0.1:6379)
 *   FLEET_QUEUE              BullMQ queue name (default aml-waits)
 *   FLEET_WORKER             a name for the log lines (default worker-<pid>)
 *   FLEET_CONCURRENCY        poll jobs at once (default 50)
 *   FLEET_RATE               fleet-wide requests per second (default: no limit)
 *   FLEET_LOCK_MS            lock duration: how soon a crashed worker's poll is taken over (default 30000)
 *   FLEET_STALLED_MS         how often to look for crashed workers' polls (default 30000)
 *   AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY   the usual client configuration
 */
import { startWaitWorker } from '../../src/bullmq/index.js';

function intFromEnv(name: string): number | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`Expected \`${name}\` to be an integer ≥ 1, got ${JSON.stringify(text)}.`);
  }
  return value;
}

const name = process.env.FLEET_WORKER ?? `worker-${process.pid}`;
const rate = intFromEnv('FLEET_RATE');
const worker = await startWaitWorker({
  connection: {
    host: process.env.REDIS_HOST ?? '127.0.0.1',
    port: intFromEnv('REDIS_PORT') ?? 6379,
    maxRetriesPerRequest: null,
  },
  queueName: process.env.FLEET_QUEUE,
  name,
  concurrency: intFromEnv('FLEET_CONCURRENCY'),
  limiter: rate === undefined ? undefined : { max: rate, duration: 1000 },
  lockDurationMs: intFromEnv('FLEET_LOCK_MS'),
  stalledIntervalMs: intFromEnv('FLEET_STALLED_MS'),
});

// Which worker polls what: one line per poll (a poll is one step of a wait's job, taken by whichever worker is free).
worker.worker.on('active', (job) => {
  const { id, attempts } = job.data.checkpoint;
  const recovered = job.stalledCounter > 0 ? ', recovered from a worker that stopped' : '';
  console.log(`${name}: polls ${id} (request ${attempts + 1}${recovered})`);
});
// A poll that a worker was running when it died: its lock ran out, and this worker moves it back to the queue.
worker.worker.on('stalled', (jobId) => {
  console.log(
    `${name}: ${jobId.replace(/^\w+\./, '')} was being polled by a worker that stopped: taking it over`,
  );
});
worker.worker.on('completed', (job) => {
  console.log(`${name}: ${job.data.checkpoint.id} COMPLETED`);
});
worker.worker.on('failed', (job, error) => {
  console.log(`${name}: ${job?.data.checkpoint.id ?? '?'} ended: ${error.message}`);
});
console.log(`${name}: ready (pid ${process.pid})`);

let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  void worker.close().then(() => {
    const { steps, requests } = worker.stats();
    console.log(`${name}: stopped after ${steps} polls (${requests} requests)`);
    process.exit(0);
  });
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
