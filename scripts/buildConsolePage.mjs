/**
 * Builds the emulator console's page (issue #18) into `dist/emulator/console/`: esbuild bundles the page's
 * TypeScript (`src/emulator/console/page/main.ts`, DOM code with its own tsconfig) into one `console.js`
 * module for browsers, and the static files are copied next to it. Called by `scripts/build.mjs` and by the
 * test set-up (the tests run the emulator from source, which serves the built page).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const PAGE = 'src/emulator/console/page';
/** The page's files served as they are. */
const STATIC_FILES = ['index.html', 'console.css', 'favicon.svg'];

/** Builds the page into `<root>/dist/emulator/console/`; returns that folder. */
export async function buildConsolePage() {
  const out = `${root}dist/emulator/console/`;
  mkdirSync(out, { recursive: true });
  await build({
    absWorkingDir: root,
    entryPoints: [`${PAGE}/main.ts`],
    outfile: `${out}console.js`,
    tsconfig: `${PAGE}/tsconfig.json`,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome120', 'firefox120', 'safari17'],
    legalComments: 'none',
    logLevel: 'warning',
  });
  for (const file of STATIC_FILES) copyFileSync(`${root}${PAGE}/${file}`, `${out}${file}`);
  return out;
}
