import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PEM key pair for the emulator's TLS server. */
export interface TlsKeyPair {
  /** PEM private key. */
  readonly key: string;
  /** PEM certificate (self-signed: it is also the CA bundle a client needs). */
  readonly cert: string;
}

/**
 * Makes a throw-away self-signed certificate for `127.0.0.1`, `::1` and `localhost` (P-256 key, valid for
 * 2 days) with the `openssl` command (Node has no API that writes X.509 certificates). Rejects with one line
 * saying how to install it when it is not on `PATH`.
 */
export async function createSelfSignedCertificate(hosts: readonly string[] = []): Promise<TlsKeyPair> {
  const names = new Set(['IP:127.0.0.1', 'IP:::1', 'DNS:localhost']);
  for (const host of hosts) {
    names.add(/^[\d.]+$|:/.test(host) ? `IP:${host}` : `DNS:${host}`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'aml-emulator-tls-'));
  try {
    const keyPath = join(dir, 'key.pem');
    const certPath = join(dir, 'cert.pem');
    await new Promise<void>((resolve, reject) => {
      execFile(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-days',
          '2',
          '-subj',
          '/CN=aml-emulator',
          '-addext',
          `subjectAltName=${[...names].join(',')}`,
          '-keyout',
          keyPath,
          '-out',
          certPath,
        ],
        { timeout: 30_000 },
        (error, _stdout, stderr) => {
          if (error === null) {
            resolve();
            return;
          }
          const missing = (error as NodeJS.ErrnoException).code === 'ENOENT';
          reject(
            new Error(
              missing
                ? 'The emulator makes its TLS certificate with `openssl`, which is not on PATH: install it (Debian/Ubuntu: apt-get install openssl) or pass `tls: { key, cert }`'
                : `openssl could not make a certificate: ${stderr.trim().split('\n').pop() ?? error.message}`,
            ),
          );
        },
      );
    });
    const [key, cert] = await Promise.all([readFile(keyPath, 'utf8'), readFile(certPath, 'utf8')]);
    return { key, cert };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
