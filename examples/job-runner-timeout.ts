/**
 * `npm run example -- job-runner-timeout [timeoutMs]`: a job runner with a deadline and clean cancellation.
 *
 * - `timeoutMs` bounds the wait (a last poll is made at the deadline), then `WaitTimeoutError`;
 * - an `AbortSignal` cancels it: the first Ctrl-C (SIGINT) aborts the wait — the in-flight request is
 *   cancelled and nothing more is sent — and the runner exits 130; a second Ctrl-C exits at once.
 *
 * Exit codes: 0 completed, 1 failed or deleted, 124 timed out, 130 interrupted.
 */
import { AmazonMLClient, isWaitTimeoutError, isWaiterError, waitForBatchPrediction } from '../src/index.js';
import { startEmulator } from '../src/emulator/index.js';

const timeoutMs = Number(process.argv[2] ?? 3000);
const emulator = await startEmulator({ port: 0 });
const client = new AmazonMLClient({
  endpoint: emulator.endpoint,
  region: emulator.region,
  credentials: emulator.credentials,
});

// A job that runs for an hour: longer than this runner is willing to wait.
emulator.put('BatchPrediction', { BatchPredictionId: 'bp-nightly' }, [
  { status: 'PENDING', forMs: 1000 },
  { status: 'INPROGRESS', forMs: 3_600_000 },
  { status: 'COMPLETED' },
]);

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  console.log('SIGINT: cancelling the wait (Ctrl-C again to quit at once)');
  controller.abort(new Error('interrupted by SIGINT'));
});

console.log(`waiting for bp-nightly for at most ${timeoutMs} ms (Ctrl-C to cancel)`);
try {
  const done = await waitForBatchPrediction('bp-nightly', {
    client,
    timeoutMs,
    signal: controller.signal,
    minDelayMs: 250,
    maxDelayMs: 1000,
  });
  console.log(`completed: ${done.OutputUri ?? ''}`);
} catch (error) {
  if (controller.signal.aborted && error === controller.signal.reason) {
    console.log('cancelled: no request is in flight and none will be sent');
    process.exitCode = 130;
  } else if (isWaitTimeoutError(error)) {
    console.log(`timed out: last status ${error.lastStatus ?? 'unknown'} after ${error.attempts} requests`);
    process.exitCode = 124;
  } else if (isWaiterError(error)) {
    console.log(`${error.code}: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
} finally {
  await client.close();
  await emulator.close();
}
