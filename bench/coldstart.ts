/**
 * Cold-start benchmark: a whole `node` process that imports the library, waits for one already-COMPLETED
 * batch prediction on a running emulator (in a child process), and exits — repeated, interleaved, for
 * aml-waiter (built `dist/`), the AWS SDK v3 waiter, and bare `node` (the floor). Then where the time goes:
 * the import time of each module, each in a fresh process.
 *
 * Run: `npm run bench:coldstart` (`tsx bench/coldstart.ts`). Writes the `coldstart` section of
 * docs/benchmarks.md. Env: COLDSTART_RUNS (default 15).
 */
import { execFileSync, spawn, fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as EmulatorModule from '../src/emulator/index.js';
import { distSnapshot, ROOT } from './ensureDist.js';
import { machineLine, table, writeSection } from './report.js';

const RUNS = Number(process.env.COLDSTART_RUNS ?? 15);
const SELF = fileURLToPath(import.meta.url);
/** Generated scripts live under node_modules so that bare specifiers resolve from the project. */
const WORK = join(ROOT, 'node_modules', '.cache', 'aml-waiter-coldstart');
/** COLDSTART_DIST=<dir>: measure another build (e.g. with a patch applied); default: a copy of dist/. */
const DIST_DIR = process.env.COLDSTART_DIST;
const ID = 'coldstart-bp-1';

interface Target {
  readonly endpoint: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** The scripts each run executes (plain ESM, no loader), by contender. */
// Each script prints its phases on exit: node start → script start → imported → waited → 'exit' event.
const PHASES = `process.on('exit', () => process.stdout.write(JSON.stringify({ start: t0, import: t1 - t0, wait: t2 - t1, exit: performance.now() - t2 })));`;
const ours = (DIST_INDEX: string): string => `const t0 = performance.now();
const { waitForBatchPrediction } = await import(${JSON.stringify(DIST_INDEX)});
const t1 = performance.now();
const e = process.env;
const bp = await waitForBatchPrediction(${JSON.stringify(ID)}, {
  client: { endpoint: e.COLD_ENDPOINT, region: e.COLD_REGION, credentials: { accessKeyId: e.COLD_KEY, secretAccessKey: e.COLD_SECRET } },
});
const t2 = performance.now();
if (bp.Status !== 'COMPLETED') process.exit(1);
${PHASES}
`;
const scripts = (DIST_INDEX: string) => ({
  floor: `// bare node: start and exit\n`,
  ours: ours(DIST_INDEX),
  oursLiftoff: ours(DIST_INDEX),
  // The CLI is not a script: it runs the built binary (see CLI_ARGS); this placeholder keeps the contender list in one place.
  cli: '',
  sdk: `const t0 = performance.now();
const { MachineLearningClient, waitUntilBatchPredictionAvailable } = await import('@aws-sdk/client-machine-learning');
const t1 = performance.now();
const e = process.env;
const client = new MachineLearningClient({ endpoint: e.COLD_ENDPOINT, region: e.COLD_REGION, credentials: { accessKeyId: e.COLD_KEY, secretAccessKey: e.COLD_SECRET } });
const result = await waitUntilBatchPredictionAvailable({ client, maxWaitTime: 60, minDelay: 1 }, { FilterVariable: 'Name', EQ: ${JSON.stringify(ID)} });
client.destroy();
const t2 = performance.now();
if (result.state !== 'SUCCESS') process.exit(1);
${PHASES}
`,
});
/** Extra `node` flags per contender. */
const FLAGS: Partial<Record<Contender, readonly string[]>> = {
  // V8 compiles undici's llhttp WebAssembly with its optimizing tier in the background, and node waits for
  // that compilation before it exits; with Liftoff only there is nothing to wait for.
  oursLiftoff: ['--liftoff-only'],
};
interface Phases {
  readonly start: number;
  readonly import: number;
  readonly wait: number;
  readonly exit: number;
}
type Contender = keyof ReturnType<typeof scripts>;

const LABELS: Record<Contender, string> = {
  floor: 'bare `node` (start + exit: the floor)',
  ours: 'aml-waiter (`dist/`): import + `waitForBatchPrediction` + exit',
  oursLiftoff: 'the same with `node --liftoff-only` (diagnosis, not a fix)',
  cli: '`aml-wait --quiet <id>` (the built CLI binary): the same wait from a shell',
  sdk: 'AWS SDK v3 3.523.0: import + `waitUntilBatchPredictionAvailable` + exit',
};

/** Modules whose import time is measured, each in a fresh process. */
const modules = (DIST_INDEX: string): readonly [label: string, specifiers: readonly string[]][] => [
  ['`rxjs` (the root entry: all of rxjs)', ['rxjs']],
  ['`rxjs/internal/Observable` (what aml-waiter imports)', ['rxjs/internal/Observable']],
  ['`undici` (the root entry: all of undici)', ['undici']],
  ['`undici/lib/dispatcher/agent.js` (the Agent alone)', ['undici/lib/dispatcher/agent.js']],
  ['`aws4`', ['aws4']],
  ['`p-retry`', ['p-retry']],
  ['`eventemitter3`', ['eventemitter3']],
  ['aml-waiter `dist/index.js` (its dependencies and its own modules)', [DIST_INDEX]],
  ['`@aws-sdk/client-machine-learning`', ['@aws-sdk/client-machine-learning']],
];

function importScript(specifiers: readonly string[]): string {
  return `const t0 = performance.now();
${specifiers.map((specifier) => `await import(${JSON.stringify(specifier)});`).join('\n')}
process.stdout.write(String(performance.now() - t0));
`;
}

async function emulatorChild(dist: string): Promise<void> {
  const { startEmulator } = (await import(
    pathToFileURL(join(dist, 'emulator', 'index.js')).href
  )) as typeof EmulatorModule;
  const emulator = await startEmulator({ maxLogEntries: 0 });
  emulator.put('BatchPrediction', {
    BatchPredictionId: ID,
    Name: ID,
    MLModelId: 'coldstart-ml',
    BatchPredictionDataSourceId: 'coldstart-ds',
    InputDataLocationS3: 's3://coldstart/in.csv',
    OutputUri: 's3://coldstart/out/',
    Status: 'COMPLETED',
  });
  process.on('disconnect', () => {
    void emulator.close().then(() => process.exit(0));
  });
  process.send?.({
    endpoint: emulator.endpoint,
    region: emulator.region,
    accessKeyId: emulator.credentials.accessKeyId,
    secretAccessKey: emulator.credentials.secretAccessKey,
  } satisfies Target);
}

/** Runs `<node> [flags] <file> [args]` to completion; returns its wall time (ms, spawn to exit) and stdout. */
function runNode(
  file: string,
  env: NodeJS.ProcessEnv,
  flags: readonly string[] = [],
  node: string = process.execPath,
  args: readonly string[] = [],
): Promise<{ ms: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(node, [...flags, file, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve({ ms, stdout });
      else reject(new Error(`${file} exited with ${String(code)}`));
    });
  });
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

const ms = (n: number): string => n.toFixed(1);

/** The `node` binaries to run the contenders on: this one, then each of COLDSTART_NODES (comma-separated paths). */
function nodeBinaries(): readonly string[] {
  const extra = (process.env.COLDSTART_NODES ?? '').split(',').filter((path) => path !== '');
  return [process.execPath, ...extra];
}

function versionOf(node: string): string {
  return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
}

async function main(): Promise<void> {
  const emulatorIndex = process.argv.indexOf('--emulator');
  if (emulatorIndex !== -1) {
    await emulatorChild(process.argv[emulatorIndex + 1]!);
    return;
  }
  const dist = DIST_DIR ?? distSnapshot('coldstart');
  const SCRIPTS = scripts(pathToFileURL(join(dist, 'index.js')).href);
  const MODULES = modules(pathToFileURL(join(dist, 'index.js')).href);
  mkdirSync(WORK, { recursive: true });
  const files = Object.fromEntries(
    (Object.keys(SCRIPTS) as Contender[]).map((name) => {
      const file = join(WORK, `${name}.mjs`);
      writeFileSync(file, SCRIPTS[name]);
      return [name, name === 'cli' ? join(dist, 'cli', 'main.js') : file];
    }),
  ) as Record<Contender, string>;
  const emulator: ChildProcess = fork(SELF, ['--emulator', dist], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const target = await new Promise<Target>((resolve, reject) => {
    emulator.once('message', (m: Target) => {
      resolve(m);
    });
    emulator.once('exit', (code) => {
      reject(new Error(`emulator exited with ${String(code)}`));
    });
  });
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    COLD_ENDPOINT: target.endpoint,
    COLD_REGION: target.region,
    COLD_KEY: target.accessKeyId,
    COLD_SECRET: target.secretAccessKey,
    // The CLI reads the standard variables.
    AWS_ENDPOINT_URL: target.endpoint,
    AWS_REGION: target.region,
    AWS_ACCESS_KEY_ID: target.accessKeyId,
    AWS_SECRET_ACCESS_KEY: target.secretAccessKey,
    AWS_CONFIG_FILE: join(WORK, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(WORK, 'no-credentials'),
  };
  const args = (c: Contender): readonly string[] => (c === 'cli' ? ['--quiet', ID] : []);
  const contenders = Object.keys(SCRIPTS) as Contender[];
  const nodes = nodeBinaries();
  const key = (node: string, c: Contender): string => `${node}\u0000${c}`;
  const times = new Map<string, number[]>(nodes.flatMap((n) => contenders.map((c) => [key(n, c), []])));
  const phases = new Map<Contender, Phases[]>(contenders.map((c) => [c, []]));
  const importTimes = new Map<string, number[]>(MODULES.map(([label]) => [label, []]));
  const importFiles = MODULES.map(([label, specifiers], i) => {
    const file = join(WORK, `import-${i}.mjs`);
    writeFileSync(file, importScript(specifiers));
    return [label, file] as const;
  });
  try {
    // One warm-up round (file system cache), then interleaved rounds so noise hits every contender alike.
    for (const node of nodes)
      for (const c of contenders) await runNode(files[c], env, FLAGS[c], node, args(c));
    for (let round = 0; round < RUNS; round++) {
      for (const node of nodes) {
        for (const c of contenders) {
          const { ms: wall, stdout } = await runNode(files[c], env, FLAGS[c], node, args(c));
          times.get(key(node, c))!.push(wall);
          if (node === process.execPath && stdout !== '') phases.get(c)!.push(JSON.parse(stdout) as Phases);
        }
      }
      for (const [label, file] of importFiles) {
        importTimes.get(label)!.push(Number((await runNode(file, env)).stdout));
      }
    }
  } finally {
    emulator.disconnect();
  }
  const median = (c: Contender, node = process.execPath): number => quantile(times.get(key(node, c))!, 0.5);
  const rows = contenders.map((c) => [
    LABELS[c],
    ms(median(c)),
    ms(quantile(times.get(key(process.execPath, c))!, 0.9)),
    ms(median(c) - median('floor')),
  ]);
  const importRows = MODULES.map(([label]) => [
    label,
    ms(quantile(importTimes.get(label)!, 0.5)),
    ms(quantile(importTimes.get(label)!, 0.9)),
  ]);
  const verdict = (ours: number, sdk: number): string =>
    `${ms(ours)} ms vs ${ms(sdk)} ms (${(ours / sdk).toFixed(2)}×): **${ours <= sdk ? 'met' : 'NOT met'}**`;
  const perNodeRows = nodes.map((node) => [
    `Node ${versionOf(node)}`,
    ms(median('floor', node)),
    verdict(median('ours', node), median('sdk', node)),
    verdict(median('cli', node), median('sdk', node)),
  ]);
  const phase = (c: Contender, field: keyof Phases): string =>
    ms(
      quantile(
        phases.get(c)!.map((p) => p[field]),
        0.5,
      ),
    );
  const phaseRows = (['ours', 'oursLiftoff', 'sdk'] as const).map((c) => [
    LABELS[c],
    ms(median(c)),
    phase(c, 'start'),
    phase(c, 'import'),
    phase(c, 'wait'),
    phase(c, 'exit'),
  ]);
  const md = `## Cold start (\`npm run bench:coldstart\`)

${machineLine()}.

A whole \`node\` process, spawned and timed from the parent until it exits: import the library, wait for one
batch prediction that is already COMPLETED on an emulator running in another process, exit (the waiter closes its
own client; the SDK script calls \`client.destroy()\`). The CLI row runs the built \`aml-wait\` binary for the same
wait. ${RUNS} interleaved runs per contender after one warm-up round; plain \`node\`, no loader, aml-waiter from
\`dist/\` (the bundle \`npm run build\` makes). "Above floor" = median − bare node's median.

${table(['process', 'median ms', 'p90 ms', 'above floor ms'], rows)}

Target: no slower than the SDK. Per Node version (medians; the SDK row is the same SDK script on that Node;
other versions come from \`COLDSTART_NODES=<path to node>,…\`):

${table(['node', 'bare node ms', 'aml-waiter library vs SDK', 'aml-wait CLI vs SDK'], perNodeRows)}

Where the time goes in each process on ${process.version} (medians; "node start" = \`performance.now()\` when the
script's first line runs, "exit" = from the end of the wait to the \`exit\` event):

${table(['process', 'total ms', 'node start ms', 'import ms', 'wait ms', 'wait end → exit ms'], phaseRows)}

And \`await import(…)\` of each module alone, timed with \`performance.now()\` inside a fresh
process (${RUNS} runs each; a module's time includes what it imports):

${table(['module', 'median ms', 'p90 ms'], importRows)}

Findings:

- **rxjs**: its root entry (the CommonJS build under Node) loads all of rxjs, ~400 files. aml-waiter's only
  runtime rxjs import (\`src/waiter/waitStream.ts\`) takes \`Observable\` from its
  \`rxjs/internal/…\` module — the same files, so the same classes as the user's \`rxjs\` (one copy, \`instanceof\`
  works) — which loads ~35 files (the two rxjs rows above).
- **undici**: its root entry loads all of undici (fetch, WebSocket, cache, mocks, …); the client only needs \`Agent\`
  (it sends with \`dispatch()\`), which alone costs the "Agent alone" row.
- **aml-waiter's own modules**: Node's ES-module loader pays per file; tsc's one-file-per-module output (~50 files
  behind \`aml-waiter\`) cost ~20 ms more than the same code in one file, so \`npm run build\` bundles each entry
  point with esbuild (dependencies stay external; shared code in \`dist/chunks/\`).
- **Exit, Node 20 only**: V8 11.3 (Node 20) recompiles undici's llhttp WebAssembly parser with its optimizing tier
  on a background thread after the first response (~80 ms of CPU), and \`node\` does not exit until that compilation
  ends ("wait end → exit" column; with \`--liftoff-only\` it drops to almost nothing). The SDK (on \`node:http\`, whose
  parser is native) exits at once. Node 22 and 24 do not hold the exit for it. A library can't set V8 flags for the
  process that imports it, so on Node 20 a script that exits right after its first request pays this; the
  \`aml-wait\` binary owns its process and keeps WebAssembly on the baseline compiler on Node 20
  (\`src/cli/main.ts\`), which is why its row has no such wait.
`;
  // A run against another build (an experiment) prints its table but leaves the docs alone.
  if (DIST_DIR === undefined) writeSection('coldstart', md);
  process.stdout.write(md);
}

await main();
