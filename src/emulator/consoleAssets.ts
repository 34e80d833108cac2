import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** One file of the console page, ready to serve. */
interface ConsoleAsset {
  readonly body: Buffer;
  readonly contentType: string;
}

/** The files of the console page, by name (`index.html`, `console.js`, `console.css`, `favicon.svg`). */
export type ConsoleAssets = ReadonlyMap<string, ConsoleAsset>;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'console.css': 'text/css; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/**
 * Where the built page lives: `dist/emulator/console/` of the package. This module sits two folders
 * below the package root both as source (`src/emulator/`) and once bundled (`dist/emulator/` or
 * `dist/chunks/`), so the same relative URL finds it from both (the test set-up builds the page before
 * the tests run from source).
 */
const CONSOLE_ASSET_DIR = fileURLToPath(new URL('../../dist/emulator/console/', import.meta.url));

/**
 * Reads the console page's files once, when an emulator with `console` starts. Throws an Error naming
 * the missing file and how to build it.
 */
export function loadConsoleAssets(dir = CONSOLE_ASSET_DIR): ConsoleAssets {
  const assets = new Map<string, ConsoleAsset>();
  for (const [name, contentType] of Object.entries(CONTENT_TYPES)) {
    let body: Buffer;
    try {
      body = readFileSync(`${dir}${name}`);
    } catch {
      throw new Error(
        `The emulator console's page is not built (${dir}${name} is missing): run \`npm run build\` in the aml-waiter checkout`,
      );
    }
    assets.set(name, { body, contentType });
  }
  return assets;
}
