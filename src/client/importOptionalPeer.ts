/**
 * @internal Imports an optional peer dependency with `load` (a dynamic `import()`); when the package is not
 * installed, rejects with an `Error` whose message says what to install (`message`), the resolution error as
 * its `cause`. Any other failure is passed on unchanged.
 */
export function importOptionalPeer<T>(load: () => Promise<T>, message: string): Promise<T> {
  return load().catch((cause: unknown) => {
    const code = (cause as { code?: unknown } | null)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') throw new Error(message, { cause });
    throw cause;
  });
}
