import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MISSING_OPENTELEMETRY_MESSAGE } from '../../src/client/openTelemetryApi.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/telemetry-module-graph.ts', import.meta.url));
const RECORDER = fileURLToPath(new URL('../fixtures/recordOpenTelemetryImports.mjs', import.meta.url));

interface GraphRun {
  readonly outcome: string;
  readonly requests: number;
  readonly imports: readonly string[];
}

/** Runs the fixture in a fresh Node process with `telemetry` on or off (and the API present or not). */
function run(telemetry: 'on' | 'off', apiInstalled: boolean): Promise<GraphRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', RECORDER, FIXTURE, telemetry], {
      env: { ...process.env, OTEL_ABSENT: apiInstalled ? '0' : '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      try {
        expect(code).toBe(0);
        resolve(JSON.parse(out.trim()) as GraphRun);
      } catch {
        reject(new Error(`unexpected child output (exit ${code}): ${out} ${err}`));
      }
    });
  });
}

describe('with telemetry off, nothing of OpenTelemetry is loaded (module graph of a fresh process)', () => {
  it('off, with @opentelemetry/api installed: the wait completes and no @opentelemetry module is resolved', async () => {
    expect(await run('off', true)).toEqual({ outcome: 'COMPLETED', requests: 1, imports: [] });
  });

  it('off, with the API not installed: the same', async () => {
    expect(await run('off', false)).toEqual({ outcome: 'COMPLETED', requests: 1, imports: [] });
  });

  it('on: @opentelemetry/api is loaded (and only it), lazily', async () => {
    expect(await run('on', true)).toEqual({
      outcome: 'COMPLETED',
      requests: 1,
      imports: ['@opentelemetry/api'],
    });
  });

  it('on, with the API not installed: the wait fails with a message saying what to install, before any request', async () => {
    expect(await run('on', false)).toEqual({
      outcome: MISSING_OPENTELEMETRY_MESSAGE,
      requests: 0,
      imports: ['@opentelemetry/api'],
    });
  });
});
