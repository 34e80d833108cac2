import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Emulator } from '../../src/emulator/Emulator.js';
import { startEmulator } from '../../src/emulator/startEmulator.js';

const FIXTURE = fileURLToPath(new URL('../fixtures/wait-then-exit.ts', import.meta.url));
let emulator: Emulator;

beforeAll(async () => {
  emulator = await startEmulator({ port: 0 });
});
afterAll(async () => {
  await emulator.close();
});

/** Runs the fixture in a fresh Node process; resolves with its output and the ms between its last line and its exit. */
function runChild(
  args: string[],
): Promise<{ code: number | null; result: Record<string, unknown>; exitLagMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE, ...args], {
      env: {
        ...process.env,
        AWS_ENDPOINT_URL_MACHINE_LEARNING: emulator.endpoint,
        AWS_REGION: emulator.region,
        AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: emulator.credentials.secretAccessKey,
        AWS_PROFILE: '',
        AWS_CONFIG_FILE: '/nonexistent',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let printedAt = 0;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      printedAt = performance.now();
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the child did not exit by itself; output: ${out} ${stderr}`));
    }, 60_000);
    child.on('exit', (code) => {
      clearTimeout(killer);
      try {
        resolve({
          code,
          result: JSON.parse(out.trim()) as Record<string, unknown>,
          exitLagMs: performance.now() - printedAt,
        });
      } catch {
        reject(new Error(`unexpected child output: ${out} ${stderr}`));
      }
    });
  });
}

// Nothing may keep the event loop alive after the outcome: the process exits within a moment of printing it.
// The fixture sleeps at least 2 s between polls, so a leaked timer would hold the process for over a second.
describe('the process exits by itself right after the result', () => {
  it('after COMPLETED', async () => {
    emulator.put('BatchPrediction', { BatchPredictionId: 'bp-exit-ok' }, [
      { status: 'PENDING', forMs: 4000 }, // outlasts the child's start-up, so it sleeps at least once
      { status: 'COMPLETED' },
    ]);
    const { code, result, exitLagMs } = await runChild(['bp-exit-ok']);
    expect(result).toMatchObject({ ok: true, status: 'COMPLETED' });
    expect(result.ms).toBeGreaterThanOrEqual(2000); // it slept once between two polls
    expect(code).toBe(0);
    expect(exitLagMs).toBeLessThan(1000);
  });

  it('after FAILED', async () => {
    emulator.put('BatchPrediction', { BatchPredictionId: 'bp-exit-fail' }, [
      { status: 'FAILED', message: 'no' },
    ]);
    const { result, exitLagMs } = await runChild(['bp-exit-fail']);
    expect(result).toMatchObject({ ok: false, code: 'RESOURCE_FAILED' });
    expect(exitLagMs).toBeLessThan(1000);
  });

  it('after a timeout', async () => {
    emulator.put('BatchPrediction', { BatchPredictionId: 'bp-exit-slow' }, [{ status: 'PENDING' }]);
    const { result, exitLagMs } = await runChild(['bp-exit-slow', '300']);
    expect(result).toMatchObject({ ok: false, code: 'WAIT_TIMEOUT' });
    expect(result.ms).toBeGreaterThanOrEqual(300);
    expect(exitLagMs).toBeLessThan(1000);
  });

  it('after an abort', async () => {
    emulator.put('BatchPrediction', { BatchPredictionId: 'bp-exit-abort' }, [{ status: 'PENDING' }]);
    const { result, exitLagMs } = await runChild(['bp-exit-abort', '60000', '200']);
    expect(result).toMatchObject({ ok: false, name: 'Error' });
    expect(exitLagMs).toBeLessThan(1000);
  });

  it('after a request error (not found)', async () => {
    const { result, exitLagMs } = await runChild(['bp-exit-missing']);
    expect(result).toMatchObject({ ok: false, code: 'REQUEST_FAILED' });
    expect(exitLagMs).toBeLessThan(1000);
  });
});
