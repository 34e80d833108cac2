/**
 * Prints the figures of the last reliability runs (from `.tmp/reliability-figures.json`, written by the
 * suites in test/reliability) as the Markdown rows used in docs/reliability.md.
 *
 * Usage: `npx tsx test/reliability/printFigures.ts`
 */
import { readFileSync } from 'node:fs';
import { FIGURES_FILE } from './helpers/figures.js';

type Figures = Record<string, Record<string, unknown>>;

let all: Figures;
try {
  all = JSON.parse(readFileSync(FIGURES_FILE, 'utf8')) as Figures;
} catch {
  process.stderr.write(`No figures yet: run \`npx vitest run test/reliability\` first (${FIGURES_FILE}).\n`);
  process.exit(1);
}

const cell = (value: unknown): string =>
  typeof value === 'object' && value !== null ? `\`${JSON.stringify(value)}\`` : String(value);

for (const [suite, figures] of Object.entries(all)) {
  process.stdout.write(`\n### ${suite}\n\n| figure | value |\n|---|---|\n`);
  for (const [key, value] of Object.entries(figures)) {
    if (key === 'samples') continue;
    process.stdout.write(`| ${key} | ${cell(value)} |\n`);
  }
}
