import { createRequire } from 'node:module';

let cached: string | undefined;

/**
 * This package's version, read once from its package.json: two levels up from `src/client/` and from the
 * bundle's shared chunks in `dist/chunks/`, one level up from a `dist/` entry file.
 */
export function packageVersion(): string {
  if (cached !== undefined) return cached;
  const require = createRequire(import.meta.url);
  for (const path of ['../../package.json', '../package.json']) {
    try {
      const pkg = require(path) as { name?: unknown; version?: unknown };
      if (pkg.name === 'aml-waiter' && typeof pkg.version === 'string') return (cached = pkg.version);
    } catch {
      // not at this level
    }
  }
  return (cached = '0.0.0');
}
