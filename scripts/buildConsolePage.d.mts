/** Builds the emulator console's page into `dist/emulator/console/`; resolves with that folder. */
export function buildConsolePage(): Promise<string>;
