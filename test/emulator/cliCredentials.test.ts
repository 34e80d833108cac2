import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';

const MAIN = join(import.meta.dirname, '../../src/emulator/main.ts');
let child: ChildProcessWithoutNullStreams | undefined;

afterEach(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

/** Starts `aml-emulator` and resolves with its output once it prints the control line. */
function start(args: string[]): Promise<string> {
  const proc = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args]);
  child = proc;
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('# control:')) resolve(out);
    });
    proc.on('exit', (code) => {
      reject(new Error(`exited early with ${String(code)}: ${out}`));
    });
  });
}

function exported(out: string, name: string): string {
  const value = new RegExp(`^export ${name}=(\\S+)$`, 'm').exec(out)?.[1];
  expect(value, name).toBeDefined();
  return value!;
}

it('--tls --credential-endpoints: HTTPS with a CA bundle file, and the variables of the credential endpoints', async () => {
  const out = await start(['--port', '0', '--tls', '--credential-endpoints']);
  const endpoint = exported(out, 'AWS_ENDPOINT_URL_MACHINE_LEARNING');
  expect(endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const caBundle = exported(out, 'AWS_CA_BUNDLE');
  expect(readFileSync(caBundle, 'utf8')).toContain('-----BEGIN CERTIFICATE-----');
  expect(exported(out, 'AWS_ENDPOINT_URL_STS')).toBe(endpoint);
  expect(exported(out, 'AWS_ENDPOINT_URL_SSO')).toBe(endpoint);
  expect(exported(out, 'AWS_EC2_METADATA_SERVICE_ENDPOINT')).toBe(endpoint);
  expect(out).toMatch(
    /^# container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI=https:\/\/127\.0\.0\.1:\d+\/v2\/credentials\/aml-emulator AWS_CONTAINER_AUTHORIZATION_TOKEN=\S+$/m,
  );
  // The printed lines are all a client needs: AWS_CA_BUNDLE makes the self-signed server trusted.
  const env = Object.fromEntries([...out.matchAll(/^export (\w+)=(\S+)$/gm)].map((m) => [m[1]!, m[2]!]));
  const client = new AmazonMLClient({ env: { ...env, HOME: '/nonexistent-home' } });
  try {
    await expect(client.getBatchPrediction('bp-none')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  } finally {
    await client.close();
  }
  const exited = new Promise<number | null>((resolve) => child!.on('exit', resolve));
  child!.kill('SIGTERM');
  expect(await exited).toBe(0);
  // The CA bundle file goes with the process.
  expect(existsSync(caBundle)).toBe(false);
});
