import { channel, tracingChannel } from 'node:diagnostics_channel';
import type { ResourceKind } from '../model/ResourceKind.js';
import type { WaitEvent } from './WaitEvent.js';

/**
 * The names of aml-waiter's `node:diagnostics_channel` channels: a tracing channel around every wait
 * (`tracing:aml-waiter:wait:start` / `end` / `asyncStart` / `asyncEnd` / `error`), and one channel per poll,
 * transition and retry, whose messages are the frozen {@link WaitEvent}s themselves.
 */
export const WAIT_CHANNELS = Object.freeze({
  wait: 'aml-waiter:wait',
  poll: 'aml-waiter:poll',
  transition: 'aml-waiter:transition',
  retry: 'aml-waiter:retry',
});

/**
 * The message of the `aml-waiter:wait` tracing channel: one object per wait, the same in each of its
 * events. `start` and `end` see `kind`, `id` and `timeoutMs`; before `asyncStart` the outcome is set:
 * `result` (the COMPLETED resource) or `error` (also published on `error`), with `outcome`, `status`,
 * `attempts` and `polls`.
 */
export interface WaitChannelMessage {
  readonly kind: ResourceKind;
  readonly id: string;
  readonly timeoutMs: number;
  /** `completed`, `failed`, `deleted`, `timeout`, `request_failed`, `aborted`, `unsubscribed` or `error`. */
  outcome?: string;
  /** The last status seen, if any. */
  status?: string;
  /** Requests sent for this wait (retries included). */
  attempts?: number;
  /** Poll cycles run by this subscription. */
  polls?: number;
  result?: unknown;
  error?: unknown;
}

/** @internal */
export const waitTracingChannel = tracingChannel<unknown, WaitChannelMessage>(WAIT_CHANNELS.wait);

const eventChannels = {
  poll: channel(WAIT_CHANNELS.poll),
  transition: channel(WAIT_CHANNELS.transition),
  retry: channel(WAIT_CHANNELS.retry),
};

/** @internal `true` when someone listens to the wait tracing channel (checked before anything is built for it). */
export function waitChannelHasSubscribers(): boolean {
  const c = waitTracingChannel;
  return (
    c.start.hasSubscribers ||
    c.end.hasSubscribers ||
    c.asyncStart.hasSubscribers ||
    c.asyncEnd.hasSubscribers ||
    c.error.hasSubscribers
  );
}

/** @internal Publishes a poll, transition or retry event on its channel — only when someone subscribes. */
/** @internal `true` when someone subscribes to the channel of any wait event type. */
export function eventChannelsHaveSubscribers(): boolean {
  return (
    eventChannels.poll.hasSubscribers ||
    eventChannels.transition.hasSubscribers ||
    eventChannels.retry.hasSubscribers
  );
}

export function publishWaitEvent(event: WaitEvent): void {
  if (event.type === 'wait') return;
  const target = eventChannels[event.type];
  if (target.hasSubscribers) target.publish(event);
}
