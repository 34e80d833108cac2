import type { Clock } from '../model/Clock.js';
import type { ResourceKind } from '../model/ResourceKind.js';
import type { EmulatorCredentialEndpoints } from './CredentialEndpoints.js';
import type { EmulatorCredential } from './EmulatorCredential.js';
import type { FaultRule, FaultRuleState } from './FaultRule.js';
import type { LifecycleStep } from './LifecycleScript.js';
import type { EmulatorCounters, RequestLogEntry } from './RequestLog.js';
import type { ResourceInput } from './ResourceStore.js';

/** The key pair a client should use to talk to the emulator. */
export interface EmulatorClientCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * A running emulator: what a client needs (`endpoint`, `region`, `credentials`) and in-process control
 * (the same operations the HTTP control interface at `controlUrl` offers).
 */
export interface Emulator {
  /** `http://<host>:<port>` (`https://` with option `tls`): the endpoint to give the client. */
  readonly endpoint: string;
  /** With option `tls`: the PEM certificate the server presents (self-signed: use it as `AWS_CA_BUNDLE`). */
  readonly certificate: string | undefined;
  /**
   * With option `credentialEndpoints`: the URLs and tokens to point the AWS SDK's credential providers at
   * (container credentials, IMDSv2, STS, SSO); `undefined` otherwise.
   */
  readonly credentialEndpoints: EmulatorCredentialEndpoints | undefined;
  readonly region: string;
  /** The first configured key pair (the default test pair unless `credentials` was given). */
  readonly credentials: EmulatorClientCredentials;
  /** Base URL of the HTTP control interface, `http://<host>:<port>/__control`. */
  readonly controlUrl: string;
  /** URL of the emulator console (`<endpoint>/__console/`) when started with `console`; else `undefined`. */
  readonly consoleUrl: string | undefined;
  /** Token the control interface requires in the `x-aml-emulator-token` header. */
  readonly controlToken: string;
  readonly port: number;
  readonly host: string;
  /** The lifecycle clock. */
  readonly clock: Clock;

  /**
   * Adds or replaces a resource directly, with any model members (timestamps as `Date` or epoch seconds).
   * With `Status` and no script it stays in that status (e.g. a pre-existing COMPLETED model); with a
   * script it follows it from now (the script decides the status; a `Status` member is then ignored);
   * with neither it runs the simulated lifecycle. Status-dependent members you give (`FinishedAt`,
   * `ComputeTime`, record counts, `LogUri`, …) only show in the statuses where the service shows them.
   * Returns its wire view now (`undefined` if the script starts with `notFoundForMs`). Throws a
   * TypeError/RangeError naming the bad field.
   *
   * @example
   * ```ts
   * emu.put('MLModel', { MLModelId: 'ml-1', MLModelType: 'BINARY', Status: 'COMPLETED' });
   * emu.put('BatchPrediction', { BatchPredictionId: 'bp-1', MLModelId: 'ml-1' }, [
   *   { notFoundForMs: 500 },
   *   { status: 'PENDING', forMs: 1000 },
   *   { status: 'INPROGRESS', forMs: 5000 },
   *   { status: 'FAILED', message: 'Bad input data' },
   * ]);
   * ```
   */
  put(
    kind: ResourceKind,
    resource: ResourceInput,
    script?: readonly LifecycleStep[],
  ): Record<string, unknown> | undefined;
  /** The wire view of a resource now, as `Get…` would answer (without logging a request); `undefined` if not visible. */
  get(
    kind: ResourceKind,
    id: string,
    options?: { readonly verbose?: boolean },
  ): Record<string, unknown> | undefined;
  /** Replaces a resource's lifecycle with `steps`, starting now. */
  script(kind: ResourceKind, id: string, steps: readonly LifecycleStep[]): void;
  /** Adds a fault rule; returns its id. */
  addFault(rule: FaultRule): string;
  /** Removes one fault rule; returns whether it existed. */
  removeFault(ruleId: string): boolean;
  /** Removes every fault rule. */
  clearFaults(): void;
  /** The fault rules with their match counts. */
  faults(): FaultRuleState[];
  /** The request log, oldest first (control requests excluded). */
  requests(): RequestLogEntry[];
  /** Request counters. */
  counters(): EmulatorCounters;
  /** Turns the "not onboarded" mode (403 `AccessDeniedException` on every call) on or off. */
  setNotOnboarded(enabled: boolean): void;
  /** Pretends the server clock is off by `skewMs` (auth window and `Date` header). */
  setSkew(skewMs: number): void;
  /** Accepts another key pair (e.g. temporary credentials with a session token and expiry). */
  addCredential(credential: EmulatorCredential): void;
  /**
   * Forgets resources, faults, the request log and counters (and the credential endpoints' IMDS tokens and
   * the container and instance credentials they hand out again); restores `notOnboarded` and skew to their
   * options. Issued credentials stay valid until they expire.
   */
  reset(): void;
  /** Stops listening and closes every connection. Idempotent. */
  close(): Promise<void>;
}
