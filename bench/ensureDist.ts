/**
 * Benchmarks measure the built JavaScript (what users run), not the TypeScript through tsx: `ensureDist`
 * (scripts/ensureDist.mjs) builds `dist/` when it is missing or stale; `distSnapshot` gives a benchmark a copy
 * of it that a rebuild can't pull from under its child processes.
 */
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ensureDist } from '../scripts/ensureDist.mjs';

export { ROOT, ensureDist };

/**
 * Builds `dist/` if needed, then copies it to `node_modules/.cache/aml-waiter-bench/<name>/dist` and returns
 * that directory: a benchmark's child processes import the copy, so a rebuild of `dist/` by someone else
 * during the run (`npm run build` starts with `rm -rf dist`) can't pull the files from under them.
 * Bare imports in the copy (`rxjs`, `undici`, …) still resolve from the project's node_modules.
 */
export function distSnapshot(name: string): string {
  ensureDist();
  const target = join(ROOT, 'node_modules', '.cache', 'aml-waiter-bench', name, 'dist');
  rmSync(target, { recursive: true, force: true });
  cpSync(join(ROOT, 'dist'), target, { recursive: true, filter: (source) => !source.endsWith('.map') });
  return target;
}
