/**
 * Makes sure `dist/` holds a build of the current sources: runs the build (scripts/build.mjs) when an entry
 * point's output is missing or older than anything it is built from (src/, package.json, the tsconfigs, the
 * build script). Used by `npm run aml-wait`, `npm run emulator` and the benchmarks, which run the built
 * JavaScript (what users run), not the TypeScript through tsx.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The outputs of a build, relative to the root: one per entry point of package.json's `exports` and `bin`. */
const OUTPUTS = [
  'dist/index.js',
  'dist/emulator/index.js',
  'dist/bullmq/index.js',
  'dist/cli/main.js',
  'dist/emulator/main.js',
];
/** What a build is made from, besides src/. */
const INPUTS = ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'scripts/build.mjs'];

/** @param {string} dir @returns {number} the newest modification time of any file under `dir` */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

/** @returns {string | undefined} why dist/ needs a build (`missing`, `older than src/`), or `undefined` */
export function distStaleness() {
  const outputs = OUTPUTS.map((output) => join(ROOT, output));
  if (!outputs.every((output) => existsSync(output))) return 'missing';
  const built = Math.min(...outputs.map((output) => statSync(output).mtimeMs));
  const sources = Math.max(
    newestMtime(join(ROOT, 'src')),
    ...INPUTS.map((input) => join(ROOT, input))
      .filter((input) => existsSync(input))
      .map((input) => statSync(input).mtimeMs),
  );
  return built >= sources ? undefined : 'older than its sources';
}

/**
 * Builds `dist/` if it is missing or stale, saying so in one line on stderr; the build's own output goes to
 * stderr too, so the caller's stdout stays clean. A type error stops the build (and throws here): nothing ever
 * runs a half build.
 *
 * @returns {boolean} whether it built
 */
export function ensureDist() {
  const why = distStaleness();
  if (why === undefined) return false;
  process.stderr.write(`dist/ is ${why}: building it first (npm run build)…\n`);
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], {
    cwd: ROOT,
    stdio: ['ignore', process.stderr, process.stderr],
  });
  return true;
}
