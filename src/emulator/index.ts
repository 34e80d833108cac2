/**
 * `aml-waiter/emulator`: a local Amazon Machine Learning emulator for tests, demos and benchmarks.
 *
 * @packageDocumentation
 */
export { startEmulator } from './startEmulator.js';
export type { Emulator, EmulatorClientCredentials } from './Emulator.js';
export type { EmulatorOptions } from './EmulatorOptions.js';
export type { ConsoleOptions } from './console/ConsoleOptions.js';
export { CONSOLE_PREFIX } from './console/ConsoleEvent.js';
export type { EmulatorCredential } from './EmulatorCredential.js';
export type {
  CredentialEndpointsOptions,
  CredentialSource,
  EmulatorCredentialEndpoints,
} from './CredentialEndpoints.js';
export { CONTAINER_CREDENTIALS_PATH } from './CredentialEndpoints.js';
export type { TlsKeyPair } from './createSelfSignedCertificate.js';
export { DEFAULT_EMULATOR_CREDENTIALS, DEFAULT_USER_ARN } from './EmulatorCredential.js';
export type { LifecycleSettings, LifecycleSettingsInput } from './LifecycleSettings.js';
export { DEFAULT_LIFECYCLE } from './LifecycleSettings.js';
export type { LifecycleStep, NotFoundStep, StatusStep } from './LifecycleScript.js';
export type {
  FaultRule,
  FaultRuleState,
  FaultMatch,
  ThrottleFault,
  ServerErrorFault,
  CustomErrorFault,
  ResetFault,
  DelayFault,
  MalformedJsonFault,
  SkewDateFault,
  ErrorTypeQuirkFault,
  LargeLongsFault,
  ListDeniedFault,
  EmptyPagesFault,
  LaggingPagesFault,
} from './FaultRule.js';
export type { RequestLogEntry, EmulatorCounters } from './RequestLog.js';
export type { ResourceInput } from './ResourceStore.js';
export { CONTROL_PREFIX, CONTROL_TOKEN_HEADER } from './ControlApi.js';
export { NOT_ONBOARDED_MESSAGE } from './ServiceError.js';
export { createSeededRandom } from './createSeededRandom.js';
export { VirtualClock } from '../model/VirtualClock.js';
export type { VirtualClockOptions } from '../model/VirtualClock.js';
export { systemClock } from '../model/Clock.js';
export type { Clock } from '../model/Clock.js';
export type { ResourceKind } from '../model/ResourceKind.js';
