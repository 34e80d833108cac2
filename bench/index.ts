/**
 * `npm run bench`: every benchmark in sequence, each in its own process (so one's memory and JIT state
 * can't colour the next): client, emulator, schedule, scale, coldstart. Each writes its section of
 * docs/benchmarks.md; the emulator benchmark writes docs/benchmarks/emulator.md, folded in here.
 * Env: BENCH_ONLY=client,scale (a subset); the variables each benchmark reads pass through.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { foldIntoSection } from './docSection.js';
import { ROOT } from './ensureDist.js';

const BENCHMARKS = ['client', 'emulator', 'schedule', 'scale', 'coldstart'] as const;

/** After a benchmark ran: fold its own markdown file into docs/benchmarks.md where it doesn't itself. */
const AFTER: Partial<Record<(typeof BENCHMARKS)[number], () => void>> = {
  emulator: () => {
    foldIntoSection('emulator', join(ROOT, 'docs', 'benchmarks', 'emulator.md'));
  },
};

function run(name: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // Same runtime and loader (tsx) as this process.
    const child = spawn(process.execPath, [...process.execArgv, join(ROOT, 'bench', `${name}.ts`)], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      resolve(code ?? (signal === null ? 1 : 128));
    });
  });
}

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const failed: string[] = [];
for (const name of BENCHMARKS) {
  if (only !== undefined && !only.includes(name)) continue;
  process.stderr.write(`\n=== bench:${name} ===\n`);
  const started = performance.now();
  const code = await run(name);
  if (code === 0) AFTER[name]?.();
  else failed.push(`${name} (exit ${code})`);
  process.stderr.write(
    `=== bench:${name}: ${code === 0 ? 'done' : 'FAILED'} in ${((performance.now() - started) / 1000).toFixed(0)} s ===\n`,
  );
}
if (failed.length > 0) {
  process.stderr.write(`\nFailed: ${failed.join(', ')}\n`);
  process.exitCode = 1;
}
