import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * A path inside the project's `shared/` folder (reference model, SigV4 test vectors), which sits beside
 * the repository: `../shared` from its root (as in CI's fresh clone), else `/work/shared`.
 */
export function sharedPath(relative: string): string {
  const candidates = [
    fileURLToPath(new URL(`../../../shared/${relative}`, import.meta.url)),
    `/work/shared/${relative}`,
  ];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (found === undefined) {
    throw new Error(
      `shared/${relative} not found beside the repository (looked in ${candidates.join(', ')})`,
    );
  }
  return found;
}
