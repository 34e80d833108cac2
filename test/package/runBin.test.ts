import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, utimesSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * `npm run aml-wait -- …` and `npm run emulator -- …` in a checkout (scripts/run-bin.mjs), in a throwaway copy of
 * the repository (src/, scripts/, package.json, tsconfigs; node_modules linked to the real one), so that building
 * its dist/ does not touch the project's.
 */
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const version = (
  JSON.parse(
    spawnSync(process.execPath, ['-p', 'JSON.stringify(require("./package.json"))'], {
      cwd: repoRoot,
      encoding: 'utf8',
    }).stdout,
  ) as { version: string }
).version;
let copy: string;

beforeAll(() => {
  copy = mkdtempSync(path.join(os.tmpdir(), 'aml-run-bin-'));
  for (const entry of ['src', 'scripts', 'package.json', 'tsconfig.json', 'tsconfig.build.json']) {
    cpSync(path.join(repoRoot, entry), path.join(copy, entry), { recursive: true });
  }
  symlinkSync(path.join(repoRoot, 'node_modules'), path.join(copy, 'node_modules'), 'dir');
});

afterAll(() => {
  rmSync(copy, { recursive: true, force: true });
});

function npmRun(script: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync('npm', ['run', '--silent', script, '--', ...args], {
    cwd: copy,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
    timeout: 240_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the binaries from a checkout', () => {
  it('build dist/ when it is missing, then run; not again while it is fresh; again once it is older than a source', () => {
    const first = npmRun('aml-wait', '--version');
    // The build's own lines go to stderr: stdout is the binary's alone.
    expect([first.code, first.stdout]).toEqual([0, `${version}\n`]);
    expect(first.stderr).toContain('dist/ is missing: building it first (npm run build)…\n');

    const second = npmRun('emulator', '--version');
    expect([second.code, second.stdout, second.stderr]).toEqual([0, `${version}\n`, '']);

    // A build from before the last edit of a source: dist/cli/main.js an hour older than src/.
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(path.join(copy, 'dist', 'cli', 'main.js'), hourAgo, hourAgo);
    const third = npmRun('aml-wait', '--help');
    expect(third.code).toBe(0);
    expect(third.stderr).toContain('dist/ is older than its sources: building it first (npm run build)…\n');
    expect(third.stdout).toMatch(/^aml-wait \S+: wait for Amazon Machine Learning resources to finish\./);
  }, 300_000);

  it('pass the arguments and the exit code through, and name the binaries it knows otherwise', () => {
    const usage = npmRun('aml-wait', '--tiemout', '5s', 'bp-1');
    expect([usage.code, usage.stdout]).toEqual([2, '']);
    expect(usage.stderr).toContain('aml-wait: Unknown option `--tiemout`: did you mean `--timeout`?\n');
    const unknown = spawnSync(process.execPath, ['scripts/run-bin.mjs', 'aml-nope'], {
      cwd: copy,
      encoding: 'utf8',
    });
    expect([unknown.status, unknown.stderr]).toEqual([
      2,
      'run-bin: expected one of aml-wait, aml-emulator, emulator, got "aml-nope".\n',
    ]);
  }, 120_000);
});
