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

test("the emulator's set-up lines, pasted into a shell as printed, are all aml-wait needs", async () => {
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
        if (out.includes('boto3.client(') && out.endsWith('\n')) resolve(out);
      });
      emulator.on('exit', (code) => {
        reject(new Error(`aml-emulator exited with ${String(code)}: ${out}`));
      });
    });
    // Every line is a comment or an export: the whole banner goes into the shell as printed.
    const lines = banner.trimEnd().split('\n');
    expect(lines.filter((line) => !line.startsWith('#')).map((line) => line.replace(/=.*/, ''))).toEqual([
      'export AWS_ENDPOINT_URL_MACHINE_LEARNING',
      'export AWS_REGION',
      'export AWS_ACCESS_KEY_ID',
      'export AWS_SECRET_ACCESS_KEY',
      'export AML_EMULATOR_TOKEN',
    ]);
    const endpoint = /^export AWS_ENDPOINT_URL_MACHINE_LEARNING=(\S+)$/m.exec(banner)?.[1];
    expect(banner).toContain(`--endpoint-url ${endpoint!}\n`);
    const script = `${banner}\nprintf '%s %s %s\\n' "$AWS_REGION" "$AWS_DEFAULT_REGION" "$AML_EMULATOR_TOKEN" >&2\nexec "${process.execPath}" --import tsx ${MAIN} --once seeded-done seeded-failed`;
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
    // The region reaches both the SDKs (AWS_REGION) and the AWS CLI v1 (AWS_DEFAULT_REGION); the token is set.
    expect(result.stderr).toMatch(/^us-east-1 us-east-1 [A-Za-z0-9_-]{16,}\n$/);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(
      /^ID +STATUS +ELAPSED +RECORDS +MESSAGE\nseeded-done +COMPLETED +\S+ (ms|s) +9\nseeded-failed +FAILED .* Nope\n$/,
    );
  } finally {
    emulator.kill('SIGINT');
  }
});
