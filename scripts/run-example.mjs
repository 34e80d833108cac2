#!/usr/bin/env node
/**
 * Runs one of the TypeScript examples in `examples/` with tsx.
 *
 *   npm run example                      lists the examples, exits 2
 *   npm run example -- --list            prints the example names, one per line, exits 0
 *   npm run example -- <name> [args...]  runs examples/<name>.ts with the remaining arguments
 *
 * The example runs in this very process: the script registers tsx's loader (what `node --import tsx` does) and
 * then imports the example, with `process.argv` set to `[node, examples/<name>.ts, ...args]`. There is no child
 * process in between, so signals reach the example exactly as they would with `node --import tsx examples/<name>.ts`
 * (no second copy of a Ctrl-C from a forwarding wrapper), and the exit code is the example's own: `process.exitCode`,
 * `process.exit(n)`, 1 for an uncaught error, 130 for an unhandled SIGINT.
 *
 * `examples/demo.ts` is not listed: it has its own script, `npm run demo`.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Exit code for usage errors (no name, unknown name), as in the CLI. */
const USAGE_EXIT_CODE = 2;
/** Examples that are not run through this script. */
const EXCLUDED = new Set(['demo']);

const root = fileURLToPath(new URL('..', import.meta.url));
const examplesDir = path.join(root, 'examples');

/** @returns {string[]} the runnable example names (file names without `.ts`), sorted */
function listExamples() {
  let entries;
  try {
    entries = readdirSync(examplesDir, { withFileTypes: true });
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') return [];
    throw error;
  }
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => entry.name.slice(0, -'.ts'.length))
    .filter((name) => !EXCLUDED.has(name))
    .sort();
}

/** @param {string[]} names */
function formatList(names) {
  return names.length === 0
    ? '  (none: examples/ has no .ts files yet)'
    : names.map((n) => `  ${n}`).join('\n');
}

/**
 * Prints `message` and the list of examples to stderr, and exits with the usage exit code.
 * @param {string} message
 * @returns {never}
 */
function usageError(message) {
  process.stderr.write(
    `${message}\n\nUsage: npm run example -- <name> [args...]\n\nAvailable examples (examples/<name>.ts):\n${formatList(listExamples())}\n`,
  );
  process.exit(USAGE_EXIT_CODE);
}

const [requested, ...exampleArgs] = process.argv.slice(2);

if (requested === undefined || requested === '') usageError('Missing example name.');
if (requested === '--list') {
  const names = listExamples();
  if (names.length > 0) process.stdout.write(`${names.join('\n')}\n`);
  process.exit(0);
}
if (requested === '--help' || requested === '-h') usageError('Runs examples/<name>.ts with tsx.');

// Accept `name`, `name.ts` and `examples/name.ts`; anything else must match a listed name exactly.
const name = requested.replace(/^(?:\.\/)?examples\//, '').replace(/\.ts$/, '');
if (EXCLUDED.has(name)) usageError(`Example \`${name}\` has its own script: run \`npm run ${name}\`.`);
if (!listExamples().includes(name)) usageError(`Unknown example \`${requested}\`.`);

const file = path.join(examplesDir, `${name}.ts`);
// Same as `node --import tsx`: registers tsx's ESM and CommonJS hooks for everything imported afterwards.
await import(import.meta.resolve('tsx'));
process.argv = [process.argv[0] ?? process.execPath, file, ...exampleArgs];
await import(pathToFileURL(file).href);
