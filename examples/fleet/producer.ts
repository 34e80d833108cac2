/**
 * The fleet producer: starts one batch prediction per id given on the command line (as a job runner
 * would), queues a wait on each, prints every transition the
 * workers publish, awaits every outcome, and exits 0 when all were awaited (1 if one could not be).
 * It never polls Amazon ML itself: the workers do. Any number of such processes can await the same ids.
 *
 *   REDIS_PORT=6379 tsx examples/fleet/producer.ts bp-1 bp-2 …
 *
 * Environment: REDIS_HOST, REDIS_PORT, FLEET_QUEUE (as for worker.ts), FLEET_TIMEOUT_MS (default 1 h),
 * and the usual AWS_* client configuration.
 */
import { AmazonMLClient, isWaiterError } from '../../src/index.js';
import { openWaitQueue } from '../../src/bullmq/index.js';

const ids = process.argv.slice(2);
if (ids.length === 0) {
  console.error('usage: producer.ts <batch-prediction-id>...');
  process.exit(2);
}

const waits = await openWaitQueue({
  connection: {
    host: process.env.REDIS_HOST ?? '127.0.0.1',
    port: Number(process.env.REDIS_PORT ?? 6379),
    maxRetriesPerRequest: null,
  },
  queueName: process.env.FLEET_QUEUE,
});

const stop = await waits.onTransition((t) => {
  console.log(`producer: ${t.id} ${t.from ?? '(new)'} → ${t.to} (request ${t.attempt}, ${t.elapsedMs} ms)`);
});

// The usual AWS_* configuration (here: the emulator's endpoint and test keys).
const client = new AmazonMLClient();
const timeoutMs = Number(process.env.FLEET_TIMEOUT_MS ?? 3_600_000);
for (const id of ids) {
  await client.createBatchPrediction({
    BatchPredictionId: id,
    MLModelId: 'ml-churn',
    BatchPredictionDataSourceId: 'ds-customers',
    OutputUri: `s3://analytics/predictions/${id}/`,
  });
  const { created } = await waits.enqueue('BatchPrediction', id, {
    timeoutMs,
    minDelayMs: 500,
    maxDelayMs: 2000,
  });
  console.log(`producer: ${id} ${created ? 'queued' : 'already queued: joined it'}`);
}

let unexpected = 0;
const outcomes = await Promise.allSettled(ids.map((id) => waits.result('BatchPrediction', id)));
outcomes.forEach((outcome, index) => {
  const id = ids[index] ?? '?';
  if (outcome.status === 'fulfilled') {
    console.log(`producer: ${id} COMPLETED (${outcome.value.TotalRecordCount ?? '?'} records)`);
  } else if (isWaiterError(outcome.reason)) {
    // A FAILED job is an outcome too: the error says why, with the history the workers saw.
    const statuses = outcome.reason.history.map((h) => h.status).join(' → ');
    console.log(`producer: ${id} ${outcome.reason.code}: ${outcome.reason.message} [${statuses}]`);
  } else {
    unexpected++;
    console.log(`producer: ${id} could not be awaited: ${String(outcome.reason)}`);
  }
});

stop();
await waits.close();
await client.close();
process.exitCode = unexpected === 0 ? 0 : 1;
