#!/usr/bin/env node
/**
 * The `aml-wait` binary: waits for Amazon ML resources from the command line. All the logic is in
 * `run` (so tests can call it in-process); this file only connects it to the real process.
 */
import { setFlagsFromString } from 'node:v8';
import { ExitCode } from './exitCodes.js';
import { nodeIo } from './nodeIo.js';
import { flushTelemetry } from './flushTelemetry.js';
import { run } from './run.js';

// Node 20 only (V8 11.x): the first HTTP response makes V8 recompile undici's WebAssembly HTTP parser with its
// optimizing compiler on a background thread (~80 ms of CPU), and node does not exit before that compilation ends,
// so every `aml-wait` run took ~90 ms longer than its work. This process polls every few seconds at most, where the
// baseline compiler's parser is plenty, so it keeps WebAssembly on the baseline compiler. Node 22+ (V8 12+) does not
// hold the exit for it. Measured by `npm run bench:coldstart`; must run before the first request compiles the parser.
// Only on x64 and arm64, where Liftoff is complete: elsewhere V8 needs its optimizing compiler as a fallback, and
// with --liftoff-only a missing piece would be fatal.
if (Number.parseInt(process.versions.v8, 10) < 12 && (process.arch === 'x64' || process.arch === 'arm64')) {
  setFlagsFromString('--liftoff-only');
}

// The AWS SDK's STS and SSO clients (reached through its credential providers) print a warning on Node 20 about
// the SDK's own future releases; aml-wait's output stays clean of it, with the SDK's own switch (unless set).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A closed pipe (`aml-wait --json … | head -1`) must not crash the process with EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
});

// SIGTERM (a CI job cancelled, `kill`) ends the process at once, as by default, but with the cursor shown.
process.once('SIGTERM', () => {
  if (process.stderr.isTTY) process.stderr.write('\x1b[?25h');
  process.exit(ExitCode.TERMINATED);
});

run(process.argv.slice(2), nodeIo()).then(
  async (code) => {
    await flushTelemetry();
    process.exitCode = code;
    // Everything is closed by now; if a stray handle still holds the loop, leave anyway.
    setTimeout(() => process.exit(code), 1000).unref();
  },
  (error: unknown) => {
    process.stderr.write(
      `aml-wait: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = ExitCode.INTERNAL;
  },
);
