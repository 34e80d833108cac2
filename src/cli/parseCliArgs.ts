import { describeValue } from '../model/describeValue.js';
import { MAX_TIMER_MS } from '../model/Clock.js';
import { parseArgs } from 'node:util';
import { isValidEntityId } from '../model/entityId.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import { RESOURCE_KINDS, resourceKinds } from '../model/ResourceKind.js';
import { parseDuration } from './parseDuration.js';
import { UsageError } from './UsageError.js';

/** Longest delay `setTimeout` can represent (about 24.8 days). */

/** The validated options of one `aml-wait` run. */
export interface CliOptions {
  /** The kind of every id (`--kind`, default `BatchPrediction`). */
  readonly kind: ResourceKind;
  /** The ids to wait for, in the order given, without duplicates. */
  readonly ids: readonly string[];
  /** `--timeout` in milliseconds, if given. */
  readonly timeoutMs?: number | undefined;
  /** `--min-delay` in milliseconds, if given. */
  readonly minDelayMs?: number | undefined;
  /** `--max-delay` in milliseconds, if given. */
  readonly maxDelayMs?: number | undefined;
  /** `--region`, if given. */
  readonly region?: string | undefined;
  /** `--profile`, if given. */
  readonly profile?: string | undefined;
  /** `--endpoint`, if given (an http or https URL). */
  readonly endpoint?: string | undefined;
  /** `--json`: NDJSON on stdout, no progress on stderr. */
  readonly json: boolean;
  /** `--quiet`: no progress and no summary (with `--json`: only the `result` lines). */
  readonly quiet: boolean;
  /** `--once`: one request per id, report the current status, exit by it. */
  readonly once: boolean;
  /** `--color` (`true`), `--no-color` (`false`), or neither (`undefined`: decided from the stream and environment). */
  readonly color?: boolean | undefined;
}

/** What the command line asks for. */
type CliCommand =
  | { readonly action: 'help' }
  | { readonly action: 'version' }
  | { readonly action: 'wait'; readonly options: CliOptions };

const KIND_BY_SLUG: ReadonlyMap<string, ResourceKind> = new Map(
  RESOURCE_KINDS.map((kind) => [resourceKinds[kind].slug, kind]),
);

/** The slugs `--kind` accepts, in a stable order. */
const KIND_SLUGS: readonly string[] = RESOURCE_KINDS.map((kind) => resourceKinds[kind].slug);

const OPTIONS = {
  kind: { type: 'string', short: 'k' },
  timeout: { type: 'string', short: 't' },
  'min-delay': { type: 'string' },
  'max-delay': { type: 'string' },
  region: { type: 'string' },
  profile: { type: 'string' },
  endpoint: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean', short: 'q' },
  once: { type: 'boolean' },
  color: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
} as const;

function duration(flag: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  let ms: number;
  try {
    ms = parseDuration(value, flag);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (ms < 1 || ms > max) {
    throw new UsageError(`Expected \`${flag}\` to be from 1 ms to ${max} ms, got ${describeValue(value)}.`);
  }
  return ms;
}

function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value?.trim() === '') {
    throw new UsageError(`Expected \`${flag}\` to be a non-empty string, got ${describeValue(value)}.`);
  }
  return value;
}

function endpointUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`Expected \`--endpoint\` to be an http or https URL, got ${describeValue(value)}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`Expected \`--endpoint\` to be an http or https URL, got ${describeValue(value)}.`);
  }
  return value;
}

/**
 * Parses and validates the arguments of `aml-wait` (without the `node` and script paths). Nothing is
 * sent; every mistake is a {@link UsageError} whose message names the flag in backticks and echoes the
 * bad value.
 *
 * @throws {UsageError} For an unknown flag, a missing or invalid value, no id, or an invalid id.
 *
 * @example
 * ```ts
 * parseCliArgs(['--kind', 'ml-model', '--timeout', '2h', 'ml-123']);
 * // { action: 'wait', options: { kind: 'MLModel', ids: ['ml-123'], timeoutMs: 7_200_000, … } }
 * ```
 */
export function parseCliArgs(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: OPTIONS,
      strict: true,
      allowPositionals: true,
      allowNegative: true,
    });
  } catch (error) {
    throw new UsageError(describeParseError(error));
  }
  const { values, positionals } = parsed;
  for (const flag of ['json', 'quiet', 'once', 'help', 'version'] as const) {
    // allowNegative also accepts `--no-json` and friends; only `--no-color` means something.
    if (values[flag] === false) throw new UsageError(unknownOption(`--no-${flag}`));
  }
  if (values.help === true) return { action: 'help' };
  if (values.version === true) return { action: 'version' };

  let kind: ResourceKind = 'BatchPrediction';
  if (values.kind !== undefined) {
    const found = KIND_BY_SLUG.get(values.kind);
    if (found === undefined) {
      throw new UsageError(
        `Expected \`--kind\` to be one of ${KIND_SLUGS.join(', ')}, got ${describeValue(values.kind)}.`,
      );
    }
    kind = found;
  }

  if (positionals.length === 0) throw new UsageError('Expected at least one resource id.');
  for (const id of positionals) {
    if (!isValidEntityId(id)) {
      throw new UsageError(
        `Expected each \`<id>\` to be 1-64 characters of [a-zA-Z0-9_.-], got ${describeValue(id)}.`,
      );
    }
  }
  const ids = [...new Set(positionals)];

  const once = values.once === true;
  if (once) {
    for (const flag of ['timeout', 'min-delay', 'max-delay'] as const) {
      if (values[flag] !== undefined) {
        throw new UsageError(`\`--once\` makes a single request per id, so \`--${flag}\` does not apply.`);
      }
    }
  }
  const timeoutMs = duration('--timeout', values.timeout, Number.MAX_SAFE_INTEGER);
  const minDelayMs = duration('--min-delay', values['min-delay'], MAX_TIMER_MS);
  const maxDelayMs = duration('--max-delay', values['max-delay'], MAX_TIMER_MS);
  if (minDelayMs !== undefined && maxDelayMs !== undefined && maxDelayMs < minDelayMs) {
    throw new UsageError(
      `Expected \`--max-delay\` (${describeValue(values['max-delay'] ?? '')}) to be at least \`--min-delay\` (${describeValue(values['min-delay'] ?? '')}).`,
    );
  }

  return {
    action: 'wait',
    options: {
      kind,
      ids,
      timeoutMs,
      minDelayMs,
      maxDelayMs,
      region: nonEmpty('--region', values.region),
      profile: nonEmpty('--profile', values.profile),
      endpoint: endpointUrl(values.endpoint),
      json: values.json === true,
      quiet: values.quiet === true,
      once,
      color: values.color,
    },
  };
}

/** Every long option `aml-wait` accepts, for "did you mean". */
const LONG_OPTIONS: readonly string[] = [...Object.keys(OPTIONS).map((name) => `--${name}`), '--no-color'];

/** The number of single-character edits (insert, delete, replace, swap two neighbours) from `a` to `b`. */
function editDistance(a: string, b: string): number {
  const width = b.length + 1;
  const d = new Uint16Array((a.length + 1) * width);
  const at = (i: number, j: number): number => d[i * width + j] ?? 0;
  for (let i = 0; i <= a.length; i++) d[i * width] = i;
  for (let j = 0; j <= b.length; j++) d[j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      d[i * width + j] = best;
    }
  }
  return at(a.length, b.length);
}

/**
 * `Unknown option \`--tiemout\`: did you mean \`--timeout\`?` — the closest long option within two edits (or a
 * third of its length), a long option the flag is a prefix of, or one the flag extends (`--endpoint-url`); else
 * only `Unknown option …`.
 */
function unknownOption(flag: string): string {
  const name = flag.replace(/=.*$/s, '');
  const long = name.startsWith('--') ? name : `--${name.replace(/^-+/, '')}`;
  let best: { option: string; distance: number } | undefined;
  for (const option of LONG_OPTIONS) {
    // A prefix of an option (`--time`), or an option with a suffix (`--endpoint-url`, the AWS CLI's name) is a match.
    const prefix = (option.startsWith(long) && long.length >= 4) || long.startsWith(`${option}-`);
    const distance = prefix ? 0 : editDistance(long, option);
    if (best === undefined || distance < best.distance) best = { option, distance };
  }
  const limit = Math.max(2, Math.floor((best?.option.length ?? 0) / 3));
  return best !== undefined && best.distance <= limit && name.length > 2
    ? `Unknown option \`${name}\`: did you mean \`${best.option}\`?`
    : `Unknown option \`${name}\`.`;
}

/** Turns a `parseArgs` error into one sentence that names the flag. */
function describeParseError(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const flag = /'([^']+)'/.exec(text)?.[1];
    return flag === undefined ? text : unknownOption(flag);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    // "Option '-t, --timeout <value>' argument missing": prefer the long name.
    const flag = /'(?:-\w, )?(--?[\w-]+)/.exec(text)?.[1];
    if (flag !== undefined && (text.includes('argument missing') || text.includes('ambiguous'))) {
      return `Option \`${flag}\` needs a value.`;
    }
    if (flag !== undefined && text.includes('does not take an argument'))
      return `Option \`${flag}\` takes no value.`;
  }
  return text;
}
