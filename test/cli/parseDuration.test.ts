import { fc, test as propTest } from '@fast-check/vitest';
import { describe, expect, test } from 'vitest';
import { parseDuration } from '../../src/cli/parseDuration.js';

describe('parseDuration', () => {
  test.each([
    ['90s', 90_000],
    ['45m', 2_700_000],
    ['2h', 7_200_000],
    ['1d', 86_400_000],
    ['500ms', 500],
    ['1h30m', 5_400_000],
    ['2m30s', 150_000],
    ['1d2h3m4s5ms', 93_784_005],
    ['1.5h', 5_400_000],
    ['0.25s', 250],
    ['90', 90_000],
    ['2.5', 2500],
    ['0', 0],
    ['1.0005s', 1001],
  ])('%s → %i ms', (text, ms) => {
    expect(parseDuration(text, '--timeout')).toBe(ms);
  });

  test.each([
    ['', ''],
    ['abc', ''],
    ['-5s', ''],
    ['5 s', ''],
    ['5x', ''],
    ['1h5x', ' (cannot read "5x")'],
    ['1h 5m', ' (cannot read " 5m")'],
    ['1m1m', ' (units must appear once each, largest first)'],
    ['30m1h', ' (units must appear once each, largest first)'],
    ['1.5.5s', ''],
    ['h', ''],
    ['5S', ''],
    ['1e3', ''],
    ['Infinity', ''],
  ])('rejects %j naming the flag and echoing the value', (text, why) => {
    expect(() => parseDuration(text, '--timeout')).toThrow(
      new TypeError(
        `Expected \`--timeout\` to be a duration such as 90s, 45m, 2h, 1h30m or 500ms (a bare number is seconds), got ${JSON.stringify(text)}${why}.`,
      ),
    );
  });

  test('rejects durations too large to be exact', () => {
    expect(() => parseDuration('999999999999d', '--timeout')).toThrow(RangeError);
    expect(() => parseDuration('999999999999d', '--timeout')).toThrow(/`--timeout`.*"999999999999d"/);
  });

  propTest.prop([
    fc.nat({ max: 30 }),
    fc.nat({ max: 23 }),
    fc.nat({ max: 59 }),
    fc.nat({ max: 59 }),
    fc.nat({ max: 999 }),
  ])('a compound of d/h/m/s/ms adds up exactly', (d, h, m, s, ms) => {
    const text = `${d}d${h}h${m}m${s}s${ms}ms`;
    expect(parseDuration(text)).toBe((((d * 24 + h) * 60 + m) * 60 + s) * 1000 + ms);
  });

  propTest.prop([fc.string({ maxLength: 12 })])(
    'any string: a whole number of ms or a TypeError/RangeError, never a hang',
    (text) => {
      try {
        const ms = parseDuration(text, 'x');
        expect(Number.isSafeInteger(ms) && ms >= 0).toBe(true);
      } catch (error) {
        expect(error instanceof TypeError || error instanceof RangeError).toBe(true);
        expect((error as Error).message).toContain('`x`');
      }
    },
  );
});
