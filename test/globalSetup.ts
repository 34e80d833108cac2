/**
 * vitest global set-up: runs once, before any test file. It provides the Debian parts that the suites
 * talk to for real (see test/helpers/debianPart.ts), so that a missing one fails the run at once with one
 * line saying how to install it, instead of failing the long suites one by one or being skipped.
 */
import { provideDebianPart } from './helpers/debianPart.js';

export default function setup(): void {
  provideDebianPart({
    command: 'redis-server',
    aptPackage: 'redis-server',
    brew: 'redis',
    purpose: 'the aml-waiter/bullmq tests (test/bullmq)',
  });
}
