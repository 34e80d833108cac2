#!/usr/bin/env node
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { parseArgs } from 'node:util';
import type { LogFn, Logger } from '../model/Logger.js';
import { isResourceKind } from '../model/ResourceKind.js';
import type { Emulator } from './Emulator.js';
import type { FaultRule } from './FaultRule.js';
import type { LifecycleStep } from './LifecycleScript.js';
import type { ResourceInput } from './ResourceStore.js';
import { startEmulator } from './startEmulator.js';

const USAGE = `Usage: aml-emulator [options]

Runs a local Amazon Machine Learning emulator (JSON protocol, SigV4 verification, lifecycles, faults).

Options:
  --port <n>          TCP port (default 4566; 0 = any free port)
  --host <addr>       interface to bind (default 127.0.0.1)
  --region <name>     region requests must be signed for (default us-east-1)
  --speed <x>         lifecycle speed multiplier (default 1; a batch prediction completes in ~3 s / x)
  --seed <file>       JSON file: { "resources": [{ "kind", "resource", "script"? }], "faults": [rule, ...] }
  --control-token <t> token for the control interface (default: random, printed at start)
  --not-onboarded     answer every call with 403 AccessDeniedException, like the real service for new accounts
  --auto-create-references  create missing ML models / data sources instead of failing the new resource
  --console           serve the emulator console, a web page to watch and drive it, at <endpoint>/__console/
  --console-allow-host <name>  a host name the console may be reached by besides loopback (repeatable;
                      needed to serve the console when --host is not loopback)
  --tls               serve HTTPS with a self-signed certificate made at start (needs openssl);
                      prints AWS_CA_BUNDLE, a file holding it
  --tls-cert <file>   serve HTTPS with this PEM certificate (with --tls-key)
  --tls-key <file>    the PEM private key of --tls-cert
  --credential-endpoints  also serve what the AWS SDK's credential providers call: container
                      credentials, IMDSv2, STS (AssumeRole, AssumeRoleWithWebIdentity), SSO
                      GetRoleCredentials; prints the variables that point them here
  --verbose           log one JSON line per request to stderr (operation, id, status, error type; never secrets)
  --help              print this help and exit
  --version           print the version and exit

Default credentials: AKIAEMULATOR00000000 / amlEmulatorTestSecretKey0000000000000000.
Control interface: <endpoint>/__control/... with header x-aml-emulator-token: <token>.
SIGINT/SIGTERM close the server and exit 0.`;

function fail(message: string): never {
  // One line saying what is wrong, then the usage line (the full help is `--help`).
  process.stderr.write(`aml-emulator: ${message}\n${USAGE.split('\n')[0] ?? ''} (see --help)\n`);
  process.exit(2);
}

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    fail(`--${name} expects a number, got ${JSON.stringify(value)}`);
  return n;
}

interface SeedFile {
  resources?: { kind: unknown; resource: ResourceInput; script?: LifecycleStep[] }[];
  faults?: FaultRule[];
}

function applySeed(emulator: Emulator, file: string): number {
  let seed: SeedFile;
  try {
    seed = JSON.parse(readFileSync(file, 'utf8')) as SeedFile;
  } catch (error) {
    fail(
      `cannot read --seed ${JSON.stringify(file)}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let count = 0;
  for (const [index, entry] of (seed.resources ?? []).entries()) {
    if (!isResourceKind(entry.kind))
      fail(`--seed: resources[${index}].kind must be a resource kind, got ${JSON.stringify(entry.kind)}`);
    emulator.put(entry.kind, entry.resource, entry.script);
    count++;
  }
  for (const rule of seed.faults ?? []) emulator.addFault(rule);
  return count;
}

/** Reads `--tls-cert` and `--tls-key`; a bad one is a usage error naming the option and the file (never the key). */
function readTlsPair(certFile: string, keyFile: string): { key: string; cert: string } {
  const read = (option: string, file: string): string => {
    try {
      return readFileSync(file, 'utf8');
    } catch (error) {
      fail(
        `${option}: cannot read ${JSON.stringify(file)}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };
  const cert = read('--tls-cert', certFile);
  const key = read('--tls-key', keyFile);
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(cert);
  } catch {
    fail(`--tls-cert: ${JSON.stringify(certFile)} holds no PEM certificate`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    fail(`--tls-key: ${JSON.stringify(keyFile)} holds no unencrypted PEM private key`);
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    fail(`--tls-key: ${JSON.stringify(keyFile)} is not the private key of the --tls-cert certificate`);
  }
  return { key, cert };
}

const writeLine: LogFn = (bindings, message) => {
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), msg: message, ...bindings })}\n`);
};
const stderrLogger: Logger = { debug: writeLine, info: writeLine, warn: writeLine, error: writeLine };

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        region: { type: 'string' },
        speed: { type: 'string' },
        seed: { type: 'string' },
        'control-token': { type: 'string' },
        'not-onboarded': { type: 'boolean' },
        'auto-create-references': { type: 'boolean' },
        tls: { type: 'boolean' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'credential-endpoints': { type: 'boolean' },
        verbose: { type: 'boolean' },
        console: { type: 'boolean' },
        'console-allow-host': { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const v = parsed.values;
  if (v.help === true) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (v.version === true) {
    const pkg = createRequire(import.meta.url)('../../package.json') as { version: string };
    process.stdout.write(`${pkg.version}\n`);
    return;
  }
  if ((v['tls-cert'] === undefined) !== (v['tls-key'] === undefined))
    fail('--tls-cert and --tls-key go together');
  let tls: boolean | { key: string; cert: string } = v.tls === true;
  if (v['tls-cert'] !== undefined && v['tls-key'] !== undefined) {
    tls = readTlsPair(v['tls-cert'], v['tls-key']);
  }
  let emulator: Emulator;
  try {
    emulator = await startEmulator({
      tls,
      credentialEndpoints: v['credential-endpoints'] === true,
      port: numberOption(v.port, 'port') ?? 4566,
      host: v.host,
      region: v.region,
      speed: numberOption(v.speed, 'speed'),
      controlToken: v['control-token'],
      notOnboarded: v['not-onboarded'] ?? false,
      autoCreateReferences: v['auto-create-references'] ?? false,
      console:
        v.console === true || v['console-allow-host'] !== undefined
          ? { allowedHosts: v['console-allow-host'] ?? [] }
          : false,
      ...(v.verbose === true ? { logger: stderrLogger } : {}),
    });
  } catch (error) {
    if (error instanceof TypeError || error instanceof RangeError) fail(error.message);
    process.stderr.write(
      `aml-emulator: cannot start: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  }
  let seeded = 0;
  if (v.seed !== undefined) {
    try {
      seeded = applySeed(emulator, v.seed);
    } catch (error) {
      await emulator.close();
      fail(`--seed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  // The certificate, as a CA bundle file for clients (removed at exit).
  let caDir: string | undefined;
  if (emulator.certificate !== undefined) {
    caDir = mkdtempSync(join(tmpdir(), 'aml-emulator-ca-'));
    writeFileSync(join(caDir, 'ca.pem'), emulator.certificate);
  }
  // Handlers first: whoever reads the lines below may signal us at once.
  const shutdown = (): void => {
    void emulator.close().then(() => {
      if (caDir !== undefined) rmSync(caDir, { recursive: true, force: true });
      process.exit(0);
    });
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  process.stdout.write(setupLines(emulator, seeded, caDir === undefined ? undefined : join(caDir, 'ca.pem')));
}

/**
 * What the emulator prints at start: lines a shell can take as they are (comments and `export`s) — the
 * endpoint, the region for the AWS SDKs and both AWS CLI versions, the credentials, the control token — and,
 * for the AWS CLI and boto3 versions that ignore `AWS_ENDPOINT_URL_MACHINE_LEARNING`, the `--endpoint-url` form.
 */
function setupLines(emulator: Emulator, seeded: number, caBundle: string | undefined): string {
  // A value a shell reads back unchanged: as is when it is plain, else in single quotes (a --control-token may hold any printable character).
  const word = (value: string): string =>
    /^[\w.:/@%+,=-]+$/.test(value) ? value : `'${value.replaceAll("'", `'\\''`)}'`;
  const { accessKeyId, secretAccessKey } = emulator.credentials;
  const { endpoint, region } = emulator;
  return [
    `# aml-emulator listening on ${endpoint} (region ${region}${seeded > 0 ? `, ${seeded} seeded resource${seeded === 1 ? '' : 's'}` : ''}); paste these lines into a shell:`,
    `export AWS_ENDPOINT_URL_MACHINE_LEARNING=${word(endpoint)}`,
    `export AWS_REGION=${word(region)} AWS_DEFAULT_REGION=${word(region)}`,
    `export AWS_ACCESS_KEY_ID=${word(accessKeyId)}`,
    `export AWS_SECRET_ACCESS_KEY=${word(secretAccessKey)}`,
    ...(caBundle === undefined ? [] : [`export AWS_CA_BUNDLE=${word(caBundle)}`]),
    ...credentialEndpointLines(emulator),
    `export AML_EMULATOR_TOKEN=${word(emulator.controlToken)}`,
    `# control interface: ${emulator.controlUrl}/… with header "x-aml-emulator-token: $AML_EMULATOR_TOKEN"`,
    ...(emulator.consoleUrl === undefined
      ? []
      : [`# console: ${emulator.consoleUrl}#token=${encodeURIComponent(emulator.controlToken)}`]),
    `# AWS CLI before 2.13 (v1 before 1.29) and boto3/botocore before 1.31 ignore AWS_ENDPOINT_URL_MACHINE_LEARNING:`,
    `#   aws machinelearning get-batch-prediction --batch-prediction-id bp-1 --endpoint-url ${endpoint}`,
    `#   boto3.client('machinelearning', endpoint_url='${endpoint}')`,
    '',
  ].join('\n');
}

/** The lines that point the AWS SDK's credential providers at the emulator (test tokens, not real secrets). */
function credentialEndpointLines(emulator: Emulator): string[] {
  const endpoints = emulator.credentialEndpoints;
  if (endpoints === undefined) return [];
  return [
    `export AWS_ENDPOINT_URL_STS=${endpoints.stsEndpoint}`,
    `export AWS_ENDPOINT_URL_SSO=${endpoints.ssoEndpoint}`,
    `export AWS_EC2_METADATA_SERVICE_ENDPOINT=${endpoints.instanceMetadataEndpoint}`,
    `# container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI=${endpoints.containerCredentialsFullUri} AWS_CONTAINER_AUTHORIZATION_TOKEN=${endpoints.containerAuthorizationToken}`,
    `# web identity token (for AWS_WEB_IDENTITY_TOKEN_FILE): ${endpoints.webIdentityToken}`,
    `# SSO access token (for the ~/.aws/sso/cache file): ${endpoints.ssoAccessToken}`,
  ];
}

main().catch((error: unknown) => {
  process.stderr.write(`aml-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
