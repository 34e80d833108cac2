import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run fleet', () => {
  it('runs the producer and two workers; a worker is killed and every wait still ends', async () => {
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn('npm', ['run', '--silent', 'fleet'], {
        cwd: ROOT,
        env: { ...process.env, NO_COLOR: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (text += chunk.toString()));
      const killer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`npm run fleet did not finish:\n${text}`));
      }, 100_000);
      child.on('exit', (exitCode) => {
        clearTimeout(killer);
        resolve({ code: exitCode, output: text });
      });
    });
    expect(code, output).toBe(0);
    expect(output).toContain('run: killing worker-1 (SIGKILL)');
    // One final line per batch prediction, each COMPLETED or FAILED with the history the workers saw.
    const finals = output
      .split('\n')
      .filter((line) => /^producer: bp-fleet-\d+ (COMPLETED \(|RESOURCE_FAILED: )/.test(line));
    expect(finals).toHaveLength(12);
    for (const line of finals.filter((l) => l.includes('RESOURCE_FAILED'))) {
      expect(line).toMatch(/\[PENDING → INPROGRESS → FAILED\]$/);
    }
    expect(output).toMatch(/worker-2: stopped after \d+ polls/);
    expect(output).toContain('run: done (producer exited 0)');
  }, 120_000);
});
