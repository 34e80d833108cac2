/*
 * About 660 lines, knowingly: the four endpoints the AWS SDK's credential providers call (ECS/EKS
 * container, IMDSv2, STS AssumeRole / AssumeRoleWithWebIdentity, the SSO portal), their options and their
 * checks. They share one issuer of temporary credentials (lifetime, rotation, the store the SigV4 check
 * reads), the token checks and the body reading; each answer is 40–100 lines. A file per endpoint is the
 * next step when one of them grows (noted in issue #14's closing note).
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CredentialStore, StoredCredential } from './CredentialStore.js';
import { ServiceError } from './ServiceError.js';
import type { SigV4Verifier } from './SigV4Verifier.js';
import { stsErrorXml, stsCredentialsXml } from './stsXml.js';

/** The credential sources the emulator can serve, each switchable on by {@link CredentialEndpointsOptions.sources}. */
export type CredentialSource = 'container' | 'imds' | 'sts' | 'sso';

/** Every source, in the order the AWS SDK's default chain reaches them. */
const CREDENTIAL_SOURCES: readonly CredentialSource[] = Object.freeze(['sts', 'sso', 'container', 'imds']);

/**
 * Option `credentialEndpoints` of `startEmulator`: serve, on the emulator's own port, the endpoints the AWS
 * SDK's credential providers call, each issuing temporary credentials the emulator then accepts (until they
 * expire: `ExpiredTokenException`).
 */
export interface CredentialEndpointsOptions {
  /** Which endpoints to serve. Default: all four. */
  readonly sources?: readonly CredentialSource[] | undefined;
  /**
   * Lifetime of every credential issued, in ms (also the most an STS `DurationSeconds` gets, as a role's
   * maximum session duration would cap it). From 1 000 to 43 200 000. Default 3 600 000 (one hour).
   */
  readonly lifetimeMs?: number | undefined;
  /** The `Authorization` value the container endpoint requires. Default: random. */
  readonly containerAuthorizationToken?: string | undefined;
  /** The web identity token `AssumeRoleWithWebIdentity` accepts. Default: a random JWT-shaped token. */
  readonly webIdentityToken?: string | undefined;
  /** The SSO access token `GetRoleCredentials` accepts (as `aws sso login` caches it). Default: random. */
  readonly ssoAccessToken?: string | undefined;
  /** The role name the instance metadata service lists. Default `aml-emulator-instance-role`. */
  readonly instanceRoleName?: string | undefined;
}

/** What a test needs to point the AWS SDK's providers at the emulator (`emu.credentialEndpoints`). */
export interface EmulatorCredentialEndpoints {
  readonly sources: readonly CredentialSource[];
  /** `AWS_CONTAINER_CREDENTIALS_FULL_URI` (ECS / EKS Pod Identity style endpoint). */
  readonly containerCredentialsFullUri: string;
  /** `AWS_CONTAINER_AUTHORIZATION_TOKEN` (or the content of `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`). */
  readonly containerAuthorizationToken: string;
  /** `AWS_EC2_METADATA_SERVICE_ENDPOINT` (IMDSv2: token `PUT`, then the role's credentials). */
  readonly instanceMetadataEndpoint: string;
  readonly instanceRoleName: string;
  /** `AWS_ENDPOINT_URL_STS` (`AssumeRole`, `AssumeRoleWithWebIdentity`; query protocol, XML answers). */
  readonly stsEndpoint: string;
  /** `AWS_ENDPOINT_URL_SSO` (the SSO portal's `GetRoleCredentials`). */
  readonly ssoEndpoint: string;
  /** The token `AssumeRoleWithWebIdentity` accepts (write it to `AWS_WEB_IDENTITY_TOKEN_FILE`). */
  readonly webIdentityToken: string;
  /** The access token `GetRoleCredentials` accepts (write it to the SSO token cache file). */
  readonly ssoAccessToken: string;
  /** Lifetime of issued credentials in ms. */
  readonly lifetimeMs: number;
  /** How many credentials the endpoints have issued so far. */
  readonly issued: number;
}

/** Options after validation and defaults. */
export interface ResolvedCredentialEndpointsOptions {
  readonly sources: readonly CredentialSource[];
  readonly lifetimeMs: number;
  readonly containerAuthorizationToken: string;
  readonly webIdentityToken: string;
  readonly ssoAccessToken: string;
  readonly instanceRoleName: string;
}

/** One answered request, for the emulator's request log. */
export interface CredentialEndpointExchange {
  readonly requestId: string;
  readonly operation: string;
  readonly statusCode: number;
  readonly errorType: string | undefined;
  readonly accessKeyId: string | undefined;
}

/** The path of the container credentials endpoint (like an ECS agent's `/v2/credentials/<id>`). */
export const CONTAINER_CREDENTIALS_PATH = '/v2/credentials/aml-emulator';
const IMDS_TOKEN_PATH = '/latest/api/token';
const IMDS_CREDENTIALS_PATH = '/latest/meta-data/iam/security-credentials/';
const SSO_CREDENTIALS_PATH = '/federation/credentials';
const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role\/([\w+=,.@/-]{1,64})$/;
const SESSION_NAME = /^[\w+=,.@-]{2,64}$/;
const TOKEN_PATTERN = /^[\x21-\x7e]{8,4096}$/;
/** Real IMDS and ECS agents hand out new credentials at least five minutes before the old ones expire. */
const ROTATE_BEFORE_MS = 5 * 60_000;
const MAX_FORM_BYTES = 64 * 1024;
const MIN_LIFETIME_MS = 1000;
const MAX_LIFETIME_MS = 43_200_000;

function randomToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url');
}

function jwtShapedToken(): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iss: 'https://oidc.aml-emulator.invalid', sub: 'system:serviceaccount:default:aml-waiter', aud: 'sts.amazonaws.com' })}.${randomToken(32)}`;
}

function tokenOption(value: unknown, field: string, fallback: () => string): string {
  if (value === undefined) return fallback();
  if (typeof value !== 'string' || !TOKEN_PATTERN.test(value)) {
    // A token is a secret: say what is wrong, never echo it.
    throw new TypeError(`Expected \`${field}\` to be 8-4096 printable ASCII characters without spaces`);
  }
  return value;
}

/** Validates option `credentialEndpoints` (`true` = every source with defaults); `undefined` when off. */
export function resolveCredentialEndpointsOptions(
  value: boolean | CredentialEndpointsOptions | undefined,
): ResolvedCredentialEndpointsOptions | undefined {
  if (value === undefined || value === false) return undefined;
  const o: CredentialEndpointsOptions = value === true ? {} : value;
  if (typeof o !== 'object' || (o as unknown) === null || Array.isArray(o)) {
    throw new TypeError(
      `Expected \`credentialEndpoints\` to be a boolean or an options object, got ${typeof value}`,
    );
  }
  const sources = o.sources ?? CREDENTIAL_SOURCES;
  if (!Array.isArray(sources) || sources.length === 0) {
    throw new TypeError(
      `Expected \`credentialEndpoints.sources\` to be a non-empty array of ${CREDENTIAL_SOURCES.join(', ')}, got ${JSON.stringify(sources)}`,
    );
  }
  for (const source of sources as unknown[]) {
    if (!CREDENTIAL_SOURCES.includes(source as CredentialSource)) {
      throw new RangeError(
        `Expected \`credentialEndpoints.sources\` to hold only ${CREDENTIAL_SOURCES.join(', ')}, got ${JSON.stringify(source)}`,
      );
    }
  }
  const lifetimeMs = o.lifetimeMs ?? 3_600_000;
  if (
    typeof lifetimeMs !== 'number' ||
    !Number.isSafeInteger(lifetimeMs) ||
    lifetimeMs < MIN_LIFETIME_MS ||
    lifetimeMs > MAX_LIFETIME_MS
  ) {
    throw new RangeError(
      `Expected \`credentialEndpoints.lifetimeMs\` to be an integer from ${MIN_LIFETIME_MS} to ${MAX_LIFETIME_MS}, got ${String(lifetimeMs)}`,
    );
  }
  const instanceRoleName = o.instanceRoleName ?? 'aml-emulator-instance-role';
  if (typeof instanceRoleName !== 'string' || !/^[\w+=,.@-]{1,64}$/.test(instanceRoleName)) {
    throw new TypeError(
      `Expected \`credentialEndpoints.instanceRoleName\` to be an IAM role name, got ${JSON.stringify(instanceRoleName)}`,
    );
  }
  return {
    sources: Object.freeze([...new Set<CredentialSource>(sources)]),
    lifetimeMs,
    containerAuthorizationToken: tokenOption(
      o.containerAuthorizationToken,
      'credentialEndpoints.containerAuthorizationToken',
      () => randomToken(24),
    ),
    webIdentityToken: tokenOption(o.webIdentityToken, 'credentialEndpoints.webIdentityToken', jwtShapedToken),
    ssoAccessToken: tokenOption(o.ssoAccessToken, 'credentialEndpoints.ssoAccessToken', () =>
      randomToken(48),
    ),
    instanceRoleName,
  };
}

/** Constant-time comparison of a presented token with the expected one. */
function sameToken(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = createHash('sha256').update(presented).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

interface Issued {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiresAtMs: number;
}

/** What the endpoints need from the emulator. */
interface CredentialEndpointsHost {
  readonly credentials: CredentialStore;
  /** Verifies SigV4 for service `sts` (any region). */
  readonly stsVerifier: SigV4Verifier;
  /** The emulator's auth clock (epoch ms, with its skew). */
  readonly now: () => number;
  /** The emulator's base URL, `http(s)://host:port`. */
  readonly baseUrl: () => string;
  /** Sends one answer and records it in the request log. */
  readonly send: (
    res: ServerResponse,
    exchange: CredentialEndpointExchange,
    contentType: string,
    body: string,
    headers?: Record<string, string>,
  ) => void;
}

/**
 * The endpoints the AWS SDK's credential providers call, served on the emulator's port: an ECS-style
 * container credentials endpoint (with the `Authorization` token check), IMDSv2 (token `PUT`, then the
 * role's credentials), STS `AssumeRole` (SigV4-signed for `sts`) and `AssumeRoleWithWebIdentity` (query
 * protocol, XML answers) and the SSO portal's `GetRoleCredentials`. Every credential issued is added to the
 * emulator's credential store with its expiry, so the Amazon ML API accepts it until then and answers
 * `ExpiredTokenException` after.
 */
export class CredentialEndpoints {
  readonly #options: ResolvedCredentialEndpointsOptions;
  readonly #host: CredentialEndpointsHost;
  readonly #enabled: ReadonlySet<CredentialSource>;
  /** IMDSv2 session tokens → expiry (auth-clock ms). */
  readonly #imdsTokens = new Map<string, number>();
  /** Container and instance credentials are handed out again until they are due for rotation. */
  #container: Issued | undefined;
  #instance: Issued | undefined;
  #issued = 0;

  constructor(options: ResolvedCredentialEndpointsOptions, host: CredentialEndpointsHost) {
    this.#options = options;
    this.#host = host;
    this.#enabled = new Set(options.sources);
  }

  /** Forgets the IMDS session tokens and the container and instance credentials handed out (not the issued count). */
  reset(): void {
    this.#imdsTokens.clear();
    this.#container = undefined;
    this.#instance = undefined;
  }

  /** The public view (`emu.credentialEndpoints`). */
  describe(): EmulatorCredentialEndpoints {
    const base = this.#host.baseUrl();
    const o = this.#options;
    return {
      sources: o.sources,
      containerCredentialsFullUri: `${base}${CONTAINER_CREDENTIALS_PATH}`,
      containerAuthorizationToken: o.containerAuthorizationToken,
      instanceMetadataEndpoint: base,
      instanceRoleName: o.instanceRoleName,
      stsEndpoint: base,
      ssoEndpoint: base,
      webIdentityToken: o.webIdentityToken,
      ssoAccessToken: o.ssoAccessToken,
      lifetimeMs: o.lifetimeMs,
      issued: this.#issued,
    };
  }

  /**
   * Answers `req` if it is for one of the enabled endpoints (by method, path and, for STS, the form
   * content type) and returns `true`; otherwise returns `false` and leaves it to the Amazon ML API.
   */
  handle(req: IncomingMessage, res: ServerResponse, url: string): boolean {
    const path = url.split('?', 1)[0] ?? url;
    if (this.#enabled.has('container') && path === CONTAINER_CREDENTIALS_PATH) {
      this.#drain(req, () => {
        this.#container = this.#answerContainer(req, res, this.#container);
      });
      return true;
    }
    if (this.#enabled.has('imds') && (path === IMDS_TOKEN_PATH || path.startsWith(IMDS_CREDENTIALS_PATH))) {
      this.#drain(req, () => {
        this.#answerImds(req, res, path);
      });
      return true;
    }
    if (this.#enabled.has('sso') && path === SSO_CREDENTIALS_PATH) {
      this.#drain(req, () => {
        this.#answerSso(req, res, url);
      });
      return true;
    }
    const contentType = header(req, 'content-type')?.toLowerCase() ?? '';
    if (
      this.#enabled.has('sts') &&
      req.method === 'POST' &&
      path === '/' &&
      contentType.startsWith(FORM_CONTENT_TYPE) &&
      header(req, 'x-amz-target') === undefined
    ) {
      this.#readBody(req, res, (body) => {
        this.#answerSts(req, res, body);
      });
      return true;
    }
    return false;
  }

  #drain(req: IncomingMessage, then: () => void): void {
    req.on('error', () => undefined);
    req.resume();
    req.on('end', then);
  }

  #readBody(req: IncomingMessage, res: ServerResponse, then: (body: Buffer) => void): void {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('error', () => undefined);
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_FORM_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) {
        this.#stsError(
          res,
          'STS.(unknown)',
          undefined,
          new ServiceError(413, 'RequestEntityTooLarge', 'Request body too large'),
        );
        return;
      }
      then(Buffer.concat(chunks));
    });
  }

  #issue(lifetimeMs: number): Issued {
    const issued: Issued = {
      accessKeyId: `ASIA${randomBytes(10).toString('hex').toUpperCase().slice(0, 16)}`,
      secretAccessKey: randomToken(30),
      sessionToken: randomToken(96),
      expiresAtMs: this.#host.now() + lifetimeMs,
    };
    this.#host.credentials.add({
      accessKeyId: issued.accessKeyId,
      secretAccessKey: issued.secretAccessKey,
      sessionToken: issued.sessionToken,
      expiresAt: new Date(issued.expiresAtMs),
    });
    this.#issued++;
    return issued;
  }

  /** The cached credential while it is not due for rotation, else a new one. */
  #rotating(current: Issued | undefined): Issued {
    if (current !== undefined && current.expiresAtMs - this.#host.now() > ROTATE_BEFORE_MS) return current;
    return this.#issue(this.#options.lifetimeMs);
  }

  #json(
    res: ServerResponse,
    operation: string,
    status: number,
    body: unknown,
    errorType?: string,
    accessKeyId?: string,
  ): void {
    const headers: Record<string, string> = {};
    if (errorType !== undefined) headers['x-amzn-ErrorType'] = errorType;
    this.#host.send(
      res,
      { requestId: randomUUID(), operation, statusCode: status, errorType, accessKeyId },
      'application/json',
      JSON.stringify(body),
      headers,
    );
  }

  #answerContainer(
    req: IncomingMessage,
    res: ServerResponse,
    current: Issued | undefined,
  ): Issued | undefined {
    const operation = 'Container.GetCredentials';
    if (req.method !== 'GET') {
      this.#json(res, operation, 405, { Code: 'MethodNotAllowed', Message: 'Use GET' }, 'MethodNotAllowed');
      return current;
    }
    if (!sameToken(header(req, 'authorization'), this.#options.containerAuthorizationToken)) {
      // What the EKS Pod Identity agent and the ECS agent answer for a missing or wrong token.
      this.#json(
        res,
        operation,
        401,
        { Code: 'AccessDeniedException', Message: 'Unauthorized: invalid or missing Authorization token' },
        'AccessDeniedException',
      );
      return current;
    }
    const issued = this.#rotating(current);
    this.#json(
      res,
      operation,
      200,
      {
        AccessKeyId: issued.accessKeyId,
        SecretAccessKey: issued.secretAccessKey,
        Token: issued.sessionToken,
        Expiration: new Date(issued.expiresAtMs).toISOString(),
        RoleArn: 'arn:aws:iam::123456789012:role/aml-emulator-task-role',
      },
      undefined,
      issued.accessKeyId,
    );
    return issued;
  }

  #answerImds(req: IncomingMessage, res: ServerResponse, path: string): void {
    const text = (
      operation: string,
      status: number,
      body: string,
      headers?: Record<string, string>,
    ): void => {
      this.#host.send(
        res,
        {
          requestId: randomUUID(),
          operation,
          statusCode: status,
          errorType: status >= 400 ? `Http${status}` : undefined,
          accessKeyId: undefined,
        },
        'text/plain',
        body,
        headers,
      );
    };
    const now = this.#host.now();
    if (path === IMDS_TOKEN_PATH) {
      if (req.method !== 'PUT') {
        text('IMDS.GetToken', 405, 'Method Not Allowed', { Allow: 'PUT' });
        return;
      }
      // IMDS refuses token requests that went through a proxy (it sees X-Forwarded-For).
      const ttl = Number(header(req, 'x-aws-ec2-metadata-token-ttl-seconds'));
      if (header(req, 'x-forwarded-for') !== undefined || !Number.isInteger(ttl) || ttl < 1 || ttl > 21_600) {
        text('IMDS.GetToken', 400, 'Bad Request');
        return;
      }
      for (const [token, expiresAtMs] of this.#imdsTokens)
        if (expiresAtMs <= now) this.#imdsTokens.delete(token);
      const token = randomToken(40);
      this.#imdsTokens.set(token, now + ttl * 1000);
      text('IMDS.GetToken', 200, token, { 'x-aws-ec2-metadata-token-ttl-seconds': String(ttl) });
      return;
    }
    const operation = 'IMDS.GetRoleCredentials';
    if (req.method !== 'GET') {
      text(operation, 405, 'Method Not Allowed', { Allow: 'GET' });
      return;
    }
    // IMDSv2 only ("HttpTokens: required"): a request without a valid session token gets 401.
    const token = header(req, 'x-aws-ec2-metadata-token');
    const expiresAtMs = token === undefined ? undefined : this.#imdsTokens.get(token);
    if (expiresAtMs === undefined || expiresAtMs <= now) {
      text(operation, 401, 'Unauthorized');
      return;
    }
    const role = path.slice(IMDS_CREDENTIALS_PATH.length).replace(/\/$/, '');
    if (role === '') {
      text('IMDS.ListRoles', 200, this.#options.instanceRoleName);
      return;
    }
    if (role !== this.#options.instanceRoleName) {
      text(operation, 404, 'Not Found');
      return;
    }
    const issued = this.#rotating(this.#instance);
    this.#instance = issued;
    this.#json(
      res,
      operation,
      200,
      {
        Code: 'Success',
        LastUpdated: new Date(now).toISOString(),
        Type: 'AWS-HMAC',
        AccessKeyId: issued.accessKeyId,
        SecretAccessKey: issued.secretAccessKey,
        Token: issued.sessionToken,
        Expiration: new Date(issued.expiresAtMs).toISOString(),
      },
      undefined,
      issued.accessKeyId,
    );
  }

  #answerSso(req: IncomingMessage, res: ServerResponse, url: string): void {
    const operation = 'SSO.GetRoleCredentials';
    if (req.method !== 'GET') {
      this.#json(res, operation, 405, { message: 'Method not allowed' }, 'MethodNotAllowedException');
      return;
    }
    const query = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '');
    const roleName = query.get('role_name');
    const accountId = query.get('account_id');
    if (roleName === null || accountId === null || !/^\d{12}$/.test(accountId) || roleName === '') {
      this.#json(
        res,
        operation,
        400,
        { message: 'role_name and a 12-digit account_id are required' },
        'InvalidRequestException',
      );
      return;
    }
    if (!sameToken(header(req, 'x-amz-sso_bearer_token'), this.#options.ssoAccessToken)) {
      this.#json(
        res,
        operation,
        401,
        { message: 'Session token not found or invalid' },
        'UnauthorizedException',
      );
      return;
    }
    const issued = this.#issue(this.#options.lifetimeMs);
    this.#json(
      res,
      operation,
      200,
      {
        roleCredentials: {
          accessKeyId: issued.accessKeyId,
          secretAccessKey: issued.secretAccessKey,
          sessionToken: issued.sessionToken,
          expiration: issued.expiresAtMs,
        },
      },
      undefined,
      issued.accessKeyId,
    );
  }

  #stsError(
    res: ServerResponse,
    operation: string,
    accessKeyId: string | undefined,
    error: ServiceError,
  ): void {
    const requestId = randomUUID();
    const { code, status } = stsErrorCode(error);
    this.#host.send(
      res,
      { requestId, operation, statusCode: status, errorType: code, accessKeyId },
      'text/xml',
      stsErrorXml(code, error.message, requestId),
    );
  }

  #answerSts(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    const form = new URLSearchParams(body.toString('utf8'));
    const action = form.get('Action') ?? '';
    const operation = `STS.${/^\w{1,64}$/.test(action) ? action : '(unknown)'}`;
    let signer: StoredCredential | undefined;
    try {
      if (form.get('Version') !== '2011-06-15') {
        throw new ServiceError(
          400,
          'InvalidAction',
          'Could not find operation for version ' + (form.get('Version') ?? '(none)').slice(0, 32),
        );
      }
      if (action === 'AssumeRole') {
        signer = this.#host.stsVerifier.verify({
          method: 'POST',
          path: '/',
          headers: req.headers,
          body,
          distinct: () => req.headersDistinct,
        });
      } else if (action !== 'AssumeRoleWithWebIdentity') {
        throw new ServiceError(
          400,
          'InvalidAction',
          `Could not find operation ${action.slice(0, 64)} for version 2011-06-15`,
        );
      }
      const roleArn = form.get('RoleArn') ?? '';
      const arn = ROLE_ARN.exec(roleArn);
      if (arn === null) {
        throw new ServiceError(
          400,
          'ValidationError',
          "1 validation error detected: Value at 'roleArn' failed to satisfy constraint: Member must be a role ARN",
        );
      }
      const sessionName = form.get('RoleSessionName') ?? '';
      if (!SESSION_NAME.test(sessionName)) {
        throw new ServiceError(
          400,
          'ValidationError',
          "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*",
        );
      }
      const duration = form.get('DurationSeconds');
      let lifetimeMs = this.#options.lifetimeMs;
      if (duration !== null) {
        const seconds = Number(duration);
        if (!Number.isInteger(seconds) || seconds < 900 || seconds > 43_200) {
          throw new ServiceError(
            400,
            'ValidationError',
            "1 validation error detected: Value at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200",
          );
        }
        lifetimeMs = Math.min(lifetimeMs, seconds * 1000);
      }
      if (action === 'AssumeRoleWithWebIdentity') {
        const token = form.get('WebIdentityToken') ?? undefined;
        if (!sameToken(token, this.#options.webIdentityToken)) {
          throw new ServiceError(
            400,
            'InvalidIdentityToken',
            'The web identity token is not one this emulator accepts',
          );
        }
      }
      const issued = this.#issue(lifetimeMs);
      const requestId = randomUUID();
      this.#host.send(
        res,
        { requestId, operation, statusCode: 200, errorType: undefined, accessKeyId: signer?.accessKeyId },
        'text/xml',
        stsCredentialsXml(action, {
          ...issued,
          assumedRoleArn: `arn:aws:sts::${arn[1] ?? ''}:assumed-role/${(arn[2] ?? '').split('/').pop() ?? ''}/${sessionName}`,
          requestId,
        }),
      );
    } catch (error) {
      this.#stsError(
        res,
        operation,
        signer?.accessKeyId,
        error instanceof ServiceError
          ? error
          : new ServiceError(500, 'InternalFailure', 'An internal error occurred'),
      );
    }
  }
}

/** STS's error code and status for a rejection (the SigV4 check speaks the JSON services' names). */
function stsErrorCode(error: ServiceError): { code: string; status: number } {
  switch (error.errorType) {
    case 'UnrecognizedClientException':
      return { code: 'InvalidClientTokenId', status: 403 };
    case 'InvalidSignatureException':
      return { code: 'SignatureDoesNotMatch', status: 403 };
    case 'ExpiredTokenException':
      return { code: 'ExpiredToken', status: 400 };
    case 'MissingAuthenticationTokenException':
      return { code: 'MissingAuthenticationToken', status: 403 };
    case 'IncompleteSignatureException':
      return { code: 'IncompleteSignature', status: 400 };
    default:
      return { code: error.errorType, status: error.statusCode };
  }
}
