import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findExecutable, installHint, provideDebianPart } from '../helpers/debianPart.js';

const missing = {
  command: 'aml-waiter-no-such-program',
  aptPackage: 'aml-waiter-no-such-package',
  brew: 'aml-waiter-no-such-formula',
  purpose: 'this test',
};

describe('provideDebianPart', () => {
  it('returns the absolute path of a program on PATH, without installing anything', () => {
    const lines: string[] = [];
    const found = provideDebianPart(
      { command: 'node', aptPackage: 'nodejs', purpose: 'this test' },
      { log: (line) => lines.push(line), canInstall: false },
    );
    expect(found).toBe(findExecutable('node'));
    expect(found).toMatch(/\/node$/);
    expect(lines).toEqual([]);
  });

  it('takes an alternative name when the first is missing', () => {
    const found = provideDebianPart(
      { ...missing, alternatives: ['also-missing', 'node'] },
      { canInstall: false },
    );
    expect(found).toBe(findExecutable('node'));
  });

  it('fails at once with one line naming the install commands when it cannot install', () => {
    expect(() => provideDebianPart(missing, { canInstall: false })).toThrow(
      'aml-waiter-no-such-program is needed by this test and is not installed. Install it — Debian/Ubuntu: `sudo apt-get install -y --no-install-recommends aml-waiter-no-such-package`; macOS: `brew install aml-waiter-no-such-formula` — and run the tests again.',
    );
  });

  it('names only the Debian command when no Homebrew formula is given', () => {
    expect(installHint({ command: 'x', aptPackage: 'x-pkg', purpose: 'p' })).toBe(
      'Debian/Ubuntu: `sudo apt-get install -y --no-install-recommends x-pkg`',
    );
  });

  it('findExecutable ignores non-executable paths and empty PATH entries', () => {
    expect(findExecutable('node', `::${process.env.PATH ?? ''}`)).toMatch(/\/node$/);
    const plainFile = join(mkdtempSync(join(tmpdir(), 'debian-part-')), 'not-a-program');
    writeFileSync(plainFile, 'data', { mode: 0o644 });
    expect(findExecutable(plainFile)).toBeUndefined();
    expect(findExecutable(tmpdir())).toBeUndefined();
    expect(findExecutable('node', '')).toBeUndefined();
  });
});
