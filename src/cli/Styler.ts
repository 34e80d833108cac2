import { styleText } from 'node:util';
import type { CliStream } from './CliIo.js';

/** A text format of `util.styleText` (`'red'`, `'bold'`, …). */
export type Style = Parameters<typeof styleText>[0];

/** Applies `util.styleText` formats to text, or leaves it plain when colours are off. */
export interface Styler {
  readonly enabled: boolean;
  (format: Style, text: string): string;
}

/**
 * Decides whether to colour what goes to `stream`, following the usual conventions: an explicit
 * `--color`/`--no-color` wins; otherwise a non-empty `NO_COLOR` or `NODE_DISABLE_COLORS` turns colours
 * off, `FORCE_COLOR` (other than `0`/`false`) turns them on, and else a terminal that has colours gets them.
 */
export function shouldColor(
  stream: CliStream,
  env: Readonly<Record<string, string | undefined>>,
  flag: boolean | undefined,
): boolean {
  if (flag !== undefined) return flag;
  if ((env.NO_COLOR ?? '') !== '') return false;
  if ((env.NODE_DISABLE_COLORS ?? '') !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (stream.isTTY !== true) return false;
  return stream.hasColors?.() ?? true;
}

/**
 * A {@link Styler} for one stream: `util.styleText` when `enabled`, identity otherwise. The decision is
 * made once, by {@link shouldColor}, from the injected environment rather than `process.env`.
 */
export function createStyler(enabled: boolean): Styler {
  const style = (format: Style, text: string): string =>
    enabled ? styleText(format, text, { validateStream: false }) : text;
  return Object.assign(style, { enabled });
}
