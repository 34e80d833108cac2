import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { chromium } from 'playwright-core';
import type { DebianPart } from './debianPart.js';

/** Debian's Chromium, as the test set-up and `npm run docs:screenshot` provide it (see debianPart.ts). */
export const CHROMIUM_PART: DebianPart = {
  command: 'chromium',
  alternatives: ['chromium-browser', '/usr/bin/chromium'],
  aptPackage: 'chromium',
  brew: '--cask chromium',
  purpose: 'the emulator console tests in a real browser (test/browser) and npm run docs:screenshot',
};

/**
 * Flags for Debian's Chromium in a closed, headless test machine: no sandbox when running as root (the
 * sandbox needs an unprivileged user), no GPU, and none of Chromium's own background connections
 * (component updates, sync, safe-browsing lists…), which this network refuses. Playwright starts it with
 * a fresh temporary profile (`--user-data-dir`) and removes it on close.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-default-apps',
  '--disable-extensions',
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
];

/** Starts the Chromium at `executablePath` (never a downloaded browser) with {@link CHROMIUM_ARGS} and `extraArgs`. */
export function launchChromium(executablePath: string, extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    chromiumSandbox: process.getuid?.() !== 0,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

/** The ignored folder the browser tests write their screenshots to (`.tmp/screenshots/`). */
export function screenshotPath(name: string): string {
  const dir = join(import.meta.dirname, '../../.tmp/screenshots');
  mkdirSync(dir, { recursive: true });
  return join(dir, name);
}
