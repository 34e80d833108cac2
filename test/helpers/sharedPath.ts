import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The environment variable that points at the project's `shared/` folder when it is not beside the repository. */
export const SHARED_DIR_ENV = 'AML_WAITER_SHARED_DIR';

/** The repository's root: two folders up from this file (`test/helpers/`). */
const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A path inside the project's `shared/` folder (the Smithy model, the SigV4 test vectors): the folder named
 * by `AML_WAITER_SHARED_DIR` when it is set (relative to the repository's root), else `shared/` beside the
 * repository (`../shared` from its root, as in CI's clone). Throws one line saying which folder was looked
 * in and how to point at another.
 */
export function sharedPath(relative: string, env: NodeJS.ProcessEnv = process.env): string {
  const configured = env[SHARED_DIR_ENV];
  const dir =
    configured === undefined || configured === ''
      ? resolve(repositoryRoot, '..', 'shared')
      : resolve(repositoryRoot, configured);
  const found = resolve(dir, relative);
  if (existsSync(found)) return found;
  const from =
    configured === undefined || configured === ''
      ? `beside the repository`
      : `in ${SHARED_DIR_ENV}=${configured}${isAbsolute(configured) ? '' : ` (from ${repositoryRoot})`}`;
  throw new Error(
    `shared/${relative} is not ${from} (looked for ${found}). Put the project's shared/ folder beside the repository, or set ${SHARED_DIR_ENV} to its path.`,
  );
}
