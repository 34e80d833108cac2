import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * scripts/run-example.mjs, run as `node scripts/run-example.mjs ...` in a throwaway copy of the repository layout
 * (scripts/, examples/ with fixture examples, node_modules linked to the real one), so that the tests do not
 * depend on the project's real examples.
 */

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const FIXTURES: Record<string, string> = {
  // Prints its argv and exits with the code given as first argument; imports a sibling .ts file.
  'echo.ts': [
    "import { label } from './lib/label.js';",
    'const code: number = Number(process.argv[2] ?? 0);',
    'console.log(JSON.stringify({ label: label(), argv: process.argv.slice(1) }));',
    'process.exitCode = code;',
    '',
  ].join('\n'),
  'lib/label.ts': "export const label = (): string => 'from-lib';\n",
  'throws.ts': "throw new Error('example failed on purpose');\n",
  // Counts SIGINTs: a wrapper that forwarded a terminal Ctrl-C a second time would show up as "SIGINT 2".
  'signal.ts': [
    'let received = 0;',
    "process.on('SIGINT', () => {",
    '  received++;',
    '  console.log(`SIGINT ${received}`);',
    '  setTimeout(() => process.exit(130), 200);',
    '});',
    'setInterval(() => undefined, 1000);',
    "console.log('ready');",
    '',
  ].join('\n'),
  'demo.ts': "console.log('demo');\n",
};

let sandbox: string;

beforeAll(() => {
  sandbox = mkdtempSync(path.join(os.tmpdir(), 'aml-waiter-run-example-'));
  mkdirSync(path.join(sandbox, 'scripts'));
  mkdirSync(path.join(sandbox, 'examples', 'lib'), { recursive: true });
  copyFileSync(
    path.join(repoRoot, 'scripts', 'run-example.mjs'),
    path.join(sandbox, 'scripts', 'run-example.mjs'),
  );
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(sandbox, 'node_modules'), 'dir');
  writeFileSync(
    path.join(sandbox, 'package.json'),
    '{ "name": "sandbox", "private": true, "type": "module" }\n',
  );
  for (const [file, source] of Object.entries(FIXTURES)) {
    writeFileSync(path.join(sandbox, 'examples', file), source);
  }
});

afterAll(() => {
  rmSync(sandbox, { recursive: true, force: true });
});

interface Outcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the script in its own process group; `onStdout` sees the stdout so far and the child's pid (to signal the
 * whole group, as a terminal's Ctrl-C does).
 */
function runScript(args: string[], onStdout?: (text: string, pid: number) => void): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(sandbox, 'scripts', 'run-example.mjs'), ...args], {
      cwd: sandbox,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (child.pid !== undefined) onStdout?.(stdout, child.pid);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      resolve({ code, signal, stdout, stderr });
    });
  });
}

const LISTED = ['echo', 'signal', 'throws'];

describe('scripts/run-example.mjs', () => {
  it('lists the examples (without demo) on stderr and exits 2 when no name is given', async () => {
    const outcome = await runScript([]);
    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toContain('Missing example name.');
    expect(outcome.stderr).toContain('Usage: npm run example -- <name> [args...]');
    expect(outcome.stderr).toContain(
      `Available examples (examples/<name>.ts):\n${LISTED.map((n) => `  ${n}`).join('\n')}\n`,
    );
    expect(outcome.stderr).not.toContain('demo');
  });

  it('names an unknown example in backticks, lists the known ones and exits 2', async () => {
    const outcome = await runScript(['nope', 'arg']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('Unknown example `nope`.');
    expect(outcome.stderr).toContain(LISTED.map((n) => `  ${n}`).join('\n'));
  });

  it('does not treat a path outside examples/ as a name', async () => {
    const outcome = await runScript(['../scripts/run-example']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('Unknown example `../scripts/run-example`.');
  });

  it('points demo at its own script', async () => {
    const outcome = await runScript(['demo']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('Example `demo` has its own script: run `npm run demo`.');
  });

  it('prints the names one per line on stdout with --list and exits 0', async () => {
    const outcome = await runScript(['--list']);
    expect(outcome).toMatchObject({ code: 0, stderr: '' });
    expect(outcome.stdout).toBe(`${LISTED.join('\n')}\n`);
  });

  it('runs the example with tsx, forwarding its arguments and its exit code', async () => {
    const outcome = await runScript(['echo', '7', '--flag', 'two words']);
    expect(outcome.code).toBe(7);
    expect(outcome.stderr).toBe('');
    expect(JSON.parse(outcome.stdout)).toEqual({
      label: 'from-lib',
      argv: [path.join(sandbox, 'examples', 'echo.ts'), '7', '--flag', 'two words'],
    });
  });

  it('accepts the file name with .ts and the examples/ prefix', async () => {
    for (const name of ['echo.ts', 'examples/echo.ts']) {
      const outcome = await runScript([name, '0']);
      expect(outcome.code).toBe(0);
      expect(JSON.parse(outcome.stdout)).toMatchObject({ label: 'from-lib' });
    }
  });

  it('exits 1 with the error and its .ts location when the example throws', async () => {
    const outcome = await runScript(['throws']);
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('Error: example failed on purpose');
    expect(outcome.stderr).toContain(`${path.join(sandbox, 'examples', 'throws.ts')}:1`);
  });

  it('lets a Ctrl-C (SIGINT to the process group) reach the example exactly once, and keeps its exit code', async () => {
    let sent = false;
    const outcome = await runScript(['signal'], (stdout, pid) => {
      if (!sent && stdout.includes('ready')) {
        sent = true;
        process.kill(-pid, 'SIGINT');
      }
    });
    expect(outcome.stdout).toBe('ready\nSIGINT 1\n');
    expect(outcome.code).toBe(130);
  });
});
