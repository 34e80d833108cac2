import aws4 from 'aws4';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AmazonMLClient } from '../../src/client/AmazonMLClient.js';
import type { Emulator } from '../../src/emulator/Emulator.js';
import { startEmulator } from '../../src/emulator/startEmulator.js';

// The emulator's auth clock runs this far ahead of real time (a test moves it past an expiry).
let offsetMs = 0;
const now = (): number => Date.now() + offsetMs;

let emu: Emulator;
beforeAll(async () => {
  emu = await startEmulator({ credentialEndpoints: { lifetimeMs: 3_600_000 }, authClock: now });
  emu.put('BatchPrediction', { BatchPredictionId: 'bp-1', Status: 'COMPLETED' });
});
afterAll(async () => {
  await emu.close();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

async function send(
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  const response = await request(`${emu.endpoint}${path}`, {
    method: (init.method ?? 'GET') as 'GET',
    headers: init.headers ?? {},
    body: init.body ?? null,
  });
  return { status: response.statusCode, headers: response.headers, text: await response.body.text() };
}

/** A form-encoded STS call, SigV4-signed for `sts` with `credentials` unless they are `undefined`. */
function sts(
  params: Record<string, string>,
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string },
): Promise<Answer> {
  const body = new URLSearchParams({ Version: '2011-06-15', ...params }).toString();
  const url = new URL(emu.endpoint);
  const headers: Record<string, string> = {
    'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8',
    Host: url.host,
  };
  if (credentials !== undefined) {
    const signed = aws4.sign(
      { host: url.host, path: '/', method: 'POST', service: 'sts', region: 'us-east-1', headers, body },
      credentials,
    );
    Object.assign(headers, signed.headers);
  }
  return send('/', { method: 'POST', headers, body });
}

function xmlValue(xml: string, tag: string): string | undefined {
  return new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml)?.[1];
}

/** Signs one GetBatchPrediction with the given credentials (at the emulator's auth time) and returns the outcome. */
async function useCredentials(credentials: {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}): Promise<string> {
  const client = new AmazonMLClient({
    endpoint: emu.endpoint,
    region: emu.region,
    credentials,
    wallClock: now,
  });
  try {
    return (await client.getBatchPrediction('bp-1')).Status ?? '?';
  } catch (error) {
    return (error as Error).name;
  } finally {
    await client.close();
  }
}

describe('container credentials endpoint', () => {
  const path = (): string => new URL(emu.credentialEndpoints!.containerCredentialsFullUri).pathname;

  test('requires the Authorization token', async () => {
    expect((await send(path())).status).toBe(401);
    const wrong = await send(path(), { headers: { Authorization: 'not-the-token' } });
    expect(wrong.status).toBe(401);
    expect(JSON.parse(wrong.text)).toEqual({
      Code: 'AccessDeniedException',
      Message: 'Unauthorized: invalid or missing Authorization token',
    });
    expect(wrong.text).not.toContain('not-the-token');
  });

  test('issues credentials the API accepts until they expire, then ExpiredTokenException', async () => {
    const answer = await send(path(), {
      headers: { Authorization: emu.credentialEndpoints!.containerAuthorizationToken },
    });
    expect(answer.status).toBe(200);
    const body = JSON.parse(answer.text) as {
      AccessKeyId: string;
      SecretAccessKey: string;
      Token: string;
      Expiration: string;
    };
    expect(body.AccessKeyId).toMatch(/^ASIA[0-9A-F]{16}$/);
    expect(Date.parse(body.Expiration) - now()).toBeGreaterThan(3_599_000);
    // Handed out again until they are due for rotation (5 minutes before expiry), like the ECS agent.
    const again = JSON.parse(
      (
        await send(path(), {
          headers: { Authorization: emu.credentialEndpoints!.containerAuthorizationToken },
        })
      ).text,
    ) as { AccessKeyId: string };
    expect(again.AccessKeyId).toBe(body.AccessKeyId);
    const credentials = {
      accessKeyId: body.AccessKeyId,
      secretAccessKey: body.SecretAccessKey,
      sessionToken: body.Token,
    };
    expect(await useCredentials(credentials)).toBe('COMPLETED');
    offsetMs = Date.parse(body.Expiration) - Date.now() + 1;
    try {
      expect(await useCredentials(credentials)).toBe('ExpiredTokenException');
      // A wrong session token with a known key is not accepted either.
      expect(await useCredentials({ ...credentials, sessionToken: 'other' })).toBe(
        'UnrecognizedClientException',
      );
    } finally {
      offsetMs = 0;
    }
  });
});

describe('IMDSv2', () => {
  test('a token PUT first (with a TTL, never through a proxy), then the role, then its credentials', async () => {
    const base = '/latest/meta-data/iam/security-credentials/';
    expect((await send(base)).status).toBe(401);
    expect((await send('/latest/api/token', { method: 'PUT' })).status).toBe(400);
    expect(
      (
        await send('/latest/api/token', {
          method: 'PUT',
          headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60', 'x-forwarded-for': '10.0.0.1' },
        })
      ).status,
    ).toBe(400);
    expect(
      (await send('/latest/api/token', { headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' } })).status,
    ).toBe(405);
    const token = await send('/latest/api/token', {
      method: 'PUT',
      headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '60' },
    });
    expect(token.status).toBe(200);
    expect(token.headers['x-aws-ec2-metadata-token-ttl-seconds']).toBe('60');
    const headers = { 'x-aws-ec2-metadata-token': token.text };
    const role = await send(base, { headers });
    expect(role.text).toBe(emu.credentialEndpoints!.instanceRoleName);
    expect((await send(`${base}other-role`, { headers })).status).toBe(404);
    const creds = JSON.parse((await send(`${base}${role.text}`, { headers })).text) as Record<string, string>;
    expect(creds).toMatchObject({ Code: 'Success', Type: 'AWS-HMAC' });
    expect(
      await useCredentials({
        accessKeyId: creds.AccessKeyId!,
        secretAccessKey: creds.SecretAccessKey!,
        sessionToken: creds.Token!,
      }),
    ).toBe('COMPLETED');
    // The session token expires after its TTL.
    offsetMs = 61_000;
    try {
      expect((await send(base, { headers })).status).toBe(401);
    } finally {
      offsetMs = 0;
    }
  });
});

describe('STS (query protocol, XML)', () => {
  const role = { RoleArn: 'arn:aws:iam::123456789012:role/aml-waiter', RoleSessionName: 'test' };

  test('AssumeRole, signed for sts by a known key, issues credentials the API accepts', async () => {
    const answer = await sts({ Action: 'AssumeRole', ...role, DurationSeconds: '900' }, emu.credentials);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toBe('text/xml');
    expect(answer.text).toContain('<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
    expect(xmlValue(answer.text, 'Arn')).toBe('arn:aws:sts::123456789012:assumed-role/aml-waiter/test');
    const expiration = Date.parse(xmlValue(answer.text, 'Expiration')!);
    // DurationSeconds is honoured (below the emulator's lifetime).
    expect(Math.abs(expiration - now() - 900_000)).toBeLessThan(5_000);
    const credentials = {
      accessKeyId: xmlValue(answer.text, 'AccessKeyId')!,
      secretAccessKey: xmlValue(answer.text, 'SecretAccessKey')!,
      sessionToken: xmlValue(answer.text, 'SessionToken')!,
    };
    expect(await useCredentials(credentials)).toBe('COMPLETED');
  });

  test.each([
    ['unsigned', undefined, {}, 403, 'MissingAuthenticationToken'],
    [
      'signed by an unknown key',
      { accessKeyId: 'AKIANOTKNOWN00000000', secretAccessKey: 'x' },
      {},
      403,
      'InvalidClientTokenId',
    ],
    ['with a malformed role ARN', 'default', { RoleArn: 'role/aml-waiter' }, 400, 'ValidationError'],
    ['with DurationSeconds out of range', 'default', { DurationSeconds: '60' }, 400, 'ValidationError'],
    ['with a bad session name', 'default', { RoleSessionName: 'a b' }, 400, 'ValidationError'],
  ] as const)('AssumeRole %s → %i %s', async (_what, signer, params, status, code) => {
    const credentials = signer === 'default' ? emu.credentials : signer;
    const answer = await sts({ Action: 'AssumeRole', ...role, ...params }, credentials);
    expect(answer.status).toBe(status);
    expect(xmlValue(answer.text, 'Code')).toBe(code);
    expect(answer.text).toMatch(
      /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type>/,
    );
  });

  test('AssumeRoleWithWebIdentity takes the emulator’s token only (unsigned, as STS allows)', async () => {
    const good = await sts({
      Action: 'AssumeRoleWithWebIdentity',
      ...role,
      WebIdentityToken: emu.credentialEndpoints!.webIdentityToken,
    });
    expect(good.status).toBe(200);
    expect(xmlValue(good.text, 'SubjectFromWebIdentityToken')).toBe(
      'system:serviceaccount:default:aml-waiter',
    );
    const bad = await sts({
      Action: 'AssumeRoleWithWebIdentity',
      ...role,
      WebIdentityToken: 'eyJ.forged.token',
    });
    expect(bad.status).toBe(400);
    expect(xmlValue(bad.text, 'Code')).toBe('InvalidIdentityToken');
    expect(bad.text).not.toContain('forged');
  });

  test('an unknown action or version is InvalidAction', async () => {
    expect(xmlValue((await sts({ Action: 'GetCallerIdentity' }, emu.credentials)).text, 'Code')).toBe(
      'InvalidAction',
    );
    const old = await send('/', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'Action=AssumeRole&Version=2010-01-01',
    });
    expect(xmlValue(old.text, 'Code')).toBe('InvalidAction');
  });
});

describe('SSO portal GetRoleCredentials', () => {
  const path = '/federation/credentials?account_id=123456789012&role_name=AmlWaiter';

  test('requires the access token from the SSO token cache', async () => {
    const missing = await send(path);
    expect(missing.status).toBe(401);
    expect(missing.headers['x-amzn-errortype']).toBe('UnauthorizedException');
    expect(
      (await send('/federation/credentials?role_name=x', { headers: { 'x-amz-sso_bearer_token': 'y' } }))
        .status,
    ).toBe(400);
    const good = await send(path, {
      headers: { 'x-amz-sso_bearer_token': emu.credentialEndpoints!.ssoAccessToken },
    });
    const { roleCredentials } = JSON.parse(good.text) as {
      roleCredentials: {
        accessKeyId: string;
        secretAccessKey: string;
        sessionToken: string;
        expiration: number;
      };
    };
    expect(roleCredentials.expiration - now()).toBeGreaterThan(3_599_000);
    expect(await useCredentials(roleCredentials)).toBe('COMPLETED');
  });
});

describe('switching the endpoints on', () => {
  test('off by default: the paths and a form POST belong to the Amazon ML API (its errors)', async () => {
    const plain = await startEmulator();
    try {
      expect(plain.credentialEndpoints).toBeUndefined();
      const response = await request(`${plain.endpoint}/latest/api/token`, { method: 'PUT' });
      expect(response.statusCode).toBe(405);
      await response.body.dump();
      const form = await request(`${plain.endpoint}/`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'Action=AssumeRole&Version=2011-06-15',
      });
      expect(form.statusCode).toBe(400);
      expect(await form.body.json()).toMatchObject({
        __type: 'MissingAuthenticationTokenException',
      });
    } finally {
      await plain.close();
    }
  });

  test('sources picks which endpoints are served', async () => {
    const onlySts = await startEmulator({ credentialEndpoints: { sources: ['sts'] } });
    try {
      expect(onlySts.credentialEndpoints!.sources).toEqual(['sts']);
      const response = await request(`${onlySts.endpoint}/v2/credentials/aml-emulator`);
      expect(response.statusCode).toBe(405);
      await response.body.dump();
    } finally {
      await onlySts.close();
    }
  });

  test.each([
    [{ sources: [] }, TypeError, /credentialEndpoints\.sources/],
    [{ sources: ['ecs'] }, RangeError, /credentialEndpoints\.sources.*"ecs"/],
    [{ lifetimeMs: 10 }, RangeError, /credentialEndpoints\.lifetimeMs.*got 10$/],
    [{ instanceRoleName: 'a role' }, TypeError, /instanceRoleName/],
  ])('bad option %j → a typed error naming it', async (option, type, message) => {
    await expect(startEmulator({ credentialEndpoints: option as never })).rejects.toThrow(type);
    await expect(startEmulator({ credentialEndpoints: option as never })).rejects.toThrow(message);
  });

  test('a token option that is not usable is refused without echoing it', async () => {
    const error = await startEmulator({ credentialEndpoints: { ssoAccessToken: 'has spaces in it' } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe(
      'Expected `credentialEndpoints.ssoAccessToken` to be 8-4096 printable ASCII characters without spaces',
    );
  });

  test('tls must be a boolean or a PEM pair; the key is never echoed', async () => {
    const error = await startEmulator({ tls: { key: 'SECRET-KEY-TEXT', cert: 'x' } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toBe('Expected `tls` to be a boolean or a PEM `{ key, cert }` pair');
  });
});
