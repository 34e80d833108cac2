import type { Emulator } from './Emulator.js';
import { createSelfSignedCertificate } from './createSelfSignedCertificate.js';
import { EmulatorServer } from './EmulatorServer.js';
import type { EmulatorOptions } from './EmulatorOptions.js';
import { resolveEmulatorOptions } from './EmulatorOptions.js';

/**
 * Starts an Amazon ML emulator: an HTTP server on `127.0.0.1` (port 0 = any free port by default) that
 * speaks the Amazon ML JSON protocol, verifies SigV4, runs resources through lazy lifecycles on the
 * given clock, and injects faults on demand.
 *
 * Options are validated first (a TypeError/RangeError names the bad option); then the promise resolves
 * once the server listens.
 *
 * @example
 * ```ts
 * import { startEmulator } from 'aml-waiter/emulator';
 * const emu = await startEmulator();
 * emu.put('BatchPrediction', { BatchPredictionId: 'bp-1', Status: 'COMPLETED' });
 * // new AmazonMLClient({ endpoint: emu.endpoint, region: emu.region, credentials: emu.credentials })
 * await emu.close();
 * ```
 */
export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const resolved = resolveEmulatorOptions(options);
  const tls = resolved.tls === true ? await createSelfSignedCertificate([resolved.host]) : resolved.tls;
  const server = new EmulatorServer(resolved, tls);
  await server.listen();
  return server;
}
