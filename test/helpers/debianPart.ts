import { execFileSync, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A program the tests need that comes from a Debian package (redis-server, chromium, openssl…). */
export interface DebianPart {
  /** The program's name, looked up on `PATH` (e.g. `redis-server`). */
  readonly command: string;
  /** Other names or absolute paths the program may have (e.g. `chromium-browser`, `/usr/bin/chromium`). */
  readonly alternatives?: readonly string[] | undefined;
  /** The Debian package that provides it (e.g. `redis-server`). */
  readonly aptPackage: string;
  /** The Homebrew formula or cask, for the "how to install" line on macOS (e.g. `redis`). */
  readonly brew?: string | undefined;
  /** What the tests use it for, in a few words (e.g. `the aml-waiter/bullmq tests`). */
  readonly purpose: string;
}

/** The absolute path of `command` on `PATH` (or `command` itself when it is an executable path). */
export function findExecutable(command: string, path = process.env.PATH ?? ''): string | undefined {
  const candidates = command.includes('/')
    ? [command]
    : path
        .split(delimiter)
        .filter((dir) => dir !== '')
        .map((dir) => join(dir, command));
  return candidates.find((candidate) => {
    const stats = statSync(candidate, { throwIfNoEntry: false });
    // Any execute bit: root may run a file that only its group or others may execute.
    return stats !== undefined && stats.isFile() && (stats.mode & 0o111) !== 0;
  });
}

function locate(part: DebianPart): string | undefined {
  for (const name of [part.command, ...(part.alternatives ?? [])]) {
    const found = findExecutable(name);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** The one line that says how to install the part by hand. */
export function installHint(part: DebianPart): string {
  const brew = part.brew === undefined ? '' : `; macOS: \`brew install ${part.brew}\``;
  return `Debian/Ubuntu: \`sudo apt-get install -y --no-install-recommends ${part.aptPackage}\`${brew}`;
}

function apt(args: readonly string[]): boolean {
  const result = spawnSync('apt-get', args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    timeout: 600_000,
  });
  return result.status === 0;
}

/**
 * Provides a Debian part for the test suite: the program on `PATH` if it is there; else, where the
 * process can (root, with `apt-get`), installs the Debian package once and says so in one line; else
 * throws one error that names the install command. Never returns without the program: a suite that
 * needs it fails at once instead of being skipped.
 *
 * @returns the absolute path of the program.
 */
export function provideDebianPart(
  part: DebianPart,
  {
    log = console.log,
    canInstall = process.getuid?.() === 0 && findExecutable('apt-get') !== undefined,
  }: { log?: (line: string) => void; canInstall?: boolean } = {},
): string {
  const present = locate(part);
  if (present !== undefined) return present;

  if (!canInstall) {
    throw new Error(
      `${part.command} is needed by ${part.purpose} and is not installed. Install it — ${installHint(part)} — and run the tests again.`,
    );
  }
  log(`test set-up: ${part.command} is not installed; installing Debian's ${part.aptPackage} (once)…`);
  // Another process may be installing at the same moment (a second test run, another part): wait for dpkg's
  // lock rather than fail on it.
  const lock = ['-o', 'DPkg::Lock::Timeout=600'];
  const install = [...lock, 'install', '-y', '--no-install-recommends', part.aptPackage];
  // A fresh machine has no package lists yet: update once when the first try fails.
  if (!apt(install) && apt([...lock, 'update'])) apt(install);
  // Whoever installed it (this run or a concurrent one), it counts once it is there.
  const found = locate(part);
  if (found === undefined) {
    throw new Error(
      `${part.command} is needed by ${part.purpose}; installing Debian's ${part.aptPackage} with apt-get failed. Install it by hand — ${installHint(part)} — and run the tests again.`,
    );
  }
  const version = execFileSync(found, ['--version'], { encoding: 'utf8', timeout: 30_000 })
    .split('\n')[0]
    ?.trim();
  log(`test set-up: installed ${part.aptPackage} (${version ?? found}).`);
  return found;
}
