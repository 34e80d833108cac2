#!/usr/bin/env node
/**
 * Runs one of the package's binaries from a checkout, where npm does not link a package's own `bin`s:
 *
 *   npm run aml-wait -- <args...>    dist/cli/main.js
 *   npm run emulator -- <args...>    dist/emulator/main.js
 *
 * Builds `dist/` first when it is missing or older than src/ (see ensureDist.mjs), then runs the binary in this
 * very process, with `process.argv` set as if it had been started directly: signals, stdin/stdout and the exit
 * code are the binary's own, with no forwarding wrapper in between. The build's output goes to stderr.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { ROOT, ensureDist } from './ensureDist.mjs';

/** The binaries by the name given on the command line: package.json's `bin`, plus the script names. */
const BINARIES = {
  'aml-wait': 'dist/cli/main.js',
  'aml-emulator': 'dist/emulator/main.js',
  emulator: 'dist/emulator/main.js',
};

const [name, ...args] = process.argv.slice(2);
const binary = name === undefined ? undefined : BINARIES[/** @type {keyof typeof BINARIES} */ (name)];
if (binary === undefined) {
  process.stderr.write(
    `run-bin: expected one of ${Object.keys(BINARIES).join(', ')}, got ${JSON.stringify(name ?? '')}.\n`,
  );
  process.exit(2);
}
try {
  ensureDist();
} catch {
  process.stderr.write('run-bin: the build failed (see above); fix it and run again.\n');
  process.exit(1);
}
const path = join(ROOT, binary);
process.argv = [process.argv[0] ?? process.execPath, path, ...args];
await import(pathToFileURL(path).href);
