/**
 * `npm run example -- progress-stream`: subscribe to a wait's events three ways.
 *
 * 1. the RxJS Observable (compose it with operators),
 * 2. the typed event emitter (listeners per event type),
 * 3. `for await` over the same events.
 */
import { filter, map } from 'rxjs';
import { AmazonMLClient, createBatchPredictionWaiter, watchBatchPrediction } from '../src/index.js';
import { startEmulator } from '../src/emulator/index.js';

const emulator = await startEmulator({ port: 0, lifecycle: { pendingMs: 1000, inProgressMs: 2000 } });
const client = new AmazonMLClient({
  endpoint: emulator.endpoint,
  region: emulator.region,
  credentials: emulator.credentials,
});
const options = { client, minDelayMs: 250, maxDelayMs: 1000 };

try {
  // 1. Observable: only the status transitions, as text. Each subscription is one wait.
  emulator.put('BatchPrediction', { BatchPredictionId: 'bp-observable' });
  await new Promise<void>((resolve, reject) => {
    watchBatchPrediction('bp-observable', options)
      .pipe(
        filter((event) => event.type === 'transition'),
        map(
          (event) =>
            `[observable] ${event.id}: ${event.from ?? 'new'} → ${event.to} after ${event.elapsedMs} ms`,
        ),
      )
      .subscribe({
        next: (line) => {
          console.log(line);
        },
        error: reject,
        complete: resolve,
      });
  });

  // 2. Event emitter: typed listeners; a throwing listener could not break the poller.
  emulator.put('BatchPrediction', { BatchPredictionId: 'bp-emitter' });
  const waiter = createBatchPredictionWaiter('bp-emitter', options);
  waiter.on('transition', ({ id, to }) => {
    console.log(`[emitter] ${id} is now ${to}`);
  });
  waiter.on('wait', ({ id, delayMs, nextPollAt }) => {
    console.log(`[emitter] ${id}: next poll in ${delayMs} ms (${nextPollAt.toISOString()})`);
  });
  const done = await waiter.result;
  console.log(`[emitter] result: ${done.BatchPredictionId} ${done.Status}`);

  // 3. for await: every event since the waiter was created, ending after the terminal one.
  let polls = 0;
  for await (const event of waiter) {
    if (event.type === 'poll') polls++;
  }
  console.log(`[for await] bp-emitter took ${polls} polls`);
} finally {
  await client.close();
  await emulator.close();
}
