import { describe, expect, test } from 'vitest';
import { parseCliArgs } from '../../src/cli/parseCliArgs.js';
import { UsageError } from '../../src/cli/UsageError.js';

function usage(argv: string[]): string {
  try {
    parseCliArgs(argv);
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as UsageError).code).toBe('ERR_AML_WAIT_USAGE');
    return (error as Error).message;
  }
  throw new Error(`expected a usage error for ${JSON.stringify(argv)}`);
}

describe('parseCliArgs', () => {
  test('defaults: batch predictions, nothing else set', () => {
    expect(parseCliArgs(['bp-1'])).toEqual({
      action: 'wait',
      options: {
        kind: 'BatchPrediction',
        ids: ['bp-1'],
        timeoutMs: undefined,
        minDelayMs: undefined,
        maxDelayMs: undefined,
        region: undefined,
        profile: undefined,
        endpoint: undefined,
        json: false,
        quiet: false,
        once: false,
        color: undefined,
      },
    });
  });

  test('every option, with short forms, and duplicate ids collapsed in order', () => {
    const command = parseCliArgs([
      '-k',
      'ml-model',
      '-t',
      '1h30m',
      '--min-delay',
      '500ms',
      '--max-delay=45',
      '--region',
      'eu-west-1',
      '--profile',
      'dev',
      '--endpoint',
      'http://127.0.0.1:4566',
      '--json',
      '-q',
      '--no-color',
      'ml-2',
      'ml-1',
      'ml-2',
    ]);
    expect(command).toEqual({
      action: 'wait',
      options: {
        kind: 'MLModel',
        ids: ['ml-2', 'ml-1'],
        timeoutMs: 5_400_000,
        minDelayMs: 500,
        maxDelayMs: 45_000,
        region: 'eu-west-1',
        profile: 'dev',
        endpoint: 'http://127.0.0.1:4566',
        json: true,
        quiet: true,
        once: false,
        color: false,
      },
    });
  });

  test.each([
    ['batch-prediction', 'BatchPrediction'],
    ['data-source', 'DataSource'],
    ['ml-model', 'MLModel'],
    ['evaluation', 'Evaluation'],
  ])('--kind %s → %s', (slug, kind) => {
    const command = parseCliArgs(['--kind', slug, 'x-1']);
    expect(command.action === 'wait' && command.options.kind).toBe(kind);
  });

  test('--help and --version win over everything else except parse errors', () => {
    expect(parseCliArgs(['--help'])).toEqual({ action: 'help' });
    expect(parseCliArgs(['-h', 'bad id!'])).toEqual({ action: 'help' });
    expect(parseCliArgs(['--version'])).toEqual({ action: 'version' });
    expect(parseCliArgs(['-V'])).toEqual({ action: 'version' });
    expect(parseCliArgs(['--color', '--once', 'bp-1'])).toMatchObject({
      options: { color: true, once: true },
    });
  });

  test.each([
    [['--frobnicate', 'bp-1'], 'Unknown option `--frobnicate`.'],
    [['-x', 'bp-1'], 'Unknown option `-x`.'],
    [['--no-json', 'bp-1'], 'Unknown option `--no-json`.'],
    [['--tiemout', '5s', 'bp-1'], 'Unknown option `--tiemout`: did you mean `--timeout`?'],
    [['--timout=5s', 'bp-1'], 'Unknown option `--timout`: did you mean `--timeout`?'],
    [['--regoin', 'eu-west-1', 'bp-1'], 'Unknown option `--regoin`: did you mean `--region`?'],
    [['--max-dealy', '1m', 'bp-1'], 'Unknown option `--max-dealy`: did you mean `--max-delay`?'],
    [['--no-colour', 'bp-1'], 'Unknown option `--no-colour`: did you mean `--no-color`?'],
    [['--endpoint-url', 'http://x', 'bp-1'], 'Unknown option `--endpoint-url`: did you mean `--endpoint`?'],
    [['--jsno', 'bp-1'], 'Unknown option `--jsno`: did you mean `--json`?'],
    [['--timeout'], 'Option `--timeout` needs a value.'],
    [['--region'], 'Option `--region` needs a value.'],
    [['--kind', '--json', 'bp-1'], 'Option `--kind` needs a value.'],
    [['--json=yes', 'bp-1'], 'Option `--json` takes no value.'],
    [[], 'Expected at least one resource id.'],
    [['--json'], 'Expected at least one resource id.'],
    [['bp 1'], 'Expected each `<id>` to be 1-64 characters of [a-zA-Z0-9_.-], got "bp 1".'],
    [
      ['bp-1', 'x'.repeat(65)],
      `Expected each \`<id>\` to be 1-64 characters of [a-zA-Z0-9_.-], got "${'x'.repeat(65)}".`,
    ],
    [
      ['--kind', 'model', 'm-1'],
      'Expected `--kind` to be one of batch-prediction, data-source, ml-model, evaluation, got "model".',
    ],
    [
      ['--timeout', 'soon', 'bp-1'],
      'Expected `--timeout` to be a duration such as 90s, 45m, 2h, 1h30m or 500ms (a bare number is seconds), got "soon".',
    ],
    [['--timeout', '0s', 'bp-1'], 'Expected `--timeout` to be from 1 ms to 9007199254740991 ms, got "0s".'],
    [['--max-delay', '30d', 'bp-1'], 'Expected `--max-delay` to be from 1 ms to 2147483647 ms, got "30d".'],
    [
      ['--min-delay', '1m', '--max-delay', '30s', 'bp-1'],
      'Expected `--max-delay` ("30s") to be at least `--min-delay` ("1m").',
    ],
    [
      ['--once', '--timeout', '1m', 'bp-1'],
      '`--once` makes a single request per id, so `--timeout` does not apply.',
    ],
    [
      ['--endpoint', 'localhost:4566', 'bp-1'],
      'Expected `--endpoint` to be an http or https URL, got "localhost:4566".',
    ],
    [
      ['--endpoint', 'ftp://example.com', 'bp-1'],
      'Expected `--endpoint` to be an http or https URL, got "ftp://example.com".',
    ],
    [['--region', ' ', 'bp-1'], 'Expected `--region` to be a non-empty string, got " ".'],
  ])('%j → %s', (argv, message) => {
    expect(usage(argv)).toBe(message);
  });

  test('ids that look like flags are accepted after --', () => {
    const command = parseCliArgs(['--', '-bp-1']);
    expect(command.action === 'wait' && command.options.ids).toEqual(['-bp-1']);
  });
});
