#!/usr/bin/env node
/**
 * Builds `dist/` (`npm run build`):
 *   1. `tsc -p tsconfig.build.json` emits the declarations (`.d.ts`, one per source file, `@internal` stripped);
 *   2. esbuild bundles the JavaScript of each entry point (the package's `exports` and `bin` targets) into one
 *      ES module, with the code the entries share in `dist/chunks/` (one copy of every class, so `instanceof`
 *      holds across `aml-waiter`, `aml-waiter/bullmq` and the CLI), and a linked source map per file.
 *
 * Why a bundle and not tsc's one file per module: Node's ES-module loader pays per file (resolve, read, link);
 * for the ~50 modules behind `aml-waiter` that was ~20 ms of import time on Node 20 and 24 — the cold-start
 * benchmark (`npm run bench:coldstart`, issue #7). Dependencies stay external (`import 'undici'` etc.), so the
 * user's copies of rxjs and undici are the ones used.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildConsolePage } from './buildConsolePage.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = `${root}dist`;

/** Output path (under dist/, without `.js`) → source entry. Keep in step with `exports` and `bin` in package.json. */
const ENTRIES = {
  index: 'src/index.ts',
  'emulator/index': 'src/emulator/index.ts',
  'bullmq/index': 'src/bullmq/index.ts',
  'cli/main': 'src/cli/main.ts',
  'emulator/main': 'src/emulator/main.ts',
};
/** The binaries, made executable after the build. */
const BINARIES = ['cli/main.js', 'emulator/main.js'];

rmSync(dist, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [`${root}node_modules/typescript/bin/tsc`, '-p', `${root}tsconfig.build.json`],
  {
    stdio: 'inherit',
  },
);
await build({
  absWorkingDir: root,
  entryPoints: ENTRIES,
  outdir: dist,
  // Shared chunks sit two levels down, like dist/cli/main.js, so that `../../package.json` (read by the CLI and
  // the emulator for `--version`) means the same file from every output.
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  packages: 'external',
  sourcemap: 'linked',
  sourcesContent: true,
  legalComments: 'none',
  logLevel: 'warning',
});
for (const binary of BINARIES) chmodSync(`${dist}/${binary}`, 0o755);
// The emulator console's page (a browser bundle and its static files), served by `startEmulator({ console })`.
await buildConsolePage();
