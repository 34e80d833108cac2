import { lastValueFrom, takeWhile, toArray } from 'rxjs';
import type { Logger } from '../model/Logger.js';
import type { ResourceByKind, ResourceKind } from '../model/ResourceKind.js';
import { resumeWatch } from '../waiter/resume.js';
import type { WaitCheckpoint } from '../waiter/WaitCheckpoint.js';
import type { TransitionEvent } from '../waiter/WaitEvent.js';
import type { AmazonMLClientLike } from '../waiter/WaitOptions.js';
import { isWaiterError, type WaiterError } from '../waiter/WaiterError.js';
import type { FleetWaitSettings } from './WaitJob.js';

/** What one {@link pollStep} found. */
export type PollStepResult<K extends ResourceKind = ResourceKind> =
  | {
      /** Not terminal yet: poll again at `nextPollAt` (epoch ms), continuing from `checkpoint`. */
      readonly type: 'wait';
      readonly checkpoint: WaitCheckpoint<K>;
      readonly nextPollAt: number;
      readonly transitions: readonly TransitionEvent<K>[];
    }
  | {
      /** The resource is COMPLETED; `checkpoint.lastResource` holds it too. */
      readonly type: 'completed';
      readonly resource: ResourceByKind[K];
      readonly checkpoint: WaitCheckpoint<K>;
      readonly transitions: readonly TransitionEvent<K>[];
    }
  | {
      /** The wait ended with a `WaiterError` (FAILED, DELETED, deadline, request error). */
      readonly type: 'failed';
      readonly error: WaiterError<K>;
      readonly transitions: readonly TransitionEvent<K>[];
    };

/** Where {@link pollStep} polls from. */
export interface PollStepOptions extends FleetWaitSettings {
  /** The client to poll with (an `AmazonMLClient`, shared; not closed by the step). */
  readonly client: AmazonMLClientLike;
  readonly logger?: Logger | undefined;
  /** Cancels the step; it then rejects with `signal.reason`. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * One poll of a wait, from its checkpoint: polls now (retrying transient failures as `WaitOptions.retry`
 * says), and tells what to do next — poll again at a time, with a new checkpoint, or stop with the
 * outcome. This is the unit of work of a fleet worker; a wait is a chain of such steps, and any process
 * can run the next one. The checkpoint's own `nextPollAt` is ignored: the caller decides when a step runs.
 *
 * @throws {TypeError} (as a rejection) for a bad or foreign checkpoint.
 */
export async function pollStep<K extends ResourceKind>(
  checkpoint: WaitCheckpoint<K>,
  options: PollStepOptions,
): Promise<PollStepResult<K>> {
  const { client, logger, signal, minDelayMs, maxDelayMs, notFoundGraceMs, retry } = options;
  const due: WaitCheckpoint<K> = { ...checkpoint, nextPollAt: null };
  const transitions: TransitionEvent<K>[] = [];
  try {
    const events = await lastValueFrom(
      resumeWatch(due, {
        client,
        polling: 'get',
        // The worker's poll span stands for the wait here (the client's requests are its children).
        telemetry: false,
        ...(logger === undefined ? {} : { logger }),
        ...(signal === undefined ? {} : { signal }),
        ...(minDelayMs === undefined ? {} : { minDelayMs }),
        ...(maxDelayMs === undefined ? {} : { maxDelayMs }),
        ...(notFoundGraceMs === undefined ? {} : { notFoundGraceMs }),
        ...(retry === undefined ? {} : { retry }),
      }).pipe(
        takeWhile((event) => {
          if (event.type === 'transition') transitions.push(event);
          return event.type !== 'wait';
        }, true),
        toArray(),
      ),
    );
    const last = events.at(-1);
    if (last?.type === 'wait') {
      // The core clamps the last delay to the deadline without rounding; a checkpoint needs whole ms.
      const next = { ...last.checkpoint, lastDelayMs: Math.ceil(last.checkpoint.lastDelayMs) };
      return {
        type: 'wait',
        checkpoint: next,
        nextPollAt: Math.ceil(last.nextPollAt.getTime()),
        transitions,
      };
    }
    const completed = transitions.at(-1);
    if (completed === undefined) throw new Error('pollStep: the wait ended without a transition.');
    return {
      type: 'completed',
      resource: completed.resource,
      checkpoint: completed.checkpoint,
      transitions,
    };
  } catch (error) {
    if (isWaiterError(error)) return { type: 'failed', error: error as WaiterError<K>, transitions };
    throw error;
  }
}
