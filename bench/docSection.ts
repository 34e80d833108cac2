/**
 * Folds a benchmark's own markdown file (docs/benchmarks/<name>.md) into its section of
 * docs/benchmarks.md, so the summary page shows every benchmark while the per-benchmark file stays.
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { writeSection } from './report.js';

/** `markdown` with every ATX heading one level deeper (`#` → `##`), outside fenced code blocks. */
export function demoteHeadings(markdown: string): string {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
      return !fenced && /^#{1,5} /.test(line) ? `#${line}` : line;
    })
    .join('\n');
}

/**
 * Writes section `name` of docs/benchmarks.md from the markdown file `file` (a docs/benchmarks/*.md):
 * its headings demoted one level, followed by a link to the file.
 */
export function foldIntoSection(name: string, file: string): void {
  const markdown = readFileSync(file, 'utf8');
  writeSection(
    name,
    `${demoteHeadings(markdown).trim()}\n\n(Also in [benchmarks/${basename(file)}](benchmarks/${basename(file)}).)`,
  );
}
