/*
 * How every part of the library shows a bad value in an error message: the one place that decides how a
 * value reads after "got" (`"text"`, `42`, `an object`, …) and how long it may be. Values that may be
 * secrets are never echoed: {@link describeType} names only their type.
 */

/** Echoed values longer than this are cut (with `…`), so a message stays one readable line. */
const MAX_ECHO = 80;

/**
 * @internal A short, printable rendering of a bad value for an error message: a string in JSON quotes,
 * a number, boolean, `null`, `undefined`, bigint or symbol as written, anything else by its kind
 * (`a function`, `an array`, `a Date`, `an object`); at most 80 characters.
 */
export function describeValue(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (typeof value === 'bigint') text = `${value.toString()}n`;
  else if (typeof value === 'function') text = 'a function';
  else if (value === null) text = 'null';
  else if (Array.isArray(value)) text = 'an array';
  else if (value instanceof Date) text = 'a Date';
  else if (typeof value === 'object') text = 'an object';
  else if (typeof value === 'symbol') text = value.toString();
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- only primitives reach here
  else text = String(value);
  return text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text;
}

/** @internal The type of a value, for messages about values that must not be echoed (secrets). */
export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value;
}
