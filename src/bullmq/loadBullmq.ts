import type * as BullMQ from 'bullmq';
import { importOptionalPeer } from '../client/importOptionalPeer.js';

/** The `bullmq` module's namespace. */
export type BullMQModule = typeof BullMQ;

/** The message when the optional peer dependency is missing. */
export const MISSING_BULLMQ_MESSAGE =
  'aml-waiter/bullmq needs the optional peer dependency bullmq: npm install bullmq';

let loading: Promise<BullMQModule> | undefined;

/**
 * Loads `bullmq` on first use, so that importing `aml-waiter/bullmq` works without it and only
 * opening a queue or starting a worker asks for it, with a clear message.
 */
export function loadBullmq(): Promise<BullMQModule> {
  loading ??= importOptionalPeer(() => import('bullmq'), MISSING_BULLMQ_MESSAGE).catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
