/**
 * `npm run docs:screenshot`: takes the README's screenshot of the emulator console
 * (docs/emulator-console.png) with the same Chromium the browser tests drive. It starts an emulator with
 * the console on a virtual clock, builds a small scene (resources of the four kinds at different points
 * of their lifecycles, a wait's polls, a throttle fault and a slow request), opens the page in a
 * 1280×800 window and saves the whole page.
 */
import { fileURLToPath } from 'node:url';
import { AmazonMLClient } from '../src/client/AmazonMLClient.js';
import { startEmulator, VirtualClock } from '../src/emulator/index.js';
import { CHROMIUM_PART, launchChromium } from '../test/helpers/chromium.js';
import { provideDebianPart } from '../test/helpers/debianPart.js';
import { buildConsolePage } from './buildConsolePage.mjs';

const OUT = fileURLToPath(new URL('../docs/emulator-console.png', import.meta.url));

const chromiumPath = provideDebianPart(CHROMIUM_PART);
await buildConsolePage();

const clock = new VirtualClock({ startWallMs: Date.UTC(2026, 3, 12, 9, 30) });
const emu = await startEmulator({ console: true, clock, autoCreateReferences: true });
const client = new AmazonMLClient({
  endpoint: emu.endpoint,
  region: emu.region,
  credentials: emu.credentials,
});
const browser = await launchChromium(chromiumPath);
try {
  emu.put('MLModel', { MLModelId: 'ml-churn-v3', Name: 'Churn model v3', Status: 'COMPLETED' });
  emu.put('DataSource', { DataSourceId: 'ds-april', Name: 'April customers' }, [
    { status: 'PENDING', forMs: 8_000 },
    { status: 'INPROGRESS', forMs: 30_000 },
    { status: 'COMPLETED' },
  ]);
  clock.advance(20_000);
  emu.put('BatchPrediction', { BatchPredictionId: 'bp-nightly-0412', Name: 'Nightly scoring' }, [
    { status: 'PENDING', forMs: 10_000 },
    { status: 'INPROGRESS', forMs: 60_000 },
    { status: 'COMPLETED' },
  ]);
  emu.put('Evaluation', { EvaluationId: 'ev-churn-v3', Name: 'Churn v3 AUC' }, [
    { status: 'PENDING', forMs: 5_000 },
    { status: 'INPROGRESS', forMs: 12_000 },
    { status: 'FAILED', message: 'Evaluation data source has no rows' },
  ]);
  clock.advance(15_000);
  emu.put('BatchPrediction', { BatchPredictionId: 'bp-backfill-03', Name: 'March backfill' }, [
    { status: 'PENDING', forMs: 4_000 },
    { status: 'INPROGRESS', forMs: 45_000 },
    { status: 'COMPLETED' },
  ]);

  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${emu.consoleUrl as string}#token=${emu.controlToken}`);
  await page.waitForSelector('#connection[data-state="live"]');

  // A wait polling the nightly batch prediction, two throttled answers and one slow one among them.
  emu.addFault({
    kind: 'throttle',
    operation: 'GetBatchPrediction',
    id: 'bp-nightly-0412',
    skip: 4,
    times: 2,
  });
  emu.addFault({ kind: 'delay', ms: 240, operation: 'GetEvaluation', times: 1 });
  for (let i = 0; i < 14; i++) {
    await client.get('BatchPrediction', 'bp-nightly-0412').catch(() => undefined);
    if (i % 4 === 0) await client.get('Evaluation', 'ev-churn-v3').catch(() => undefined);
    clock.advance(1_000);
    await new Promise((resolve) => setTimeout(resolve, 120));
  }
  clock.advance(6_000);
  // The backfill was pushed to FAILED from the console (the timeline keeps its earlier phases).
  await page.waitForSelector('#resource-rows tr[data-id="bp-backfill-03"][data-status="INPROGRESS"]');
  emu.script('BatchPrediction', 'bp-backfill-03', [
    { status: 'FAILED', message: 'Pushed to FAILED from the console' },
  ]);
  clock.advance(3_000);
  await page.waitForSelector('#resource-rows tr[data-id="bp-backfill-03"][data-status="FAILED"]');
  await page.waitForTimeout(500);
  await page.screenshot({ path: OUT, fullPage: true });
  process.stdout.write(`wrote ${OUT}\n`);
} finally {
  await browser.close();
  await client.close();
  await emu.close();
}
