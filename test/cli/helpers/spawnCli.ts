import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The repository root (tests spawn `src/cli/main.ts` through tsx, so no build is needed). */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const MAIN = 'src/cli/main.ts';

/** A spawned process still running after this long is killed (the test has failed by then anyway). */
const KILL_AFTER_MS = 19_000;

export interface CliRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A clean environment for a spawned CLI: PATH, a HOME without AWS files, and `extra`. Nothing is
 * inherited from the test runner (which may set FORCE_COLOR or AWS_* variables).
 */
export function cleanEnv(extra: Record<string, string | undefined>): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: '/nonexistent-home',
  };
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
  return env;
}

/**
 * Runs `node --import tsx src/cli/main.ts …args` and collects its output. `onOutput` sees stdout and
 * stderr as they grow (to drive the emulator from what the CLI has seen) and may return a signal to
 * send (once).
 */
export function spawnCli(
  args: readonly string[],
  env: Record<string, string>,
  onOutput?: (output: { stdout: string; stderr: string }) => NodeJS.Signals | undefined,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      cwd: ROOT,
      env,
      stdio: 'pipe',
    });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const check = (): void => {
      if (signalled || !onOutput) return;
      const signal = onOutput({ stdout, stderr });
      if (signal !== undefined) {
        signalled = true;
        child.kill(signal);
      }
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      check();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      check();
    });
    // Never leave a process behind, even when a test fails before it would have signalled it.
    const guard = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    guard.unref();
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Runs a command under a real pseudo-terminal with `script(1)`; stdout is everything the terminal showed.
 * `onOutput` may return keystrokes to type into the terminal (e.g. `\x03` for Ctrl-C), once.
 */
export function spawnInPty(
  command: string,
  env: Record<string, string>,
  onOutput?: (screen: string) => string | undefined,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/script', ['-q', '-e', '-c', command, '/dev/null'], {
      cwd: ROOT,
      env,
      stdio: 'pipe',
    });
    let stdout = '';
    let stderr = '';
    let typed = false;
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      const keys = typed ? undefined : onOutput?.(stdout);
      if (keys !== undefined) {
        typed = true;
        child.stdin.write(keys);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    // Never leave a process behind, even when a test fails before it would have signalled it.
    const guard = setTimeout(() => child.kill('SIGKILL'), KILL_AFTER_MS);
    guard.unref();
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
