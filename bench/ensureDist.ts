/**
 * Makes sure `dist/` holds a build of the current `src/`: runs `npm run build` when `dist/index.js` is
 * missing or older than any file under `src/`. Benchmarks measure the built JavaScript (what users run),
 * not the TypeScript through tsx.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

/** Builds `dist/` if it is missing or stale; returns whether it built. */
export function ensureDist(): boolean {
  const index = join(ROOT, 'dist', 'index.js');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(join(ROOT, 'src'))) return false;
  process.stderr.write('dist/ is missing or older than src/: running `npm run build`\n');
  // The build stops at a type error (scripts/build.mjs runs tsc first): a benchmark never measures a half build.
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  return true;
}

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
