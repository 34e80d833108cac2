/**
 * `aml-waiter/bullmq`: waits that outgrow one machine. Each wait is one BullMQ job (its id derived from
 * the resource, so duplicate waits coalesce fleet-wide); each run of the job is one poll, and between
 * polls the job sleeps in BullMQ's delayed set, holding no worker. A crash loses at most the poll in
 * flight: the job carries the wait's checkpoint. BullMQ (and Redis) is an optional peer dependency,
 * loaded when a queue is opened or a worker started.
 *
 * @packageDocumentation
 */
export { openWaitQueue, WaitQueue } from './WaitQueue.js';
export type {
  WaitQueueOptions,
  EnqueueWaitOptions,
  EnqueuedWait,
  ResultOptions,
} from './WaitQueueOptions.js';
export { startWaitWorker, WaitWorker } from './WaitWorker.js';
export type { WaitWorkerOptions, WaitWorkerStats } from './WaitWorker.js';
export { pollStep } from './pollStep.js';
export { POLL_SPAN_NAME } from './PollTrace.js';
export type { PollStepOptions, PollStepResult } from './pollStep.js';
export { waitJobId } from './waitJobId.js';
export { FleetJobError, isFleetJobError } from './FleetJobError.js';
export { serializeWaiterError, reviveWaiterError } from './serializeWaiterError.js';
export type {
  FleetWaitSettings,
  FleetTransition,
  FleetTraceContext,
  SerializedWaiterError,
  WaitJobData,
  WaitJobResult,
} from './WaitJob.js';
