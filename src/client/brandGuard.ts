/**
 * Builds the type guard of one of this package's error classes: `true` for an instance (`instanceof`), or
 * for an object made by another copy of the package (a second install, a bundled copy) that carries the
 * class's brand property set to `true` and a `code` the class accepts. The brand and `code` survive
 * bundling and duplicate installs, which `instanceof` and `name` do not.
 * @internal
 */
export function brandGuard<T>(
  ErrorClass: abstract new (...args: never[]) => T,
  brand: string,
  acceptsCode: (code: unknown) => boolean,
): (error: unknown) => error is T {
  return (error: unknown): error is T =>
    error instanceof ErrorClass ||
    (typeof error === 'object' &&
      error !== null &&
      (error as Record<string, unknown>)[brand] === true &&
      acceptsCode((error as { code?: unknown }).code));
}
