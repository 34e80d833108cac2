import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { MAIN, ROOT, cleanEnv } from './helpers/spawnCli.js';

// `aml-emulator` and `aml-wait` together, as a user would run them: the export lines the emulator
// prints are pasted into a shell that then runs aml-wait.
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aml-wait-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

test("the emulator's export lines are all aml-wait needs", async () => {
  const seed = join(dir, 'seed.json');
  await writeFile(
    seed,
    JSON.stringify({
      resources: [
        {
          kind: 'BatchPrediction',
          resource: { BatchPredictionId: 'seeded-done', Status: 'COMPLETED', TotalRecordCount: 9 },
        },
        {
          kind: 'BatchPrediction',
          resource: { BatchPredictionId: 'seeded-failed', Status: 'FAILED', Message: 'Nope' },
        },
      ],
    }),
  );
  const emulator = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/emulator/main.ts', '--port', '0', '--seed', seed],
    {
      cwd: ROOT,
      env: cleanEnv({}),
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  try {
    const banner = await new Promise<string>((resolve, reject) => {
      let out = '';
      emulator.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        out += chunk;
        if (out.includes('AWS_SECRET_ACCESS_KEY=') && out.endsWith('\n')) resolve(out);
      });
      emulator.on('exit', (code) => {
        reject(new Error(`aml-emulator exited with ${String(code)}: ${out}`));
      });
    });
    const exports = banner.split('\n').filter((line) => line.startsWith('export AWS_'));
    expect(exports.map((line) => line.replace(/=.*/, ''))).toEqual([
      'export AWS_ENDPOINT_URL_MACHINE_LEARNING',
      'export AWS_REGION',
      'export AWS_ACCESS_KEY_ID',
      'export AWS_SECRET_ACCESS_KEY',
    ]);
    const script = `${exports.join('\n')}\nexec "${process.execPath}" --import tsx ${MAIN} --once seeded-done seeded-failed`;
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
      (resolve, reject) => {
        const shell = spawn('/bin/sh', ['-c', script], { cwd: ROOT, env: cleanEnv({}), stdio: 'pipe' });
        let stdout = '';
        let stderr = '';
        shell.stdout.setEncoding('utf8').on('data', (chunk: string) => {
          stdout += chunk;
        });
        shell.stderr.setEncoding('utf8').on('data', (chunk: string) => {
          stderr += chunk;
        });
        shell.on('error', reject);
        shell.on('close', (code) => {
          resolve({ code, stdout, stderr });
        });
      },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^ID +STATUS +ELAPSED +RECORDS +MESSAGE\nseeded-done +COMPLETED +\S+ (ms|s) +9\nseeded-failed +FAILED .* Nope\n$/,
    );
  } finally {
    emulator.kill('SIGINT');
  }
});
