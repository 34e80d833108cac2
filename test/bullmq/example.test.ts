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
    const lines = output.split('\n');
    const killedAt = lines.findIndex((line) => line.startsWith('run: killing worker-1 (SIGKILL)'));
    // Which worker polls what: both poll before the kill…
    expect(
      lines.slice(0, killedAt).some((line) => /^worker-1: polls bp-fleet-\d+ \(request \d+/.test(line)),
    ).toBe(true);
    expect(
      lines.slice(0, killedAt).some((line) => /^worker-2: polls bp-fleet-\d+ \(request \d+/.test(line)),
    ).toBe(true);
    // …and worker-2 takes over the waits worker-1 polled last, each from its checkpoint (not from request 1).
    const held =
      /it polled last: (.*)\. worker-2 takes over/.exec(lines[killedAt] ?? '')?.[1]?.split(', ') ?? [];
    expect(held.length).toBeGreaterThan(0);
    const takenOver = lines
      .slice(killedAt + 1)
      .map((line) => /^run: worker-2 took over (bp-fleet-\d+) from worker-1 \(request (\d+),/.exec(line))
      .filter((match) => match !== null);
    expect(takenOver.length).toBeGreaterThan(0);
    for (const match of takenOver) {
      expect(lines.some((line) => line.startsWith(`worker-1: polls ${match[1] ?? ''} `))).toBe(true);
      expect(Number(match[2])).toBeGreaterThan(1);
    }
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
