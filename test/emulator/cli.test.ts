import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import { cleanEnv, spawnCli } from '../cli/helpers/spawnCli.js';
import { makeCertificate } from '../helpers/openssl.js';
import { send } from './helpers/rawRequest.js';

const MAIN = join(import.meta.dirname, '../../src/emulator/main.ts');
const NODE_ARGS = ['--import', 'tsx', MAIN];
let child: ChildProcessWithoutNullStreams | undefined;

afterEach(() => {
  if (child?.exitCode === null) child.kill('SIGKILL');
  child = undefined;
});

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [...NODE_ARGS, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the binary and resolves with its first lines of output once it prints the control line. */
function start(args: string[]): Promise<string> {
  const proc = spawn(process.execPath, [...NODE_ARGS, ...args]);
  child = proc;
  return new Promise((resolve, reject) => {
    let out = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('boto3.client(') && out.endsWith('\n')) resolve(out);
    });
    proc.on('exit', (code) => {
      reject(new Error(`exited early with ${String(code)}: ${out}`));
    });
  });
}

describe('aml-emulator binary', () => {
  it('--help prints usage and exits 0; --version prints the package version', () => {
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: aml-emulator');
    const version = run(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('exits 2 on a usage error', () => {
    const bad = run(['--bogus']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('Usage: aml-emulator');
    const badPort = run(['--port', 'abc']);
    expect(badPort.status).toBe(2);
    expect(badPort.stderr).toContain('--port expects a number, got "abc"');
  });

  it('prints the endpoint, the export lines and the control URL/token, serves, and exits 0 on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aml-emulator-'));
    const seed = join(dir, 'seed.json');
    writeFileSync(
      seed,
      JSON.stringify({
        resources: [{ kind: 'MLModel', resource: { MLModelId: 'seeded', Status: 'COMPLETED' } }],
      }),
    );
    const out = await start([
      '--port',
      '0',
      '--seed',
      seed,
      '--control-token',
      'cli-token-123',
      '--region',
      'eu-west-1',
    ]);
    const endpoint = /^export AWS_ENDPOINT_URL_MACHINE_LEARNING=(http:\/\/127\.0\.0\.1:\d+)$/m.exec(out)?.[1];
    expect(endpoint).toBeDefined();
    expect(out).toContain(
      `# aml-emulator listening on ${endpoint!} (region eu-west-1, 1 seeded resource); paste these lines into a shell:\n`,
    );
    expect(out).toContain('\nexport AWS_REGION=eu-west-1 AWS_DEFAULT_REGION=eu-west-1\n');
    expect(out).toContain('\nexport AWS_ACCESS_KEY_ID=AKIAEMULATOR00000000\n');
    expect(out).toMatch(/^export AWS_SECRET_ACCESS_KEY=\S+$/m);
    expect(out).toContain('\nexport AML_EMULATOR_TOKEN=cli-token-123\n');
    expect(out).toContain(
      `\n# control interface: ${endpoint!}/__control/… with header "x-aml-emulator-token: $AML_EMULATOR_TOKEN"\n`,
    );
    expect(out).toContain(
      `\n#   aws machinelearning get-batch-prediction --batch-prediction-id bp-1 --endpoint-url ${endpoint!}\n#   boto3.client('machinelearning', endpoint_url='${endpoint!}')\n`,
    );
    const seeded = await send(endpoint!, 'GET', '/__control/resources/MLModel/seeded', {
      'x-aml-emulator-token': 'cli-token-123',
    });
    expect(seeded.json?.Status).toBe('COMPLETED');
    const exited = new Promise<number | null>((resolve) => child!.on('exit', resolve));
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('quotes a control token with shell characters so that the shell reads it back unchanged', async () => {
    const token = `a'b$c"d\\e`;
    const out = await start(['--port', '0', '--control-token', token]);
    child!.kill('SIGTERM');
    const shell = spawnSync('/bin/sh', ['-c', `${out}\nprintf %s "$AML_EMULATOR_TOKEN"`], {
      encoding: 'utf8',
    });
    expect(shell.stderr).toBe('');
    expect(shell.stdout).toBe(token);
  });

  it('exits 0 on SIGINT too; --verbose logs one JSON line per request to stderr', async () => {
    const out = await start(['--port', '0', '--verbose']);
    const endpoint = /^export AWS_ENDPOINT_URL_MACHINE_LEARNING=(\S+)$/m.exec(out)?.[1];
    let stderr = '';
    child!.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    await send(endpoint!, 'GET', '/', {});
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (stderr.includes('\n')) resolve();
        else setTimeout(check, 10);
      };
      check();
    });
    expect(JSON.parse(stderr.trim().split('\n')[0]!)).toMatchObject({
      msg: 'aml-emulator request',
      statusCode: 405,
      errorType: 'MethodNotAllowedException',
    });
    const exited = new Promise<number | null>((resolve) => child!.on('exit', resolve));
    child!.kill('SIGINT');
    expect(await exited).toBe(0);
  });
});

function exported(out: string, name: string): string {
  const value = new RegExp(`^export ${name}=(\\S+)$`, 'm').exec(out)?.[1];
  expect(value, name).toBeDefined();
  return value!;
}

/** Every variable the `export` lines set (a line may set several). */
function exportedVariables(out: string): Record<string, string> {
  return Object.fromEntries(
    [...out.matchAll(/^export (.+)$/gm)].flatMap((m) =>
      m[1]!.split(' ').map((pair) => pair.split('=', 2) as [string, string]),
    ),
  );
}

it('--tls --credential-endpoints: HTTPS with a CA bundle file, and the variables of the credential endpoints', async () => {
  const out = await start(['--port', '0', '--tls', '--credential-endpoints']);
  const endpoint = exported(out, 'AWS_ENDPOINT_URL_MACHINE_LEARNING');
  expect(endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const caBundle = exported(out, 'AWS_CA_BUNDLE');
  expect(readFileSync(caBundle, 'utf8')).toContain('-----BEGIN CERTIFICATE-----');
  expect(exported(out, 'AWS_ENDPOINT_URL_STS')).toBe(endpoint);
  expect(exported(out, 'AWS_ENDPOINT_URL_SSO')).toBe(endpoint);
  expect(exported(out, 'AWS_EC2_METADATA_SERVICE_ENDPOINT')).toBe(endpoint);
  expect(out).toMatch(
    /^# container credentials: AWS_CONTAINER_CREDENTIALS_FULL_URI=https:\/\/127\.0\.0\.1:\d+\/v2\/credentials\/aml-emulator AWS_CONTAINER_AUTHORIZATION_TOKEN=\S+$/m,
  );
  // The printed lines are all a client needs: AWS_CA_BUNDLE makes the self-signed server trusted.
  const env = exportedVariables(out);
  const client = new AmazonMLClient({ env: { ...env, HOME: '/nonexistent-home' } });
  try {
    await expect(client.getBatchPrediction('bp-none')).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
    });
  } finally {
    await client.close();
  }
  const exited = new Promise<number | null>((resolve) => child!.on('exit', resolve));
  child!.kill('SIGTERM');
  expect(await exited).toBe(0);
  // The CA bundle file goes with the process.
  expect(existsSync(caBundle)).toBe(false);
});

describe('--tls-cert / --tls-key (a PEM pair of your own)', () => {
  it('serves HTTPS with it: aml-wait trusting the certificate through AWS_CA_BUNDLE completes a wait; without it the handshake fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aml-emulator-pem-'));
    const { cert, key } = makeCertificate(dir);
    const seed = join(dir, 'seed.json');
    writeFileSync(
      seed,
      JSON.stringify({
        resources: [
          {
            kind: 'BatchPrediction',
            resource: { BatchPredictionId: 'bp-tls' },
            script: [{ status: 'INPROGRESS', forMs: 3000 }, { status: 'COMPLETED' }],
          },
        ],
      }),
    );
    const out = await start(['--port', '0', '--tls-cert', cert, '--tls-key', key, '--seed', seed]);
    const endpoint = exported(out, 'AWS_ENDPOINT_URL_MACHINE_LEARNING');
    expect(endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    // The bundle it prints holds the given certificate, not one of its own.
    expect(readFileSync(exported(out, 'AWS_CA_BUNDLE'), 'utf8')).toBe(readFileSync(cert, 'utf8'));
    // What the emulator printed, but the user's own certificate file as the bundle (or none).
    const { AWS_CA_BUNDLE: _printed, ...env } = exportedVariables(out);
    const args = ['--min-delay', '0.1', '--max-delay', '0.2', '--timeout', '15s', '--json', 'bp-tls'];

    const trusted = await spawnCli(args, cleanEnv({ ...env, AWS_CA_BUNDLE: cert }));
    expect(trusted.stderr).toBe('');
    expect(trusted.code).toBe(0);
    expect(JSON.parse(trusted.stdout.trim().split('\n').at(-1)!)).toMatchObject({
      id: 'bp-tls',
      status: 'COMPLETED',
    });

    const untrusted = await spawnCli([...args.slice(0, -3), '3s', '--json', 'bp-tls'], cleanEnv(env));
    // Not retried: the certificate will not become trusted by waiting.
    expect(untrusted.code).toBe(3);
    // Node 24 appends its own hint to the TLS error ("; if the root CA is installed locally, try running
    // Node.js with --use-system-ca"): one line, the request error, nothing else.
    expect(untrusted.stderr).toMatch(
      /^bp-tls: RequestError: GetBatchPrediction failed: self-signed certificate(; [^\n]*)?\.\n$/,
    );

    const exited = new Promise<number | null>((resolve) => child!.on('exit', resolve));
    child!.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('a file that is missing, not PEM, or not the pair exits 2 naming the option and the file, never the key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'aml-emulator-pem-'));
    const { cert, key } = makeCertificate(dir);
    const other = makeCertificate(dir, 'other');
    const missing = join(dir, 'missing.pem');
    const cases: [string[], string][] = [
      [['--tls-cert', missing, '--tls-key', key], `--tls-cert: cannot read "${missing}": ENOENT`],
      [['--tls-cert', cert, '--tls-key', missing], `--tls-key: cannot read "${missing}": ENOENT`],
      [['--tls-cert', key, '--tls-key', key], `--tls-cert: "${key}" holds no PEM certificate`],
      [['--tls-cert', cert, '--tls-key', cert], `--tls-key: "${cert}" holds no unencrypted PEM private key`],
      [
        ['--tls-cert', cert, '--tls-key', other.key],
        `--tls-key: "${other.key}" is not the private key of the --tls-cert certificate`,
      ],
      [['--tls-cert', cert], '--tls-cert and --tls-key go together'],
    ];
    const keyText = readFileSync(key, 'utf8').split('\n')[1]!;
    for (const [args, message] of cases) {
      const result = run(['--port', '0', ...args]);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toContain(`aml-emulator: ${message}`);
      expect(result.stderr).not.toContain(keyText);
    }
  });
});
