import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { provideDebianPart, type DebianPart } from './debianPart.js';

/** Debian's openssl: the emulator's `--tls` makes its certificate with it, and so do the TLS tests. */
export const OPENSSL_PART: DebianPart = {
  command: 'openssl',
  aptPackage: 'openssl',
  brew: 'openssl',
  purpose:
    "the TLS tests (the emulator's own certificate in test/emulator/cli.test.ts and test/client/network.test.ts, and the PEM pair given to aml-emulator --tls-cert)",
};

/**
 * Makes a PEM certificate and key in `dir` the way a user would for their own test server (RSA 2048,
 * self-signed, for 127.0.0.1 and localhost), with Debian's openssl; returns the two file paths.
 */
export function makeCertificate(dir: string, name = 'server'): { cert: string; key: string } {
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  execFileSync(
    provideDebianPart(OPENSSL_PART),
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore', timeout: 60_000 },
  );
  return { cert, key };
}
