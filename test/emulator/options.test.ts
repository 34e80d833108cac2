import { inspect } from 'node:util';
import { Agent, request } from 'undici';
import { describe, expect, it } from 'vitest';
import type { EmulatorOptions } from '../../src/emulator/index.js';
import { DEFAULT_EMULATOR_CREDENTIALS, startEmulator } from '../../src/emulator/index.js';
import type { Logger } from '../../src/model/Logger.js';
import { signedRequest } from './helpers/rawRequest.js';

describe('startEmulator options and object', () => {
  it('defaults: 127.0.0.1, a free port, us-east-1, the documented test key pair, a random control token', async () => {
    const emu = await startEmulator();
    try {
      expect(emu.host).toBe('127.0.0.1');
      expect(emu.port).toBeGreaterThan(0);
      expect(emu.endpoint).toBe(`http://127.0.0.1:${emu.port}`);
      expect(emu.region).toBe('us-east-1');
      expect(emu.credentials).toEqual({
        accessKeyId: 'AKIAEMULATOR00000000',
        secretAccessKey: DEFAULT_EMULATOR_CREDENTIALS.secretAccessKey,
      });
      expect(emu.controlToken).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      await emu.close();
    }
  });

  it.each<[EmulatorOptions, RegExp]>([
    [{ port: -1 }, /`port`.*-1/],
    [{ port: 1.5 }, /`port`.*1\.5/],
    [{ region: 'moon' }, /`region`.*"moon"/],
    [{ speed: 0 }, /`speed`.*0/],
    [{ maxBodyBytes: 0 }, /`maxBodyBytes`/],
    [{ notOnboarded: 'yes' as unknown as boolean }, /`notOnboarded`.*yes/],
    [{ controlToken: 'short' }, /`controlToken`/],
    [{ lifecycle: { failureRate: 2 } }, /`lifecycle.failureRate`.*2/],
    [{ lifecycle: { byKind: { MLModel: { pendingMs: -5 } } } }, /`lifecycle.byKind.MLModel.pendingMs`.*-5/],
    [{ credentials: [] }, /`credentials`/],
    [
      { credentials: [{ accessKeyId: 'bad key', secretAccessKey: 'x' }] },
      /`credentials\[0\].accessKeyId`.*"bad key"/,
    ],
    [{ credentials: [{ accessKeyId: 'AKIAOK', secretAccessKey: '' }] }, /`credentials\[0\].secretAccessKey`/],
    [{ random: 42 as unknown as () => number }, /`random`/],
  ])('rejects %j', async (options, message) => {
    await expect(startEmulator(options)).rejects.toThrow(message);
  });

  it('never shows the secret key in util.inspect, JSON, errors, the request log or the logger', async () => {
    const secret = 'super-secret-value-0123456789';
    const lines: string[] = [];
    const record = (bindings: Record<string, unknown>, message?: string): void => {
      lines.push(JSON.stringify(bindings) + String(message));
    };
    const logger: Logger = { debug: record, info: record, warn: record, error: record };
    const emu = await startEmulator({
      credentials: [
        {
          accessKeyId: 'AKIASECRETTEST000000',
          secretAccessKey: secret,
          sessionToken: 'session-secret-token',
        },
      ],
      logger,
    });
    try {
      await signedRequest(emu, 'GetBatchPrediction', { BatchPredictionId: 'x' });
      await signedRequest(
        emu,
        'GetBatchPrediction',
        { BatchPredictionId: 'x' },
        {
          credentials: {
            accessKeyId: 'AKIASECRETTEST000000',
            secretAccessKey: 'wrong',
            sessionToken: 'session-secret-token',
          },
        },
      );
      const errors: string[] = [];
      try {
        await startEmulator({ credentials: [{ accessKeyId: 'bad key', secretAccessKey: secret }] });
      } catch (error) {
        errors.push(String(error), inspect(error));
      }
      const surfaces = [
        inspect(emu, { depth: 10 }),
        JSON.stringify(emu),
        JSON.stringify(emu.requests()),
        ...lines,
        ...errors,
      ];
      expect(lines.length).toBe(2);
      expect(errors.length).toBe(2);
      for (const text of surfaces) {
        expect(text).not.toContain(secret);
        expect(text).not.toContain('session-secret-token');
      }
      expect(inspect(emu)).toContain(emu.endpoint);
    } finally {
      await emu.close();
    }
  });

  it('close() is idempotent and closes keep-alive connections', async () => {
    const emu = await startEmulator();
    const agent = new Agent({ keepAliveTimeout: 60_000 });
    const res = await request(`${emu.endpoint}/`, { dispatcher: agent });
    await res.body.text();
    const first = emu.close();
    expect(emu.close()).toBe(first);
    await first;
    await expect(request(`${emu.endpoint}/`, { dispatcher: agent })).rejects.toThrow();
    await agent.close();
  });
});
