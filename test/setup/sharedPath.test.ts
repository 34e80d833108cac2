import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SHARED_DIR_ENV, sharedPath } from '../helpers/sharedPath.js';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));

describe('sharedPath', () => {
  it('resolves a file in the folder named by AML_WAITER_SHARED_DIR', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aml-shared-'));
    mkdirSync(join(dir, 'reference'));
    writeFileSync(join(dir, 'reference', 'model.json'), '{}');
    expect(sharedPath('reference/model.json', { [SHARED_DIR_ENV]: dir })).toBe(
      join(dir, 'reference', 'model.json'),
    );
  });

  it('reads a relative AML_WAITER_SHARED_DIR from the repository root, not the working directory', () => {
    expect(sharedPath('package.json', { [SHARED_DIR_ENV]: '.' })).toBe(
      resolve(repositoryRoot, 'package.json'),
    );
  });

  it('without the variable, looks beside the repository and nowhere else', () => {
    const beside = resolve(repositoryRoot, '..', 'shared', 'no-such-file.json');
    expect(() => sharedPath('no-such-file.json', {})).toThrow(
      `shared/no-such-file.json is not beside the repository (looked for ${beside}). Put the project's shared/ folder beside the repository, or set AML_WAITER_SHARED_DIR to its path.`,
    );
  });

  it('names the variable and its value when the file is not in the folder it names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aml-shared-'));
    expect(() => sharedPath('reference/x.json', { [SHARED_DIR_ENV]: dir })).toThrow(
      `shared/reference/x.json is not in AML_WAITER_SHARED_DIR=${dir} (looked for ${join(dir, 'reference', 'x.json')}). Put the project's shared/ folder beside the repository, or set AML_WAITER_SHARED_DIR to its path.`,
    );
  });
});
