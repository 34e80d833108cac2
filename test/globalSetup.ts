/**
 * vitest global set-up: runs once, before any test file. It provides the Debian parts that the suites
 * talk to for real (see test/helpers/debianPart.ts), so that a missing one fails the run at once with one
 * line saying how to install it, instead of failing the long suites one by one or being skipped.
 */
import type { TestProject } from 'vitest/node';
import { buildConsolePage } from '../scripts/buildConsolePage.mjs';
import { CHROMIUM_PART } from './helpers/chromium.js';
import { provideDebianPart } from './helpers/debianPart.js';
import { OPENSSL_PART } from './helpers/openssl.js';
import { CHROMIUM_PATH } from './helpers/providedContext.js';

export default async function setup(project: TestProject): Promise<void> {
  provideDebianPart({
    command: 'redis-server',
    aptPackage: 'redis-server',
    brew: 'redis',
    purpose: 'the aml-waiter/bullmq tests (test/bullmq)',
  });
  provideDebianPart(OPENSSL_PART);
  project.provide(CHROMIUM_PATH, provideDebianPart(CHROMIUM_PART));
  // The emulator runs from source in the tests and serves the built console page: build it (~0.1 s).
  await buildConsolePage();
}
