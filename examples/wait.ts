/**
 * `npm run example -- wait`: await a batch prediction in a data pipeline.
 *
 * Starts the embedded emulator (against real AWS you would drop it and rely on the usual AWS_* configuration),
 * creates a batch prediction, awaits it, and hands the output location to the next step. A FAILED or DELETED
 * job, a timeout or a request error rejects with a typed WaiterError, so the pipeline can say precisely why.
 */
import { AmazonMLClient, isWaiterError, waitForBatchPrediction } from '../src/index.js';
import { startEmulator } from '../src/emulator/index.js';

const emulator = await startEmulator({ port: 0, autoCreateReferences: true });
const client = new AmazonMLClient({
  endpoint: emulator.endpoint,
  region: emulator.region,
  credentials: emulator.credentials,
});

try {
  const { BatchPredictionId } = await client.createBatchPrediction({
    BatchPredictionId: 'bp-pipeline-1',
    MLModelId: 'ml-churn',
    BatchPredictionDataSourceId: 'ds-customers',
    OutputUri: 's3://analytics/predictions/2026-11-27/',
  });
  console.log(`started ${BatchPredictionId}`);

  // The whole wait in one line: resolves with the COMPLETED batch prediction.
  const done = await waitForBatchPrediction(BatchPredictionId, {
    client,
    timeoutMs: 60 * 60 * 1000,
    minDelayMs: 500,
  });

  console.log(
    `completed: ${done.TotalRecordCount} records (${done.InvalidRecordCount} invalid) in ${done.OutputUri}`,
  );
  console.log('next step: load the predictions into the warehouse');
} catch (error) {
  if (isWaiterError(error)) {
    // code, id, lastResource, history, attempts and elapsedMs say exactly what happened.
    console.error(`${error.code}: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
} finally {
  await client.close();
  await emulator.close();
}
