/**
 * Every TypeScript sample in README.md and docs/*.md type-checks against the source, as a user's module that
 * imports `aml-waiter`, `aml-waiter/emulator` and `aml-waiter/bullmq`: a sample can't rot when an API changes.
 * Samples are the Markdown's ```ts / ```typescript blocks, each a module of its own.
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** One fenced TypeScript block of a Markdown file. */
interface Sample {
  /** `README.md:123`: the file and the line of the opening fence. */
  readonly where: string;
  /** The line of the block's first code line, 1-based. */
  readonly firstLine: number;
  readonly code: string;
}

/** The ```ts and ```typescript blocks of a Markdown text. */
function extractSamples(file: string, markdown: string): Sample[] {
  const samples: Sample[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*(ts|typescript|mts)\s*$/.exec(lines[index] ?? '');
    if (open === null) continue;
    const [, indent = '', fence = '```'] = open;
    const body: string[] = [];
    let end = index + 1;
    while (end < lines.length && !(lines[end] ?? '').trim().startsWith(fence)) {
      body.push((lines[end] ?? '').slice(indent.length));
      end++;
    }
    samples.push({ where: `${file}:${index + 1}`, firstLine: index + 2, code: body.join('\n') });
    index = end;
  }
  return samples;
}

/** The Markdown files whose samples are checked: README.md and docs/*.md. */
const markdownFiles = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `docs/${name}`),
];

/** Compiler options: the project's, with the package's entry points mapped onto src/. */
function compilerOptions(): ts.CompilerOptions {
  const config = ts.readConfigFile(join(root, 'tsconfig.json'), (path) => ts.sys.readFile(path));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  const { rootDir: _rootDir, ...options } = parsed.options;
  return {
    ...options,
    noEmit: true,
    // A sample shows one thing; the variables it leaves unused are part of the illustration.
    noUnusedLocals: false,
    noUnusedParameters: false,
    paths: {
      'aml-waiter': ['./src/index.ts'],
      'aml-waiter/emulator': ['./src/emulator/index.ts'],
      'aml-waiter/bullmq': ['./src/bullmq/index.ts'],
    },
  };
}

/**
 * Type-checks the samples as modules (one `.mts` file each, under node_modules/.cache) in one program, and
 * returns each sample's diagnostics as `README.md:130: TS2304 Cannot find name 'x'.` lines.
 */
function typeCheck(samples: readonly Sample[]): Map<Sample, string[]> {
  const dir = join(root, 'node_modules', '.cache', 'aml-waiter-samples');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const fileOf = new Map<string, Sample>();
  samples.forEach((sample, index) => {
    const file = join(dir, `sample-${index}.mts`);
    // `export {}` makes every sample a module, so top-level await and its own names are allowed.
    writeFileSync(file, `${sample.code}\nexport {};\n`);
    fileOf.set(file, sample);
  });
  const program = ts.createProgram([...fileOf.keys()], compilerOptions());
  const result = new Map<Sample, string[]>(samples.map((sample) => [sample, []]));
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const sample = diagnostic.file === undefined ? undefined : fileOf.get(diagnostic.file.fileName);
    const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (sample === undefined || diagnostic.file === undefined || diagnostic.start === undefined) {
      // A problem outside the samples (the configuration, src/) is reported against all of them.
      for (const lines of result.values()) lines.push(`TS${diagnostic.code} ${text}`);
      continue;
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    const file = sample.where.split(':')[0] ?? '';
    result.get(sample)?.push(`${file}:${sample.firstLine + line}: TS${diagnostic.code} ${text}`);
  }
  return result;
}

const samples = markdownFiles.flatMap((file) => extractSamples(file, readFileSync(join(root, file), 'utf8')));

/** A sample with a type error, checked in the same program: the check can fail, and says where. */
const [broken] = extractSamples(
  'BROKEN.md',
  [
    '# t',
    '',
    '```ts',
    "import { waitForBatchPrediction } from 'aml-waiter';",
    '',
    "const bp = await waitForBatchPrediction('bp-1');",
    'console.log(bp.NoSuchMember);',
    '```',
    '',
  ].join('\n'),
);

describe('TypeScript samples in the Markdown', () => {
  // One program for every sample: the type checker's set-up is paid once.
  const diagnostics = typeCheck(broken === undefined ? samples : [...samples, broken]);

  it('finds the samples of README.md and docs/', () => {
    const inReadme = samples.filter((sample) => sample.where.startsWith('README.md:'));
    const inDocs = samples.filter((sample) => sample.where.startsWith('docs/'));
    expect(inReadme.length).toBeGreaterThanOrEqual(5);
    expect(inDocs.length).toBeGreaterThanOrEqual(1);
  });

  for (const sample of samples) {
    it(`${sample.where} type-checks`, () => {
      expect(diagnostics.get(sample)).toEqual([]);
    });
  }

  it('reports a broken sample at its Markdown line (the check can fail)', () => {
    expect(broken?.where).toBe('BROKEN.md:3');
    expect(diagnostics.get(broken!)).toEqual([
      "BROKEN.md:7: TS2339 Property 'NoSuchMember' does not exist on type 'BatchPrediction'.",
    ]);
  });
});
