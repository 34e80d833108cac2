/**
 * What test/globalSetup.ts hands to the test files (vitest `provide`/`inject`), typed once for both.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the Chromium the browser tests drive (test/browser), found or installed by the set-up. */
    chromiumPath: string;
  }
}

/** The key under which the set-up provides the Chromium path. */
export const CHROMIUM_PATH = 'chromiumPath';
