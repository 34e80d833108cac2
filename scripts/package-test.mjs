#!/usr/bin/env node
/**
 * Packaging test for `aml-waiter` (`npm run test:package`, after `npm run build`).
 *
 * Checks the package the way a user gets it, not the way the repository sees it:
 *   1. `npm pack` into a temporary directory; the tarball holds every file that `exports` and `bin` point to,
 *      and nothing from src/, test/ or build caches;
 *   2. a temporary project (in os.tmpdir()) installs the tarball and the peer dependency `rxjs`;
 *   3. `import` (ESM) and `require()` (CommonJS, Node >= 20.19) of `aml-waiter`, `aml-waiter/emulator` and
 *      `aml-waiter/bullmq` give the expected named exports; `require()` prints no warning and shares one module
 *      instance with `import`; without the optional peer `bullmq`, `aml-waiter/bullmq` still imports and says
 *      what to install when a queue is opened;
 *   4. the installed binaries answer `--help` with exit 0 and a "Usage" text on stdout, and `--version` with the
 *      package's version;
 *   5. a TypeScript consumer (.mts and .cts, `module: node20`, strict, `skipLibCheck: false`) type-checks against
 *      the installed declarations, with no @types package beyond @types/node;
 *   6. publint (strict) and `attw --profile esm-only` find no problem in the tarball;
 *   7. every relative link in the installed package's Markdown (README.md, docs/) points to a file it ships;
 *   8. the installed emulator serves its console page (`startEmulator({ console: true })`, issue #18) from the
 *      files the package ships in dist/emulator/console/.
 *
 * Prints one line per check and a closing `package-test: N passed, N failed, N skipped` line; exits 1 if any
 * check failed. Temporary directories are removed at the end (also on SIGINT/SIGTERM).
 *
 * Environment:
 *   PACKAGE_TEST_ALLOW_MISSING=1  skip (instead of fail) the expected exports, the emulator entry point and the
 *                                 binaries that the built dist/ does not contain yet. Default: strict.
 *   PACKAGE_TEST_KEEP=1           keep the temporary directory and print its path (for debugging).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as setTimer, clearTimeout as clearTimer } from 'node:timers';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Named exports that `aml-waiter` must provide, each a function or class. */
const EXPECTED_EXPORTS = [
  'waitForBatchPrediction',
  'watchBatchPrediction',
  'createBatchPredictionWaiter',
  'AmazonMLClient',
  'WaiterError',
  'isWaiterError',
  'AmazonMLError',
];
/** Named exports that `aml-waiter/emulator` must provide. */
const EXPECTED_EMULATOR_EXPORTS = ['startEmulator'];
/** Named exports that `aml-waiter/bullmq` must provide (it loads the optional peer `bullmq` on first use). */
const EXPECTED_BULLMQ_EXPORTS = ['openWaitQueue', 'startWaitWorker', 'pollStep', 'waitJobId'];
/** What `aml-waiter/bullmq` says when the optional peer dependency is missing. */
const MISSING_BULLMQ_MESSAGE =
  'aml-waiter/bullmq needs the optional peer dependency bullmq: npm install bullmq';
/** The emulator console's page files, built by scripts/buildConsolePage.mjs and served from the package. */
const CONSOLE_FILES = ['index.html', 'console.js', 'console.css', 'favicon.svg'].map(
  (file) => `dist/emulator/console/${file}`,
);
/** Binaries that the package must install; each must answer `--help`. */
const EXPECTED_BINARIES = ['aml-wait', 'aml-emulator'];
/** Path prefixes and suffixes that must never be published. */
const FORBIDDEN_IN_TARBALL = [
  /^src\//,
  /^test\//,
  /^scripts\//,
  /^examples\//,
  /^bench\//,
  /^\.ci\//,
  /\.tsbuildinfo$/,
];

const INSTALL_TIMEOUT_MS = 300_000;
const STEP_TIMEOUT_MS = 60_000;
const BIN_TIMEOUT_MS = 30_000;

const root = fileURLToPath(new URL('..', import.meta.url));
const allowMissing = process.env['PACKAGE_TEST_ALLOW_MISSING'] === '1';
const keepTemp = process.env['PACKAGE_TEST_KEEP'] === '1';

/** @type {Record<string, any>} */
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const MAIN = String(pkg.name);
const EMULATOR = `${MAIN}/emulator`;
const BULLMQ = `${MAIN}/bullmq`;

// ---------------------------------------------------------------------------------------------------------------
// Reporting

const counts = { passed: 0, failed: 0, skipped: 0 };

/** Longest tool output printed under a failed check, in lines. */
const MAX_OUTPUT_LINES = 40;

/** @param {string} text */
function indent(text) {
  const lines = text.trimEnd().split('\n');
  const shown = lines.length > MAX_OUTPUT_LINES ? lines.slice(0, MAX_OUTPUT_LINES) : lines;
  if (shown.length < lines.length) shown.push(`… ${lines.length - shown.length} more lines`);
  return shown.map((line) => `        ${line}`).join('\n');
}
/** @param {string} name @param {string} [detail] */
function pass(name, detail) {
  counts.passed++;
  console.log(`  ok    ${name}${detail ? ` (${detail})` : ''}`);
}
/** @param {string} name @param {string} message @param {string} [output] */
function fail(name, message, output) {
  counts.failed++;
  console.log(`  FAIL  ${name}: ${message}`);
  if (output && output.trim() !== '') console.log(indent(output));
}
/** @param {string} name @param {string} reason */
function skip(name, reason) {
  counts.skipped++;
  console.log(`  skip  ${name}: ${reason}`);
}

/** A failure after which the remaining checks cannot run. */
class FatalError extends Error {
  /** @param {string} message @param {string} [output] */
  constructor(message, output) {
    super(message);
    this.name = 'FatalError';
    this.output = output ?? '';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes

/** @type {Set<import('node:child_process').ChildProcess>} */
const children = new Set();

/**
 * Runs a command with stdin closed and captures its output.
 * @param {string} command
 * @param {string[]} args
 * @param {{ cwd: string, timeoutMs: number, env?: NodeJS.ProcessEnv }} options
 * @returns {Promise<{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string, timedOut: boolean, error?: Error }>}
 */
function run(command, args, { cwd, timeoutMs, env = childEnv() }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    /** @type {Error | undefined} */
    let spawnError;
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimer(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => (spawnError = error));
    child.on('close', (code, signal) => {
      clearTimer(timer);
      children.delete(child);
      resolve({ code, signal, stdout, stderr, timedOut, ...(spawnError ? { error: spawnError } : {}) });
    });
  });
}

/** @param {Awaited<ReturnType<typeof run>>} result */
function describeExit(result) {
  if (result.error) return `could not start: ${result.error.message}`;
  if (result.timedOut) return 'timed out (killed)';
  if (result.signal) return `killed by ${result.signal}`;
  return `exit code ${result.code}`;
}

/** @param {Awaited<ReturnType<typeof run>>} result */
function outputOf(result) {
  return [result.stdout.trim(), result.stderr.trim()].filter((s) => s !== '').join('\n');
}

/**
 * The environment for child processes: ours, minus what `npm run` adds about this repository (so that a nested
 * npm works on the temporary project, not on the repository).
 * @param {NodeJS.ProcessEnv} [extra]
 */
function childEnv(extra = {}) {
  const repositoryScoped =
    /^(?:npm_package_|npm_lifecycle_|npm_config_local_prefix$|npm_command$|INIT_CWD$)/i;
  const inherited = Object.entries(process.env).filter(([key]) => !repositoryScoped.test(key));
  return { ...Object.fromEntries(inherited), ...extra };
}

/**
 * How to start npm: with the npm that runs this script (`npm_execpath`) under this very Node when possible, so
 * that a run under another Node version stays on it; otherwise `npm` from PATH.
 * @param {string[]} args
 * @returns {[string, string[]]}
 */
function npm(args) {
  const execPath = process.env['npm_execpath'];
  if (execPath && /npm-cli\.c?js$/.test(execPath) && existsSync(execPath))
    return [process.execPath, [execPath, ...args]];
  return ['npm', args];
}

/**
 * The JavaScript file of a binary of a package installed in the repository (run with this Node).
 * @param {string} packageName
 * @param {string} binName
 */
function localBin(packageName, binName) {
  const dir = path.join(root, 'node_modules', packageName);
  /** @type {Record<string, any>} */
  const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const bin = typeof manifest.bin === 'string' ? manifest.bin : manifest.bin?.[binName];
  if (typeof bin !== 'string') throw new FatalError(`${packageName} has no binary \`${binName}\``);
  return path.join(dir, bin);
}

// ---------------------------------------------------------------------------------------------------------------
// What the built package contains

/**
 * The `default` (runtime) and `types` targets of an `exports` subpath.
 * @param {string} subpath
 * @returns {{ runtime: string | undefined, types: string | undefined }}
 */
function exportTargets(subpath) {
  const entry = pkg.exports?.[subpath];
  if (typeof entry === 'string') return { runtime: entry, types: undefined };
  return { runtime: entry?.default ?? entry?.import, types: entry?.types };
}

/** @param {string | undefined} relative */
function builtFileExists(relative) {
  return relative !== undefined && existsSync(path.join(root, relative));
}

/**
 * Names of the module's exports, read in a separate Node process (the parent stays clean).
 * @param {string} relative path of a built file
 * @returns {Promise<string[]>}
 */
async function builtExportNames(relative) {
  const url = pathToFileURL(path.join(root, relative)).href;
  const code = `const m = await import(${JSON.stringify(url)}); process.stdout.write(JSON.stringify(Object.keys(m)));`;
  const result = await run(process.execPath, ['--input-type=module', '-e', code], {
    cwd: root,
    timeoutMs: STEP_TIMEOUT_MS,
  });
  if (result.code !== 0)
    throw new FatalError(`importing ${relative} failed (${describeExit(result)})`, outputOf(result));
  return JSON.parse(result.stdout);
}

/**
 * Decides which checks run. Strict by default; with PACKAGE_TEST_ALLOW_MISSING=1, what the build does not produce
 * yet is skipped (and reported as skipped).
 */
async function plan() {
  const main = exportTargets('.');
  if (!builtFileExists(main.runtime)) {
    throw new FatalError(`${main.runtime ?? 'the "." export'} does not exist: run \`npm run build\` first`);
  }
  const emulator = exportTargets('./emulator');
  const plan = {
    mainExports: [...EXPECTED_EXPORTS],
    emulatorExports: [...EXPECTED_EMULATOR_EXPORTS],
    emulatorBuilt: true,
    bullmqExports: [...EXPECTED_BULLMQ_EXPORTS],
    bullmqBuilt: true,
    binaries: [...EXPECTED_BINARIES],
  };
  if (!allowMissing) return plan;

  if (!builtFileExists(exportTargets('./bullmq').runtime)) {
    plan.bullmqBuilt = false;
    plan.bullmqExports = [];
    skip(BULLMQ, 'the "./bullmq" export is not built yet');
  }

  const mainNames = await builtExportNames(/** @type {string} */ (main.runtime));
  const missingMain = EXPECTED_EXPORTS.filter((name) => !mainNames.includes(name));
  if (missingMain.length > 0) {
    plan.mainExports = EXPECTED_EXPORTS.filter((name) => mainNames.includes(name));
    skip(`exports of ${MAIN}`, `not built yet: ${missingMain.join(', ')}`);
  }
  if (!builtFileExists(emulator.runtime)) {
    plan.emulatorBuilt = false;
    plan.emulatorExports = [];
    skip(EMULATOR, `${emulator.runtime ?? 'the "./emulator" export'} is not built yet`);
  } else {
    const emulatorNames = await builtExportNames(/** @type {string} */ (emulator.runtime));
    const missingEmulator = EXPECTED_EMULATOR_EXPORTS.filter((name) => !emulatorNames.includes(name));
    if (missingEmulator.length > 0) {
      plan.emulatorExports = EXPECTED_EMULATOR_EXPORTS.filter((name) => emulatorNames.includes(name));
      skip(`exports of ${EMULATOR}`, `not built yet: ${missingEmulator.join(', ')}`);
    }
  }
  for (const bin of EXPECTED_BINARIES) {
    const target = pkg.bin?.[bin];
    if (typeof target === 'string' && !builtFileExists(target)) {
      plan.binaries = plan.binaries.filter((b) => b !== bin);
      skip(`bin ${bin}`, `${target} is not built yet`);
    }
  }
  return plan;
}

// ---------------------------------------------------------------------------------------------------------------
// Checks

/**
 * `npm pack` (without lifecycle scripts: `npm run build` already ran) and a look at the file list.
 * @param {string} packDir
 * @param {Awaited<ReturnType<typeof plan>>} p
 */
async function packTarball(packDir, p) {
  const [cmd, args] = npm(['pack', '--json', '--ignore-scripts', '--pack-destination', packDir]);
  const result = await run(cmd, args, { cwd: root, timeoutMs: STEP_TIMEOUT_MS });
  if (result.code !== 0) throw new FatalError(`npm pack failed (${describeExit(result)})`, outputOf(result));
  /** @type {{ filename: string, size: number, unpackedSize: number, files: { path: string }[] }[]} */
  const report = JSON.parse(result.stdout);
  const info = report[0];
  if (!info) throw new FatalError('npm pack reported no tarball', outputOf(result));
  const tarball = path.join(packDir, path.basename(info.filename));
  const files = info.files.map((f) => f.path);

  const required = new Set(['package.json']);
  for (const [subpath, optional] of [
    ['.', false],
    ['./emulator', !p.emulatorBuilt],
  ]) {
    const { runtime, types } = exportTargets(/** @type {string} */ (subpath));
    if (optional) continue;
    for (const target of [runtime, types]) if (target) required.add(path.posix.normalize(target));
  }
  if (p.emulatorBuilt) for (const file of CONSOLE_FILES) required.add(file);
  for (const bin of p.binaries) {
    const target = pkg.bin?.[bin];
    if (typeof target === 'string') required.add(path.posix.normalize(target));
  }
  const missing = [...required].filter((file) => !files.includes(file));
  const forbidden = files.filter((file) => FORBIDDEN_IN_TARBALL.some((pattern) => pattern.test(file)));
  const name = 'tarball contents';
  if (missing.length > 0 || forbidden.length > 0) {
    const hint =
      missing.length > 0 && !allowMissing
        ? ' (PACKAGE_TEST_ALLOW_MISSING=1 skips what is not built yet)'
        : '';
    fail(
      name,
      [
        missing.length > 0 ? `missing ${missing.join(', ')}${hint}` : '',
        forbidden.length > 0 ? `must not publish ${forbidden.join(', ')}` : '',
      ]
        .filter(Boolean)
        .join('; '),
    );
  } else {
    pass(
      name,
      `${files.length} files, ${(info.size / 1024).toFixed(1)} kB packed, ${(info.unpackedSize / 1024).toFixed(1)} kB unpacked`,
    );
  }
  return tarball;
}

/**
 * publint on the tarball, through its API (so that it lints exactly what was packed).
 * @param {string} tarball
 * @param {Awaited<ReturnType<typeof plan>>} p
 */
async function checkPublint(tarball, p) {
  const name = 'publint --strict';
  const { publint } = await import('publint');
  const { formatMessage } = await import('publint/utils');
  const data = await readFile(tarball);
  const tarballBuffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
  const { messages, pkg: packed } = await publint({
    pack: { tarball: tarballBuffer },
    strict: true,
    level: 'suggestion',
  });
  // With PACKAGE_TEST_ALLOW_MISSING=1, "file does not exist" for what is not built yet is expected.
  const notBuilt = (/** @type {import('publint').Message} */ m) =>
    allowMissing &&
    m.code === 'FILE_DOES_NOT_EXIST' &&
    ((m.path[0] === 'bin' && !p.binaries.includes(String(m.path[1]))) ||
      (m.path[0] === 'exports' && m.path[1] === './emulator' && !p.emulatorBuilt));
  const relevant = messages.filter((m) => !notBuilt(m));
  const problems = relevant.filter((m) => m.type !== 'suggestion');
  const suggestions = relevant.filter((m) => m.type === 'suggestion');
  const format = (/** @type {import('publint').Message} */ m) =>
    `${m.type}: ${formatMessage(m, packed, { color: false }) ?? m.code}`;
  if (problems.length > 0) {
    fail(name, `${problems.length} problem(s)`, relevant.map(format).join('\n'));
  } else {
    pass(name, suggestions.length === 0 ? 'all good' : `${suggestions.length} suggestion(s)`);
    if (suggestions.length > 0) console.log(indent(suggestions.map(format).join('\n')));
  }
}

/**
 * Are the Types Wrong? on the tarball, esm-only profile (the `node16 (from CJS)` row predates require(esm)).
 * @param {string} tarball
 * @param {Awaited<ReturnType<typeof plan>>} p
 */
async function checkAttw(tarball, p) {
  const name = 'attw --profile esm-only';
  const args = [
    localBin('@arethetypeswrong/cli', 'attw'),
    tarball,
    '--profile',
    'esm-only',
    '--no-definitely-typed',
    '--no-color',
    '--no-emoji',
    '--format',
    'ascii',
  ];
  if (!p.emulatorBuilt) args.push('--exclude-entrypoints', './emulator');
  const result = await run(process.execPath, args, {
    cwd: path.dirname(tarball),
    timeoutMs: STEP_TIMEOUT_MS,
  });
  if (result.code === 0) pass(name, 'no problems');
  else fail(name, describeExit(result), outputOf(result));
}

/**
 * The temporary project: the tarball, the peer dependencies (at the versions the repository tests with) and
 * @types/node (for the TypeScript consumer check).
 * @param {string} projectDir
 * @param {string} tarball
 */
async function installConsumer(projectDir, tarball) {
  await writeFile(
    path.join(projectDir, 'package.json'),
    `${JSON.stringify({ name: 'aml-waiter-package-test', version: '0.0.0', private: true }, null, 2)}\n`,
  );
  const extras = [
    ...Object.keys(pkg.peerDependencies ?? {}).map(
      (dep) => `${dep}@${pkg.devDependencies?.[dep] ?? pkg.peerDependencies[dep]}`,
    ),
    `@types/node@${pkg.devDependencies?.['@types/node'] ?? '20'}`,
  ];
  const [cmd, args] = npm([
    'install',
    '--prefix',
    projectDir,
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    '--no-package-lock',
    tarball,
    ...extras,
  ]);
  const result = await run(cmd, args, { cwd: projectDir, timeoutMs: INSTALL_TIMEOUT_MS });
  if (result.code !== 0)
    throw new FatalError(`npm install of the tarball failed (${describeExit(result)})`, outputOf(result));
  pass('install', `${path.basename(tarball)} + ${extras.join(' ')}`);
}

const ESM_PROBE = `
const report = {};
for (const spec of JSON.parse(process.argv[2])) {
  try {
    const m = await import(spec);
    report[spec] = { exports: Object.fromEntries(Object.keys(m).map((k) => [k, typeof m[k]])) };
  } catch (error) {
    report[spec] = { error: String(error && error.stack ? error.stack : error) };
  }
}
process.stdout.write(JSON.stringify(report));
`;

const CJS_PROBE = `
'use strict';
(async () => {
  const report = {};
  for (const spec of JSON.parse(process.argv[2])) {
    try {
      const m = require(spec);
      const viaImport = await import(spec);
      report[spec] = {
        exports: Object.fromEntries(Object.keys(m).map((k) => [k, typeof m[k]])),
        sameInstance: Object.keys(viaImport).every((k) => viaImport[k] === m[k]),
      };
    } catch (error) {
      report[spec] = { error: String(error && error.stack ? error.stack : error) };
    }
  }
  report.version = require(${JSON.stringify(`${MAIN}/package.json`)}).version;
  process.stdout.write(JSON.stringify(report));
})();
`;

/**
 * The runtime exports docs/exports.md lists for each entry point: the backticked name that starts each
 * bullet line under a `## \`<entry point>\`` heading.
 * @returns {Map<string, string[]>}
 */
function documentedExports() {
  /** @type {Map<string, string[]>} */
  const sections = new Map();
  /** @type {string[] | undefined} */
  let current;
  for (const line of readFileSync(path.join(root, 'docs', 'exports.md'), 'utf8').split('\n')) {
    const heading = /^## `([^`]+)`\s*$/.exec(line);
    if (heading) {
      current = [];
      sections.set(/** @type {string} */ (heading[1]), current);
      continue;
    }
    const item = /^- `([A-Za-z_$][\w$]*)`/.exec(line);
    if (item && current) current.push(/** @type {string} */ (item[1]));
  }
  return sections;
}

/**
 * Compares an entry point's runtime exports with docs/exports.md, both ways.
 * @param {string} spec
 * @param {string[]} exported
 */
function checkDocumented(spec, exported) {
  const name = `docs/exports.md lists ${spec}`;
  const listed = documentedExports().get(spec);
  if (listed === undefined) {
    fail(name, `docs/exports.md has no "## \`${spec}\`" section`);
    return;
  }
  const undocumented = exported.filter((exportName) => !listed.includes(exportName));
  const missing = listed.filter((exportName) => !exported.includes(exportName));
  const problems = [
    ...undocumented.map((exportName) => `\`${exportName}\` is exported but not listed`),
    ...missing.map((exportName) => `\`${exportName}\` is listed but not exported`),
  ];
  if (problems.length > 0) fail(name, problems.join('; '));
  else pass(name, `${exported.length} runtime exports, each listed once`);
}

/**
 * Loads the entry points from a probe file in the temporary project and compares the exports.
 * @param {'import' | 'require'} how
 * @param {string} projectDir
 * @param {Awaited<ReturnType<typeof plan>>} p
 */
async function checkLoad(how, projectDir, p) {
  const file = path.join(projectDir, how === 'import' ? 'probe.mjs' : 'probe.cjs');
  await writeFile(file, how === 'import' ? ESM_PROBE : CJS_PROBE);
  /** @type {[string, string[]][]} */
  const entries = [[MAIN, p.mainExports]];
  if (p.emulatorBuilt) entries.push([EMULATOR, p.emulatorExports]);
  if (p.bullmqBuilt) entries.push([BULLMQ, p.bullmqExports]);
  const result = await run(process.execPath, [file, JSON.stringify(entries.map(([spec]) => spec))], {
    cwd: projectDir,
    timeoutMs: STEP_TIMEOUT_MS,
    env: childEnv({ NODE_OPTIONS: '' }),
  });
  const label = how === 'import' ? 'ESM import' : 'CommonJS require';
  if (result.code !== 0 || result.timedOut) {
    const hint = result.timedOut ? ' (loading the package must not keep the process alive)' : '';
    fail(`${label}`, `probe ${describeExit(result)}${hint}`, outputOf(result));
    return;
  }
  /** @type {Record<string, any>} */
  const report = JSON.parse(result.stdout);
  for (const [spec, expected] of entries) {
    const name = `${label} ${spec}`;
    const entry = report[spec];
    if (entry.error) {
      fail(name, 'could not load', entry.error);
      continue;
    }
    const problems = expected
      .filter((exportName) => entry.exports[exportName] !== 'function')
      .map((exportName) =>
        exportName in entry.exports
          ? `\`${exportName}\` is a ${entry.exports[exportName]}, expected a function or class`
          : `\`${exportName}\` is not exported`,
      );
    if (how === 'require' && entry.sameInstance !== true) {
      problems.push('require() and import() gave different module instances');
    }
    if (problems.length > 0) fail(name, problems.join('; '));
    else pass(name, `${expected.length} expected of ${Object.keys(entry.exports).length} exports`);
    if (how === 'import') checkDocumented(spec, Object.keys(entry.exports));
  }
  if (how === 'require' && report.version !== pkg.version) {
    fail(`${label} ${MAIN}/package.json`, `version ${report.version}, expected ${pkg.version}`);
  }
  if (result.stderr.trim() !== '') {
    fail(`${label} is silent`, 'loading the package wrote to stderr (a warning?)', result.stderr);
  }
}

/**
 * Runs an installed binary through node_modules/.bin, as npm links it (shebang, executable bit).
 * @param {string} projectDir
 * @param {string} bin
 */
async function checkBinary(projectDir, bin) {
  const name = `bin ${bin} --help`;
  const file = path.join(projectDir, 'node_modules', '.bin', bin);
  if (!existsSync(file)) {
    fail(name, `node_modules/.bin/${bin} was not installed (check "bin" in package.json)`);
    return;
  }
  const result = await run(file, ['--help'], {
    cwd: projectDir,
    timeoutMs: BIN_TIMEOUT_MS,
    // The binaries start with `#!/usr/bin/env node`: make that the Node running this script.
    env: childEnv({
      NO_COLOR: '1',
      PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env['PATH'] ?? ''}`,
    }),
  });
  if (result.code !== 0) {
    fail(name, describeExit(result), outputOf(result));
  } else if (!result.stdout.includes('Usage')) {
    const where = result.stderr.includes('Usage')
      ? ' (it is on stderr; --help output belongs on stdout)'
      : '';
    fail(name, `stdout does not contain "Usage"${where}`, outputOf(result));
  } else {
    pass(name, `exit 0, ${result.stdout.trimEnd().split('\n').length} lines of help`);
  }
  // `--version` reads the package's own package.json by a path relative to the built file: catches a build that
  // moves the code (bundling, chunks) without moving that path.
  const versionName = `bin ${bin} --version`;
  const expected = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
  const version = await run(file, ['--version'], {
    cwd: projectDir,
    timeoutMs: BIN_TIMEOUT_MS,
    env: childEnv({ PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env['PATH'] ?? ''}` }),
  });
  if (version.code !== 0) fail(versionName, describeExit(version), outputOf(version));
  else if (version.stdout.trim() !== expected)
    fail(
      versionName,
      `printed ${JSON.stringify(version.stdout.trim())}, expected ${expected}`,
      outputOf(version),
    );
  else pass(versionName, expected);
}

/**
 * A TypeScript consumer in the temporary project, compiled with the repository's TypeScript: catches declarations
 * that reference types the user does not have (devDependencies, src/ paths) and exports missing from the .d.ts.
 * @param {string} projectDir
 * @param {Awaited<ReturnType<typeof plan>>} p
 */
async function checkTypes(projectDir, p) {
  const name = 'TypeScript consumer (.mts + .cts, node20, skipLibCheck false)';
  const lines = [`import { ${p.mainExports.join(', ')} } from '${MAIN}';`];
  const used = [...p.mainExports];
  if (p.emulatorBuilt && p.emulatorExports.length > 0) {
    lines.push(`import { ${p.emulatorExports.join(', ')} } from '${EMULATOR}';`);
    used.push(...p.emulatorExports);
  }
  if (p.bullmqBuilt && p.bullmqExports.length > 0) {
    lines.push(`import { ${p.bullmqExports.join(', ')} } from '${BULLMQ}';`);
    used.push(...p.bullmqExports);
  }
  lines.push(`export const used: readonly unknown[] = [${used.join(', ')}];`, '');
  const source = lines.join('\n');
  await writeFile(path.join(projectDir, 'consumer.mts'), source);
  await writeFile(path.join(projectDir, 'consumer.cts'), source);
  const tsconfig = {
    compilerOptions: {
      target: 'ES2023',
      lib: ['ES2023'],
      module: 'node20',
      moduleResolution: 'node16',
      types: ['node'],
      rootDir: '.',
      strict: true,
      exactOptionalPropertyTypes: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: false,
      noEmit: true,
    },
    files: ['consumer.mts', 'consumer.cts'],
  };
  await writeFile(path.join(projectDir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  const result = await run(process.execPath, [localBin('typescript', 'tsc'), '-p', projectDir], {
    cwd: projectDir,
    timeoutMs: STEP_TIMEOUT_MS,
  });
  if (result.code === 0) pass(name, `${used.length} imports`);
  else fail(name, describeExit(result), outputOf(result));
}

/**
 * `aml-waiter/bullmq` without the optional peer dependency: importing it works, and opening a queue rejects
 * with a message that says what to install. Hides the consumer's node_modules/bullmq for the duration.
 * @param {string} projectDir
 * @param {Awaited<ReturnType<typeof plan>>} p
 */
async function checkOptionalPeer(projectDir, p) {
  if (!p.bullmqBuilt) return;
  const name = `${BULLMQ} without bullmq installed`;
  const installed = path.join(projectDir, 'node_modules', 'bullmq');
  const hidden = path.join(projectDir, 'node_modules', '.bullmq-hidden');
  const code = `
    const m = await import(${JSON.stringify(BULLMQ)});
    try { await m.openWaitQueue({ connection: {} }); process.stdout.write('opened'); }
    catch (error) { process.stdout.write(String(error && error.message)); }`;
  await rename(installed, hidden);
  try {
    const result = await run(process.execPath, ['--input-type=module', '-e', code], {
      cwd: projectDir,
      timeoutMs: STEP_TIMEOUT_MS,
      env: childEnv({ NODE_OPTIONS: '' }),
    });
    if (result.code !== 0) fail(name, describeExit(result), outputOf(result));
    else if (result.stdout !== MISSING_BULLMQ_MESSAGE)
      fail(name, `expected the message "${MISSING_BULLMQ_MESSAGE}"`, outputOf(result));
    else pass(name, 'imports; openWaitQueue() says to npm install bullmq');
  } finally {
    await rename(hidden, installed);
  }
}

/**
 * One copy of every class across entry points: an error that `aml-waiter/bullmq` revives is an instance of the
 * classes `aml-waiter` exports (the build puts the code the entries share in one chunk; a second copy would break
 * `instanceof`).
 * @param {string} projectDir
 * @param {Awaited<ReturnType<typeof plan>>} p
 */
async function checkSharedClasses(projectDir, p) {
  if (!p.bullmqBuilt) return;
  const name = `${MAIN} and ${BULLMQ} share classes`;
  const code = `
    const main = await import(${JSON.stringify(MAIN)});
    const fleet = await import(${JSON.stringify(BULLMQ)});
    const error = fleet.reviveWaiterError({ code: 'RESOURCE_FAILED', name: 'ResourceFailedError', message: 'm',
      kind: 'BatchPrediction', id: 'bp-1', history: [], attempts: 1, elapsedMs: 1 });
    process.stdout.write(JSON.stringify([error instanceof main.ResourceFailedError, error instanceof main.WaiterError]));`;
  const result = await run(process.execPath, ['--input-type=module', '-e', code], {
    cwd: projectDir,
    timeoutMs: STEP_TIMEOUT_MS,
    env: childEnv({ NODE_OPTIONS: '' }),
  });
  if (result.code !== 0) fail(name, describeExit(result), outputOf(result));
  else if (result.stdout !== '[true,true]')
    fail(name, `instanceof ResourceFailedError, WaiterError: ${result.stdout}`, outputOf(result));
  else pass(name, "a revived error is instanceof the main entry's ResourceFailedError and WaiterError");
}

/**
 * The installed emulator serves its console: the page, its script and the token-protected stream.
 * @param {string} projectDir
 * @param {Awaited<ReturnType<typeof plan>>} p
 */
async function checkConsole(projectDir, p) {
  if (!p.emulatorBuilt) return;
  const name = `${EMULATOR} console`;
  const code = `
    const { startEmulator } = await import(${JSON.stringify(EMULATOR)});
    const emu = await startEmulator({ console: true });
    try {
      const page = await fetch(emu.consoleUrl);
      const script = await fetch(emu.consoleUrl + 'console.js');
      const stream = await fetch(emu.consoleUrl + 'events', { headers: { 'x-aml-emulator-token': emu.controlToken } });
      const reader = stream.body.getReader();
      const first = new TextDecoder().decode((await reader.read()).value);
      await reader.cancel();
      process.stdout.write(JSON.stringify([page.status, (await page.text()).includes('src="console.js"'),
        script.status, (await script.text()).length > 1000, stream.status, first.startsWith('event: snapshot')]));
    } finally {
      await emu.close();
    }`;
  const result = await run(process.execPath, ['--input-type=module', '-e', code], {
    cwd: projectDir,
    timeoutMs: STEP_TIMEOUT_MS,
    env: childEnv({ NODE_OPTIONS: '' }),
  });
  if (result.code !== 0) fail(name, describeExit(result), outputOf(result));
  else if (result.stdout !== '[200,true,200,true,200,true]')
    fail(name, `page, script, stream: ${result.stdout}`, outputOf(result));
  else pass(name, 'serves the page, its script and the change stream from the installed package');
}

// ---------------------------------------------------------------------------------------------------------------
// Main

/** @type {string | undefined} */
let tempDir;

/**
 * Every relative link (`[text](target)`, not http(s), mailto or a bare `#anchor`) in the Markdown files of the
 * installed package resolves to a file or folder inside it: no link to docs/ or examples/ that was not shipped.
 * @param {string} projectDir
 */
async function checkDocLinks(projectDir) {
  const name = 'links in the packed Markdown';
  const installed = path.join(projectDir, 'node_modules', MAIN);
  const entries = await readdir(installed, { recursive: true, withFileTypes: true });
  const markdown = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.md'))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => !path.relative(installed, file).startsWith('node_modules'));
  const dead = [];
  let links = 0;
  for (const file of markdown) {
    const text = await readFile(file, 'utf8');
    // Inline links and images, outside code spans is close enough: code samples hold no `](…)`.
    for (const match of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = match[1] ?? '';
      if (/^(?:[a-z][a-z0-9+.-]*:|#)/i.test(target)) continue;
      links++;
      const resolved = path.resolve(path.dirname(file), decodeURIComponent(target.split('#')[0] ?? ''));
      if (!resolved.startsWith(installed) || !existsSync(resolved))
        dead.push(`${path.relative(installed, file)} → ${target}`);
    }
  }
  if (markdown.length === 0) fail(name, 'the package holds no Markdown file');
  else if (dead.length > 0) fail(name, `${dead.length} dead: ${dead.join(', ')}`);
  else pass(name, `${links} relative links in ${markdown.length} files all resolve inside the package`);
}

async function cleanUp() {
  if (tempDir === undefined) return;
  const dir = tempDir;
  tempDir = undefined;
  if (keepTemp) console.log(`package-test: kept ${dir}`);
  else await rm(dir, { recursive: true, force: true });
}

for (const [signal, code] of /** @type {const} */ ([
  ['SIGINT', 130],
  ['SIGTERM', 143],
])) {
  process.once(signal, () => {
    console.log(`package-test: ${signal}, stopping`);
    for (const child of children) child.kill('SIGKILL');
    void cleanUp().finally(() => process.exit(code));
  });
}

async function main() {
  const mode = allowMissing ? 'PACKAGE_TEST_ALLOW_MISSING=1' : 'strict';
  console.log(`package-test: ${MAIN}@${pkg.version} on Node ${process.version} (${mode})`);
  const p = await plan();
  tempDir = await mkdtemp(path.join(os.tmpdir(), 'aml-waiter-package-test-'));
  const packDir = path.join(tempDir, 'pack');
  const projectDir = path.join(tempDir, 'project');
  await mkdir(packDir);
  await mkdir(projectDir);

  const tarball = await packTarball(packDir, p);
  await checkPublint(tarball, p);
  await checkAttw(tarball, p);
  await installConsumer(projectDir, tarball);
  await checkLoad('import', projectDir, p);
  await checkLoad('require', projectDir, p);
  await checkOptionalPeer(projectDir, p);
  await checkSharedClasses(projectDir, p);
  await checkConsole(projectDir, p);
  for (const bin of p.binaries) await checkBinary(projectDir, bin);
  await checkTypes(projectDir, p);
  await checkDocLinks(projectDir);
}

try {
  await main();
} catch (error) {
  if (error instanceof FatalError) fail('package-test', error.message, error.output);
  else
    fail(
      'package-test',
      'unexpected error',
      error instanceof Error ? (error.stack ?? error.message) : String(error),
    );
} finally {
  await cleanUp();
}
const { passed, failed, skipped } = counts;
console.log(`package-test: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
