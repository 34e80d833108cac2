import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_CSP } from '../../src/emulator/console/ConsoleServer.js';
import type { Emulator } from '../../src/emulator/index.js';
import { startEmulator, VirtualClock } from '../../src/emulator/index.js';
import { openConsoleStream } from './helpers/consoleStream.js';
import { control, send, signedRequest } from './helpers/rawRequest.js';

const TOKEN = 'console-test-control-token';
const CREDENTIAL = {
  accessKeyId: 'AKIACONSOLETEST00001',
  secretAccessKey: 'consoleTestSecret/0123456789abcdefghijKLMN',
  sessionToken: 'consoleTestSessionToken-FQoGZXIvYXdzEPT',
};
const SECRETS = [CREDENTIAL.secretAccessKey, CREDENTIAL.sessionToken, TOKEN];

describe('emulator console: serving and security', () => {
  let emu: Emulator;
  let host: string;
  beforeAll(async () => {
    emu = await startEmulator({ console: true, controlToken: TOKEN, credentials: [CREDENTIAL] });
    host = `127.0.0.1:${emu.port}`;
  });
  afterAll(async () => {
    await emu.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    send(emu.endpoint, 'GET', path, headers);

  it('is off unless asked for: no page, no Host checks on the control interface', async () => {
    const plain = await startEmulator({ controlToken: TOKEN });
    try {
      expect(plain.consoleUrl).toBeUndefined();
      expect((await send(plain.endpoint, 'GET', '/__console/', {})).status).toBe(405);
      const health = await send(plain.endpoint, 'GET', '/__control/health', {
        'x-aml-emulator-token': TOKEN,
        host: 'emulator.internal:4566',
      });
      expect(health.status).toBe(200);
    } finally {
      await plain.close();
    }
  });

  it('serves the page at /__console/ with a strict CSP and no inline script or style', async () => {
    expect(emu.consoleUrl).toBe(`${emu.endpoint}/__console/`);
    const page = await get('/__console/');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toBe(CONSOLE_CSP);
    expect(CONSOLE_CSP).toContain("script-src 'self'");
    expect(CONSOLE_CSP).toContain("frame-ancestors 'none'");
    expect(CONSOLE_CSP).not.toContain('unsafe');
    expect(page.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    });
    const html = page.text;
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.map((m) => [m[1]?.includes('src="console.js"'), m[2]?.trim()])).toEqual([[true, '']]);
    expect(html).not.toMatch(/<style\b|\sstyle=|\son[a-z]+=|javascript:/i);
    for (const [file, type] of [
      ['console.js', 'text/javascript; charset=utf-8'],
      ['console.css', 'text/css; charset=utf-8'],
      ['favicon.svg', 'image/svg+xml'],
    ] as const) {
      const asset = await get(`/__console/${file}`);
      expect([asset.status, asset.headers['content-type'], asset.headers['content-security-policy']]).toEqual(
        [200, type, CONSOLE_CSP],
      );
    }
    // The page builds its DOM with createElement/textContent only: nothing parses strings as HTML or code.
    const script = (await get('/__console/console.js')).text;
    expect(script).not.toMatch(
      /innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(/,
    );
    const bare = await get('/__console');
    expect([bare.status, bare.headers.location]).toEqual([301, '/__console/']);
    expect((await get('/__console/nothing.js')).status).toBe(404);
    expect((await send(emu.endpoint, 'POST', '/__console/', {}, '{}')).status).toBe(405);
  });

  it('the stream needs the token header: not a cookie, not a query parameter', async () => {
    const none = await get('/__console/events');
    expect([none.status, none.json?.__type]).toEqual([401, 'MissingControlTokenException']);
    const wrong = await get('/__console/events', { 'x-aml-emulator-token': 'not-the-token' });
    expect([wrong.status, wrong.json?.__type]).toEqual([403, 'InvalidControlTokenException']);
    const cookie = await get('/__console/events', {
      cookie: `x-aml-emulator-token=${TOKEN}; token=${TOKEN}`,
    });
    expect(cookie.status).toBe(401);
    const query = await get(`/__console/events?token=${TOKEN}&x-aml-emulator-token=${TOKEN}`);
    expect(query.status).toBe(401);
    const stream = await openConsoleStream(emu);
    await stream.until((event) => event === 'snapshot');
    stream.close();
  });

  it('refuses other sites (Host and Origin) on the page, the stream and the control interface', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'bp-kept', Status: 'INPROGRESS' });
    const token = { 'x-aml-emulator-token': TOKEN };
    const targets = [
      ['GET', '/__console/', {}],
      ['GET', '/__console/events', token],
      ['GET', '/__control/health', token],
      ['POST', '/__control/reset', token],
    ] as const;
    const foreign: Record<string, string>[] = [
      { host: `evil.example:${emu.port}` }, // DNS rebinding: evil.example resolves to 127.0.0.1
      { host: 'localhost:1' },
      { host: host, origin: 'http://evil.example' },
      { host: host, origin: `http://127.0.0.1:${emu.port + 1}` }, // another local site
      { host: host, origin: 'null' },
      { host: host, 'sec-fetch-site': 'cross-site' },
      { host: host, 'sec-fetch-site': 'same-site' },
    ];
    for (const [method, path, auth] of targets) {
      for (const headers of foreign) {
        const res = await send(emu.endpoint, method, path, { ...auth, ...headers });
        expect([method, path, headers, res.status, res.json?.__type]).toEqual([
          method,
          path,
          headers,
          403,
          'ForeignRequestException',
        ]);
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
      }
      // A CORS preflight is never granted.
      const preflight = await send(emu.endpoint, 'OPTIONS', path, {
        origin: 'http://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-aml-emulator-token',
      });
      expect([preflight.status, preflight.headers['access-control-allow-origin']]).toEqual([403, undefined]);
    }
    expect(emu.get('BatchPrediction', 'bp-kept')?.Status).toBe('INPROGRESS');
    // The emulator's own names pass, with or without a same-origin Origin.
    for (const headers of [
      { host },
      { host: `localhost:${emu.port}` },
      { host: `[::1]:${emu.port}` },
      { host, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' },
    ]) {
      expect((await send(emu.endpoint, 'GET', '/__control/health', { ...token, ...headers })).status).toBe(
        200,
      );
    }
  });

  it('stays on loopback unless bound elsewhere on purpose, naming the hosts it may be reached by', async () => {
    for (const bound of ['0.0.0.0', '::', '192.0.2.10']) {
      await expect(startEmulator({ host: bound, console: true })).rejects.toThrow(
        /Expected `console.allowedHosts` \(--console-allow-host\).*is not loopback/,
      );
    }
    await expect(startEmulator({ console: { allowedHosts: ['evil/x'] } })).rejects.toThrow(
      'Expected `console.allowedHosts[0]` to be a host name or IP address, got "evil/x"',
    );
    await expect(startEmulator({ console: 'yes' as unknown as boolean })).rejects.toThrow(TypeError);
    const named = await startEmulator({ console: { allowedHosts: ['DevBox.test'] }, controlToken: TOKEN });
    try {
      const health = (h: string) =>
        send(named.endpoint, 'GET', '/__control/health', { 'x-aml-emulator-token': TOKEN, host: h });
      expect((await health(`devbox.test:${named.port}`)).status).toBe(200);
      expect((await health(`other.test:${named.port}`)).status).toBe(403);
    } finally {
      await named.close();
    }
  });

  it('streams a snapshot, then changes and requests (with latency), and never a secret', async () => {
    emu.reset();
    const stream = await openConsoleStream(emu);
    try {
      const snapshot = await stream.until((event) => event === 'snapshot');
      expect(snapshot).toMatchObject({ resources: [], requests: [], faults: [], clock: { virtual: false } });
      await control(emu, 'POST', '/resources', {
        kind: 'BatchPrediction',
        resource: { BatchPredictionId: 'bp-live', Name: 'Live one' },
        script: [{ status: 'PENDING', forMs: 60_000 }, { status: 'COMPLETED' }],
      });
      const added = await stream.until((_, d) => d.resources?.some((r) => r.id === 'bp-live') === true);
      expect(added.resources?.find((r) => r.id === 'bp-live')).toMatchObject({
        kind: 'BatchPrediction',
        name: 'Live one',
        status: 'PENDING',
        phases: [
          { status: 'PENDING', untilClock: expect.any(Number) as number },
          { status: 'COMPLETED', untilClock: null },
        ],
      });
      await control(emu, 'POST', '/faults', {
        kind: 'delay',
        ms: 120,
        operation: 'GetBatchPrediction',
        times: 1,
      });
      const answer = await signedRequest(
        emu,
        'GetBatchPrediction',
        { BatchPredictionId: 'bp-live' },
        {
          credentials: CREDENTIAL,
        },
      );
      expect(answer.status).toBe(200);
      const logged = await stream.until((_, d) => (d.requests?.length ?? 0) > 0);
      const entry = logged.requests?.[0];
      expect(entry).toMatchObject({
        operation: 'GetBatchPrediction',
        id: 'bp-live',
        statusCode: 200,
        accessKeyId: CREDENTIAL.accessKeyId,
        faults: ['delay'],
      });
      expect(entry?.latencyMs).toBeGreaterThanOrEqual(120);
      expect(entry?.latencyMs).toBeLessThan(5000);
      await stream.until((_, d) => d.faults?.[0]?.applied === 1);
      const raw = stream.events.map((e) => e.raw).join('\n');
      for (const secret of SECRETS) expect(raw).not.toContain(secret);
      expect(raw).not.toMatch(/Signature=|secretAccessKey|sessionToken|controlToken/);
      for (const file of ['', 'console.js', 'console.css']) {
        const text = (await get(`/__console/${file}`)).text;
        for (const secret of SECRETS) expect(text).not.toContain(secret);
      }
    } finally {
      stream.close();
    }
  });
});

describe('emulator console: lifecycle timelines on a virtual clock', () => {
  const clock = new VirtualClock({ startWallMs: Date.UTC(2026, 0, 1) });
  let emu: Emulator;
  beforeAll(async () => {
    emu = await startEmulator({ console: true, clock });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('keeps the phases before a push, cuts a lifecycle at its deletion, and starts over after a reset', async () => {
    const stream = await openConsoleStream(emu);
    try {
      await stream.until((event) => event === 'snapshot');
      const start = clock.now();
      emu.put('BatchPrediction', { BatchPredictionId: 'bp-vt' }, [
        { status: 'PENDING', forMs: 1000 },
        { status: 'INPROGRESS', forMs: 2000 },
        { status: 'COMPLETED' },
      ]);
      await stream.until((_, d) => d.resources?.some((r) => r.id === 'bp-vt') === true);
      clock.advance(1500);
      await stream.until((_, d) => d.resources?.some((r) => r.status === 'INPROGRESS') === true);
      emu.script('BatchPrediction', 'bp-vt', [{ status: 'FAILED', message: 'pushed' }]);
      const pushed = await stream.until((_, d) => d.resources?.some((r) => r.status === 'FAILED') === true);
      expect(pushed.clock).toEqual({ nowClock: start + 1500, virtual: true });
      expect(pushed.resources?.[0]?.phases).toEqual([
        { status: 'PENDING', fromClock: start, untilClock: start + 1000 },
        { status: 'INPROGRESS', fromClock: start + 1000, untilClock: start + 1500 },
        { status: 'FAILED', fromClock: start + 1500, untilClock: null, message: 'pushed' },
      ]);
      clock.advance(500);
      const del = await signedRequest(emu, 'DeleteBatchPrediction', { BatchPredictionId: 'bp-vt' });
      expect(del.status).toBe(200);
      const deleted = await stream.until((_, d) => d.resources?.some((r) => r.status === 'DELETED') === true);
      expect(deleted.resources?.[0]?.phases.slice(2)).toEqual([
        { status: 'FAILED', fromClock: start + 1500, untilClock: start + 2000, message: 'pushed' },
        { status: 'DELETED', fromClock: start + 2000, untilClock: null },
      ]);
      emu.reset();
      const snapshots = () => stream.events.filter((e) => e.event === 'snapshot');
      await stream.until(() => snapshots().length === 2);
      expect(snapshots()[1]?.data).toMatchObject({ resources: [], requests: [], requestCounts: {} });
    } finally {
      stream.close();
    }
  });
});

describe('aml-emulator --console', () => {
  const MAIN = join(import.meta.dirname, '../../src/emulator/main.ts');

  it('prints the console URL with the token in the fragment', async () => {
    const proc = spawn(process.execPath, [
      '--import',
      'tsx',
      MAIN,
      '--port',
      '0',
      '--console',
      '--control-token',
      TOKEN,
    ]);
    try {
      const out = await new Promise<string>((resolve, reject) => {
        let text = '';
        proc.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('# console:')) resolve(text);
        });
        proc.on('exit', (code) => {
          reject(new Error(`exited early with ${String(code)}: ${text}`));
        });
      });
      const line = out.split('\n').find((l) => l.startsWith('# console:'));
      expect(line).toMatch(new RegExp(`^# console: http://127\\.0\\.0\\.1:\\d+/__console/#token=${TOKEN}$`));
      const url = new URL((line as string).slice('# console: '.length));
      const page = await send(url.origin, 'GET', url.pathname, {});
      expect(page.status).toBe(200);
    } finally {
      proc.kill('SIGTERM');
    }
  });

  it('refuses to serve the console beyond loopback without --console-allow-host', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', MAIN, '--host', '0.0.0.0', '--console'], {
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--console-allow-host');
    expect(result.stdout).toBe('');
  });
});
