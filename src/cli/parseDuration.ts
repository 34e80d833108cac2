import { describeValue } from '../model/describeValue.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
type Unit = keyof typeof UNIT_MS;
const UNIT_ORDER: readonly Unit[] = ['d', 'h', 'm', 's', 'ms'];

const BARE_NUMBER = /^\d+(?:\.\d+)?$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/y;

/** What {@link parseDuration} accepts, for messages and `--help`. */
export const DURATION_HINT = 'a duration such as 90s, 45m, 2h, 1h30m or 500ms (a bare number is seconds)';

/**
 * Parses a human duration into milliseconds: `90s`, `45m`, `2h`, `1d`, `500ms`, `1.5h`, and compounds with
 * units in decreasing order such as `1h30m` or `2m30s`. A bare number (`90`, `2.5`) is seconds.
 * Units: `ms`, `s`, `m` (minutes), `h`, `d`. The result is rounded to a whole millisecond.
 *
 * @param text - The text to parse, as typed by the user.
 * @param name - How to name the value in error messages, e.g. `--timeout`.
 * @throws {TypeError} When `text` is not a duration; the message names `name` and echoes `text`.
 * @throws {RangeError} When the duration is too large to represent exactly.
 *
 * @example
 * ```ts
 * parseDuration('1h30m', '--timeout'); // 5_400_000
 * parseDuration('90', '--timeout');    // 90_000
 * ```
 */
export function parseDuration(text: string, name = 'duration'): number {
  const invalid = (why = ''): TypeError =>
    new TypeError(`Expected \`${name}\` to be ${DURATION_HINT}, got ${describeValue(text)}${why}.`);
  if (text === '') throw invalid();
  let ms: number;
  if (BARE_NUMBER.test(text)) {
    ms = Number(text) * UNIT_MS.s;
  } else {
    ms = 0;
    PART.lastIndex = 0;
    let lastRank = -1;
    while (PART.lastIndex < text.length) {
      const at = PART.lastIndex;
      const match = PART.exec(text);
      if (match === null) {
        throw invalid(at === 0 ? '' : ` (cannot read ${describeValue(text.slice(at))})`);
      }
      const unit = match[2] as Unit;
      const rank = UNIT_ORDER.indexOf(unit);
      if (rank <= lastRank) throw invalid(` (units must appear once each, largest first)`);
      lastRank = rank;
      ms += Number(match[1]) * UNIT_MS[unit];
    }
  }
  const rounded = Math.round(ms);
  if (!Number.isSafeInteger(rounded)) {
    throw new RangeError(
      `Expected \`${name}\` to be at most ${Number.MAX_SAFE_INTEGER} ms, got ${describeValue(text)}.`,
    );
  }
  return rounded;
}

/**
 * The inverse of {@link parseDuration} for messages that name a flag: whole units, largest first, as a user
 * would type them (`5000` → `5s`, `5_400_000` → `1h30m`, `1500` → `1s500ms`).
 */
export function formatDurationFlag(ms: number): string {
  let rest = Math.round(ms);
  if (rest <= 0) return '0s';
  let text = '';
  for (const unit of UNIT_ORDER) {
    const count = Math.floor(rest / UNIT_MS[unit]);
    if (count > 0) {
      text += `${count}${unit}`;
      rest -= count * UNIT_MS[unit];
    }
  }
  return text;
}
