import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EXIT_CODE_MEANINGS,
  EXIT_CODE_PRECEDENCE,
  ExitCode,
  exitCodeTable,
} from '../../src/cli/exitCodes.js';
import { helpText } from '../../src/cli/helpText.js';

const read = (file: string): string => readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');

/** The rows of the first Markdown table after `heading` whose first header cell is `firstHeader`. */
function tableAfter(markdown: string, heading: string, firstHeader: string): string[][] {
  const from = markdown.indexOf(heading);
  expect(from, heading).toBeGreaterThanOrEqual(0);
  const lines = markdown.slice(from).split('\n');
  const start = lines.findIndex((line) => new RegExp(`^\\|\\s*${firstHeader}\\s*\\|`).test(line));
  expect(start, `${firstHeader} table after ${heading}`).toBeGreaterThan(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(1, -1)
        .split('|')
        .map((cell) => cell.trim()),
    );
  }
  return rows;
}

describe('one source of truth for the exit codes', () => {
  it('lists every code of ExitCode exactly once', () => {
    expect(EXIT_CODE_MEANINGS.map(([code]) => code).sort((a, b) => a - b)).toEqual(
      Object.values(ExitCode).sort((a, b) => a - b),
    );
  });

  it("README.md's table is exitCodes.ts's", () => {
    expect(tableAfter(read('README.md'), '### The CLI', 'exit code')).toEqual(exitCodeTable());
    expect(read('README.md')).toContain(EXIT_CODE_PRECEDENCE);
  });

  it("docs/cli.md's table is exitCodes.ts's", () => {
    expect(tableAfter(read('docs/cli.md'), '## Exit codes', 'code')).toEqual(exitCodeTable());
  });

  it('--help prints every code with its meaning, and the precedence', () => {
    const help = helpText('1.2.3');
    for (const [code, meaning] of EXIT_CODE_MEANINGS) {
      expect(help).toContain(`\n  ${String(code).padEnd(5)}${meaning.replaceAll('`', '')}\n`);
    }
    expect(help).toContain(EXIT_CODE_PRECEDENCE);
    // The `--once` example tells "still running" (75) from a failure.
    expect(help).toContain('aml-wait --once -q bp-1; case $? in 0) echo done ;; 75) echo "not done yet" ;;');
    expect(help).not.toMatch(/--once[^\n]*\|\|/);
  });
});
