import type { Observable } from 'rxjs';
import { describe, expectTypeOf, it } from 'vitest';
import type { BatchPrediction } from '../../src/model/BatchPrediction.js';
import type { MLModel } from '../../src/model/MLModel.js';
import {
  createBatchPredictionWaiter,
  waitForBatchPrediction,
  watchBatchPrediction,
} from '../../src/waiter/batchPrediction.js';
import { waitForMLModel } from '../../src/waiter/mlModel.js';
import type {
  PollEvent,
  RetryEvent,
  TransitionEvent,
  WaitEvent,
  WaitScheduledEvent,
} from '../../src/waiter/WaitEvent.js';
import { isWaiterError, type WaiterError } from '../../src/waiter/WaiterError.js';
import type { AnyWaiterError } from '../../src/waiter/AnyWaiterError.js';
import type { AnyWaiterError as PublicAnyWaiterError } from '../../src/index.js';
import type { EntityStatus } from '../../src/model/EntityStatus.js';
import { type ResourceDeletedError, isResourceDeletedError } from '../../src/waiter/ResourceDeletedError.js';
import { type ResourceFailedError, isResourceFailedError } from '../../src/waiter/ResourceFailedError.js';
import { type WaitRequestError, isWaitRequestError } from '../../src/waiter/WaitRequestError.js';
import { type WaitTimeoutError, isWaitTimeoutError } from '../../src/waiter/WaitTimeoutError.js';

describe('public types', () => {
  it('the promise face resolves with the resource type of its kind', () => {
    expectTypeOf(waitForBatchPrediction('bp-1')).toEqualTypeOf<Promise<BatchPrediction>>();
    expectTypeOf(waitForMLModel('ml-1')).toEqualTypeOf<Promise<MLModel>>();
  });

  it('the Observable emits WaitEvents of its kind', () => {
    expectTypeOf(watchBatchPrediction('bp-1')).toEqualTypeOf<Observable<WaitEvent<'BatchPrediction'>>>();
  });

  it('events narrow by type', () => {
    const handle = (event: WaitEvent<'BatchPrediction'>) => {
      switch (event.type) {
        case 'poll':
          expectTypeOf(event).toEqualTypeOf<PollEvent<'BatchPrediction'>>();
          expectTypeOf(event.resource).toEqualTypeOf<BatchPrediction>();
          break;
        case 'transition':
          expectTypeOf(event).toEqualTypeOf<TransitionEvent<'BatchPrediction'>>();
          expectTypeOf(event.from).toEqualTypeOf<EntityStatus | (string & {}) | null>();
          expectTypeOf(event.to).toEqualTypeOf<EntityStatus | (string & {})>();
          break;
        case 'retry':
          expectTypeOf(event).toEqualTypeOf<RetryEvent<'BatchPrediction'>>();
          expectTypeOf(event.delayMs).toBeNumber();
          break;
        case 'wait':
          expectTypeOf(event).toEqualTypeOf<WaitScheduledEvent<'BatchPrediction'>>();
          expectTypeOf(event.nextPollAt).toEqualTypeOf<Date>();
          break;
      }
    };
    expectTypeOf(handle).toBeFunction();
  });

  it('the emitter types listener payloads per event name and rejects unknown names', () => {
    const waiter = createBatchPredictionWaiter('bp-1');
    waiter.on('transition', (event) => {
      expectTypeOf(event).toEqualTypeOf<TransitionEvent<'BatchPrediction'>>();
    });
    waiter.on('wait', (event) => {
      expectTypeOf(event.delayMs).toBeNumber();
    });
    // @ts-expect-error: not an event of the waiter
    waiter.on('finished', () => undefined);
    expectTypeOf(waiter.result).toEqualTypeOf<Promise<BatchPrediction>>();
  });

  it('guards narrow unknown errors to the union, and its code narrows to each class', () => {
    const error: unknown = new Error('x');
    if (isWaiterError(error)) {
      expectTypeOf(error).toEqualTypeOf<AnyWaiterError>();
      expectTypeOf(error).toExtend<WaiterError>();
      expectTypeOf(error.code).toEqualTypeOf<
        'RESOURCE_FAILED' | 'RESOURCE_DELETED' | 'WAIT_TIMEOUT' | 'REQUEST_FAILED'
      >();
      expectTypeOf(error.history[0]!.status).toEqualTypeOf<EntityStatus | (string & {})>();
      expectTypeOf(error.lastStatus).toEqualTypeOf<EntityStatus | (string & {}) | undefined>();
      switch (error.code) {
        case 'WAIT_TIMEOUT':
          expectTypeOf(error).toEqualTypeOf<WaitTimeoutError>();
          expectTypeOf(error.timeoutMs).toBeNumber();
          break;
        case 'REQUEST_FAILED':
          expectTypeOf(error).toEqualTypeOf<WaitRequestError>();
          expectTypeOf(error.retriesExhausted).toBeBoolean();
          break;
        case 'RESOURCE_FAILED':
          expectTypeOf(error).toEqualTypeOf<ResourceFailedError>();
          break;
        case 'RESOURCE_DELETED':
          expectTypeOf(error).toEqualTypeOf<ResourceDeletedError>();
          break;
        default:
          expectTypeOf(error).toBeNever();
      }
    }
    if (isWaitTimeoutError(error)) expectTypeOf(error).toEqualTypeOf<WaitTimeoutError>();
    if (isWaitRequestError(error)) expectTypeOf(error.retriesExhausted).toBeBoolean();
    if (isResourceFailedError(error)) expectTypeOf(error).toEqualTypeOf<ResourceFailedError>();
    if (isResourceDeletedError(error)) expectTypeOf(error).toEqualTypeOf<ResourceDeletedError>();
  });

  it('the union is exported from the package entry and is parameterised by kind', () => {
    expectTypeOf<PublicAnyWaiterError<'MLModel'>>().toEqualTypeOf<
      | ResourceFailedError<'MLModel'>
      | ResourceDeletedError<'MLModel'>
      | WaitTimeoutError<'MLModel'>
      | WaitRequestError<'MLModel'>
    >();
  });
});
