/**
 * `npm run demo`: the main job of aml-waiter, end to end on the embedded emulator.
 *
 * A pipeline creates a data source and an ML model, waits for both, then starts three batch predictions and
 * waits on all three at once: one completes, one fails (its data source does not exist), and one is deleted
 * while it runs. Each status change is printed as it is seen (every poll too with `npm run demo -- --polls`); the
 * outcome of each wait is printed at the end. Exits 0.
 */
import { styleText } from 'node:util';
import {
  AmazonMLClient,
  createBatchPredictionWaiter,
  isResourceDeletedError,
  isResourceFailedError,
  waitForDataSource,
  waitForMLModel,
  type WaitEvent,
} from '../src/index.js';
import { startEmulator } from '../src/emulator/index.js';

const stream = process.stdout;
/** Colours one piece of a line; a piece never holds a newline, so every colour is reset before the line ends. */
const paint = (format: Parameters<typeof styleText>[0], text: string) => styleText(format, text, { stream });
/** `--polls`: also print each poll and the delay before the next one. */
const showPolls = process.argv.includes('--polls');
const started = performance.now();
const stamp = () => paint('dim', `[${((performance.now() - started) / 1000).toFixed(1).padStart(5)} s]`);
const log = (line: string) => {
  console.log(`${stamp()} ${line}`);
};

function describeEvent(event: WaitEvent): string | undefined {
  switch (event.type) {
    case 'transition':
      return `${paint('bold', event.id)} ${event.from ?? '(first seen)'} → ${paint('cyan', event.to)}`;
    case 'retry':
      return `${paint('bold', event.id)} ${paint('yellow', `retrying in ${event.delayMs} ms`)} (${(event.error as Error).name})`;
    case 'wait':
      return showPolls
        ? `${paint('bold', event.id)} ${paint('dim', `poll #${event.attempt} done, next in ${event.delayMs} ms`)}`
        : undefined;
    case 'poll':
      return undefined;
  }
}

/** Seconds, one decimal: `4.5 s`. */
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** How long the job itself ran, from its own timestamps (creation to finish), when it has them. */
function ranFor(resource: { CreatedAt?: Date; FinishedAt?: Date; LastUpdatedAt?: Date } | undefined): string {
  const end = resource?.FinishedAt ?? resource?.LastUpdatedAt;
  if (resource?.CreatedAt === undefined || end === undefined) return '';
  return `${seconds(end.getTime() - resource.CreatedAt.getTime())} after creation; `;
}

// 1. The emulator, in this process, on a free loopback port. Batch predictions take about 6 s.
const emulator = await startEmulator({
  port: 0,
  lifecycle: {
    pendingMs: 300,
    inProgressMs: 700,
    byKind: {
      BatchPrediction: {
        pendingMs: 1500,
        inProgressMs: 4500,
        totalRecordCount: 25_000,
        invalidRecordCount: 12,
      },
    },
  },
});
log(`emulator listening on ${emulator.endpoint} (${emulator.region})`);

// 2. One client for every call and every wait: one connection pool, one set of credentials.
const client = new AmazonMLClient({
  endpoint: emulator.endpoint,
  region: emulator.region,
  credentials: emulator.credentials,
});
const fast = { client, minDelayMs: 500, maxDelayMs: 2000 };

try {
  await client.createDataSourceFromS3({
    DataSourceId: 'ds-demo',
    DataSourceName: 'Demo training data',
    DataSpec: { DataLocationS3: 's3://demo-bucket/train.csv' },
  });
  log('created data source ds-demo');
  await waitForDataSource('ds-demo', fast);
  log(`data source ds-demo is ${paint('green', 'COMPLETED')}`);

  await client.createMLModel({
    MLModelId: 'ml-demo',
    MLModelType: 'BINARY',
    TrainingDataSourceId: 'ds-demo',
  });
  log('created ML model ml-demo');
  await waitForMLModel('ml-demo', fast);
  log(`ML model ml-demo is ${paint('green', 'COMPLETED')}`);

  // 3. Three batch predictions.
  const jobs = [
    { id: 'bp-demo-complete', dataSource: 'ds-demo', note: 'will complete' },
    {
      id: 'bp-demo-fail',
      dataSource: 'ds-does-not-exist',
      note: 'will fail: its data source does not exist',
    },
    { id: 'bp-demo-delete', dataSource: 'ds-demo', note: 'will be deleted while it runs' },
  ];
  for (const job of jobs) {
    await client.createBatchPrediction({
      BatchPredictionId: job.id,
      MLModelId: 'ml-demo',
      BatchPredictionDataSourceId: job.dataSource,
      OutputUri: `s3://demo-bucket/out/${job.id}/`,
    });
    log(`created batch prediction ${job.id} (${job.note})`);
  }

  // 4. Wait on all three at once, with live progress from the typed events.
  const waiters = jobs.map((job) => createBatchPredictionWaiter(job.id, fast));
  for (const waiter of waiters) {
    for (const type of ['transition', 'retry', 'wait'] as const) {
      waiter.on(type, (event: WaitEvent) => {
        const line = describeEvent(event);
        if (line !== undefined) log(line);
      });
    }
  }
  waiters[2]!.on('transition', ({ to }) => {
    if (to === 'INPROGRESS') {
      log(`deleting ${paint('bold', 'bp-demo-delete')} while it runs`);
      void client.deleteBatchPrediction('bp-demo-delete');
    }
  });

  const outcomes = await Promise.allSettled(waiters.map((waiter) => waiter.result));

  // 5. The outcome of each wait: what happened, said once (the id is in its own column), and what "after" measures.
  console.log(`\n${paint('bold', 'Outcomes')}`);
  const idWidth = Math.max(...jobs.map((job) => job.id.length));
  outcomes.forEach((outcome, index) => {
    const id = jobs[index]!.id.padEnd(idWidth);
    if (outcome.status === 'fulfilled') {
      const bp = outcome.value;
      console.log(
        `  ${paint('green', '✔ COMPLETED')}  ${id}  ${bp.TotalRecordCount} records (${bp.InvalidRecordCount} invalid) → ${bp.OutputUri}`,
      );
    } else if (isResourceFailedError(outcome.reason)) {
      const error = outcome.reason;
      const reason = error.lastResource?.Message?.replace(/[.!]+$/, '') ?? 'the service gave no message';
      console.log(
        `  ${paint('red', '✘ FAILED')}     ${id}  ${reason} (${ranFor(error.lastResource)}seen after ${seconds(error.elapsedMs)} of waiting)`,
      );
    } else if (isResourceDeletedError(outcome.reason)) {
      const error = outcome.reason;
      const before = error.history.at(-2)?.status;
      console.log(
        `  ${paint('yellow', '✘ DELETED')}    ${id}  deleted${before === undefined ? '' : ` while ${before}`} (${ranFor(error.lastResource)}seen after ${seconds(error.elapsedMs)} of waiting)`,
      );
    } else {
      throw outcome.reason;
    }
  });
  console.log(`\nDone in ${((performance.now() - started) / 1000).toFixed(1)} s.`);
} finally {
  await client.close();
  await emulator.close();
}
