import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the reliability suites write the figures of their last run (git-ignored). */
export const FIGURES_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  '.tmp',
  'reliability-figures.json',
);

/** Merges `figures` under `suite` into {@link FIGURES_FILE}, with the time of the run. */
export function writeFigures(suite: string, figures: Record<string, unknown>): void {
  let all: Record<string, unknown>;
  try {
    all = JSON.parse(readFileSync(FIGURES_FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    all = {};
  }
  all[suite] = { ...figures, at: new Date().toISOString(), node: process.version };
  mkdirSync(dirname(FIGURES_FILE), { recursive: true });
  writeFileSync(FIGURES_FILE, `${JSON.stringify(all, null, 2)}\n`);
}
