// The public surface of `aml-waiter`: explicit named exports only. Anything not listed here is internal.

// Waiting on one resource: the three faces per kind.
export {
  waitForBatchPrediction,
  watchBatchPrediction,
  createBatchPredictionWaiter,
} from './waiter/batchPrediction.js';
export { waitForDataSource, watchDataSource, createDataSourceWaiter } from './waiter/dataSource.js';
export { waitForMLModel, watchMLModel, createMLModelWaiter } from './waiter/mlModel.js';
export { waitForEvaluation, watchEvaluation, createEvaluationWaiter } from './waiter/evaluation.js';
// The generic core they are built from.
export { waitFor } from './waiter/waitFor.js';
export { watch } from './waiter/watch.js';
export { Waiter, createWaiter, type WaiterEvents } from './waiter/Waiter.js';
// Checkpoints: continue a wait elsewhere.
export { resumeWait, resumeWatch, resumeWaiter, type ResumeOptions } from './waiter/resume.js';
export { CHECKPOINT_VERSION, type WaitCheckpoint } from './waiter/WaitCheckpoint.js';
// Many waits at once.
export { waitForAll, waitForAny } from './waiter/waitForMany.js';
export { MultiWaitError, isMultiWaitError, type WaitOutcome } from './waiter/MultiWaitError.js';
export {
  WAIT_DEFAULTS,
  type WaitOptions,
  type RetryOptions,
  type AmazonMLClientLike,
  type PollingMode,
} from './waiter/WaitOptions.js';
export { exponentialJitterBackoff, type BackoffStrategy, type BackoffContext } from './waiter/backoff.js';
export type {
  WaitEvent,
  WaitEventBase,
  WaitEventMap,
  PollEvent,
  TransitionEvent,
  RetryEvent,
  WaitScheduledEvent,
} from './waiter/WaitEvent.js';

// Waiter errors.
export {
  WaiterError,
  isWaiterError,
  type WaiterErrorCode,
  type WaiterErrorContext,
  type StatusObservation,
} from './waiter/WaiterError.js';
export type { AnyWaiterError } from './waiter/AnyWaiterError.js';
export { ResourceFailedError, isResourceFailedError } from './waiter/ResourceFailedError.js';
export { ResourceDeletedError, isResourceDeletedError } from './waiter/ResourceDeletedError.js';
export { WaitTimeoutError, isWaitTimeoutError } from './waiter/WaitTimeoutError.js';
export { WaitRequestError, isWaitRequestError } from './waiter/WaitRequestError.js';

// The client.
export {
  AmazonMLClient,
  type AmazonMLClientConfig,
  type RequestOptions,
  type GetOptions,
  type CreateBatchPredictionInput,
  type CreateDataSourceFromS3Input,
  type CreateMLModelInput,
  type CreateEvaluationInput,
  type S3DataSpec,
} from './client/AmazonMLClient.js';
export type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from './client/AwsCredentialIdentity.js';
export { AmazonMLError, isAmazonMLError, type AmazonMLErrorDetails } from './client/AmazonMLError.js';
// The 16 service error classes (`ResourceNotFoundException`, `ThrottlingException`, …): the file holds
// nothing else.
export * from './client/serviceErrors.js';
export {
  NetworkError,
  RequestTimeoutError,
  ClientClosedError,
  InvalidResponseError,
  RequestError,
  HttpStatusError,
  isNetworkError,
  isRequestTimeoutError,
  isClientClosedError,
  isInvalidResponseError,
  isRequestError,
  isHttpStatusError,
} from './client/transportErrors.js';
export { ConfigurationError, isConfigurationError } from './client/ConfigurationError.js';

// Observability (docs/observability.md): OpenTelemetry options, metric names, diagnostics channels.
export type { TelemetryOption, TelemetryProviders } from './client/TelemetryOption.js';
export { MISSING_OPENTELEMETRY_MESSAGE } from './client/openTelemetryApi.js';
export { METRIC_NAMES } from './client/Telemetry.js';
export { WAIT_SPAN_NAME } from './waiter/WaitTrace.js';
export { WAIT_CHANNELS, type WaitChannelMessage } from './waiter/waitChannels.js';

// Model: resource shapes, statuses, kinds, the clock and logger interfaces.
export type { BatchPrediction } from './model/BatchPrediction.js';
export type { DataSource, RedshiftMetadata, RDSMetadata } from './model/DataSource.js';
export type { MLModel, MLModelType, RealtimeEndpointInfo } from './model/MLModel.js';
export type { Evaluation } from './model/Evaluation.js';
export { EntityStatus, isTerminalStatus, type TerminalStatus } from './model/EntityStatus.js';
export type { ResourceKind, ResourceByKind } from './model/ResourceKind.js';
export type {
  DescribeInput,
  DescribeOutput,
  BatchPredictionFilterVariable,
  DataSourceFilterVariable,
  MLModelFilterVariable,
  EvaluationFilterVariable,
} from './model/Describe.js';
export type { Clock } from './model/Clock.js';
export type { Logger, LogFn } from './model/Logger.js';
