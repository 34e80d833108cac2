import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
    // Generous, because several suites spawn real processes (the CLI, the emulator binary, fleet workers,
    // Chromium): on a loaded 2-core machine one of them can take well over 20 s while the assertions
    // themselves are unchanged. The waits inside the tests run in virtual time and don't depend on it.
    testTimeout: 90_000,
    hookTimeout: 90_000,
    pool: 'forks',
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'html'],
    },
  },
});
