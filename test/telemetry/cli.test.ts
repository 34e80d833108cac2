import { metrics, trace } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/run.js';
import { startEmulator, type Emulator } from '../../src/emulator/index.js';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import { memoryIo } from '../cli/helpers/memoryIo.js';
import { childrenOf, useOpenTelemetry } from './helpers/openTelemetryKit.js';

const otel = useOpenTelemetry();
let clock: VirtualClock;
let emu: Emulator;
let env: Record<string, string>;

beforeAll(() => {
  // As an application (or `node --import ./telemetry.mjs aml-wait …`) registers the SDK.
  trace.setGlobalTracerProvider(otel.tracerProvider);
});
afterAll(() => {
  trace.disable();
});
beforeEach(async () => {
  metrics.setGlobalMeterProvider(otel.meterProvider);
  clock = new VirtualClock({ autoAdvance: true });
  emu = await startEmulator({ port: 0, clock });
  env = {
    AWS_ENDPOINT_URL_MACHINE_LEARNING: emu.endpoint,
    AWS_REGION: emu.region,
    AWS_ACCESS_KEY_ID: emu.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: emu.credentials.secretAccessKey,
  };
  for (const id of ['bp-cli-1', 'bp-cli-2']) {
    emu.put('BatchPrediction', { BatchPredictionId: id }, [
      { status: 'INPROGRESS', forMs: 3000 },
      { status: 'COMPLETED' },
    ]);
  }
});
afterEach(async () => {
  metrics.disable();
  await emu.close();
});

describe('aml-wait and AML_WAITER_TELEMETRY', () => {
  it('=1: each wait is a span with its requests under it, reported to the global providers', async () => {
    const code = await run(
      ['--json', 'bp-cli-1', 'bp-cli-2'],
      memoryIo({ ...env, AML_WAITER_TELEMETRY: '1' }, { clock }),
    );
    expect(code).toBe(0);
    const spans = await otel.spans();
    const waits = spans.filter((span) => span.name === 'aml-waiter.wait');
    expect(waits.map((span) => span.attributes['aml_waiter.id']).sort()).toEqual(['bp-cli-1', 'bp-cli-2']);
    for (const wait of waits) {
      expect(wait.attributes['aml_waiter.outcome']).toBe('completed');
      const id = String(wait.attributes['aml_waiter.id']);
      expect(childrenOf(spans, wait)).toHaveLength(emu.requests().filter((r) => r.id === id).length);
    }
    expect(await otel.metric('aml_waiter.wait.duration')).toEqual([
      {
        attributes: { 'aml_waiter.kind': 'BatchPrediction', 'aml_waiter.outcome': 'completed' },
        value: { count: 2, sum: expect.any(Number) as number },
      },
    ]);
  });

  it('unset: nothing is reported', async () => {
    expect(await run(['--json', 'bp-cli-1'], memoryIo(env, { clock }))).toBe(0);
    expect(await otel.spans()).toEqual([]);
    expect(await otel.metric('aml_waiter.wait.duration')).toEqual([]);
  });
});
