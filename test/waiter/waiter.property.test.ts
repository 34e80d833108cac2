import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import { watchBatchPrediction } from '../../src/waiter/batchPrediction.js';
import { ResourceDeletedError } from '../../src/waiter/ResourceDeletedError.js';
import { ResourceFailedError } from '../../src/waiter/ResourceFailedError.js';
import type { WaitEvent } from '../../src/waiter/WaitEvent.js';
import { scriptedClient, serverError, throttle, type Step } from '../helpers/scriptedClient.js';

const RETRIES = 3;

/** A status script: non-terminal polls, each possibly preceded by up to RETRIES transient faults, then a terminal status. */
const scriptArbitrary = fc
  .record({
    polls: fc.array(
      fc.record({
        status: fc.constantFrom('PENDING', 'INPROGRESS'),
        faults: fc.array(fc.constantFrom('throttle', 'throttle-retry-after', '500'), { maxLength: RETRIES }),
      }),
      { maxLength: 12 },
    ),
    terminal: fc.constantFrom('COMPLETED', 'FAILED', 'DELETED'),
    terminalFaults: fc.array(fc.constantFrom('throttle', '500'), { maxLength: RETRIES }),
  })
  .map(({ polls, terminal, terminalFaults }) => {
    const steps: Step[] = [];
    const fault = (f: string): Step =>
      f === '500' ? serverError() : throttle(f === 'throttle-retry-after' ? 4000 : undefined);
    for (const poll of polls) {
      steps.push(...poll.faults.map(fault), poll.status);
    }
    steps.push(...terminalFaults.map(fault), terminal);
    const statuses = [...polls.map((p) => p.status), terminal];
    return { steps, statuses, terminal };
  });

function run(steps: Step[], options: { abortAfterEvents?: number } = {}) {
  const clock = new VirtualClock({ autoAdvance: true });
  const client = scriptedClient(steps);
  const controller = new AbortController();
  const events: WaitEvent[] = [];
  let callsAtAbort = -1;
  const outcome = new Promise<{ error?: unknown }>((resolve) => {
    watchBatchPrediction('bp-prop', {
      clock,
      client,
      signal: controller.signal,
      retry: { retries: RETRIES },
      random: Math.random,
    }).subscribe({
      next: (event) => {
        events.push(event);
        if (options.abortAfterEvents === events.length) {
          callsAtAbort = client.calls.length;
          controller.abort('abort-reason');
        }
      },
      error: (error: unknown) => {
        resolve({ error });
      },
      complete: () => {
        resolve({});
      },
    });
  });
  return { clock, client, events, outcome, callsAtAbort: () => callsAtAbort };
}

describe('waiter properties', () => {
  it('the outcome is the script terminal status, events are ordered, no request follows a terminal status', async () => {
    await fc.assert(
      fc.asyncProperty(scriptArbitrary, async ({ steps, statuses, terminal }) => {
        const { client, events, outcome, clock } = run(steps);
        const { error } = await outcome;
        if (terminal === 'COMPLETED') expect(error).toBeUndefined();
        if (terminal === 'FAILED') expect(error).toBeInstanceOf(ResourceFailedError);
        if (terminal === 'DELETED') expect(error).toBeInstanceOf(ResourceDeletedError);
        // Every scripted answer was consumed, and nothing was sent after the terminal one.
        expect(client.calls).toHaveLength(steps.length);
        // Transitions follow the distinct statuses, in order, the first from null.
        const deduped = statuses.filter((s, i) => i === 0 || s !== statuses[i - 1]);
        const transitions = events.filter((e) => e.type === 'transition');
        expect(transitions.map((e) => e.to)).toEqual(deduped);
        expect(transitions.map((e) => e.from)).toEqual([null, ...deduped.slice(0, -1)]);
        // Time and attempts never go backwards; the last event is the terminal transition.
        for (let i = 1; i < events.length; i++) {
          expect(events[i]!.elapsedMs).toBeGreaterThanOrEqual(events[i - 1]!.elapsedMs);
          expect(events[i]!.attempt).toBeGreaterThanOrEqual(events[i - 1]!.attempt);
        }
        expect(events.at(-1)).toMatchObject({ type: 'transition', to: terminal });
        expect(clock.pendingTimers).toBe(0);
      }),
      { numRuns: 150 },
    );
  });

  it('after an abort at any event, the wait rejects with the reason and sends nothing more', async () => {
    await fc.assert(
      fc.asyncProperty(scriptArbitrary, fc.nat({ max: 40 }), async ({ steps }, cut) => {
        const probe = run(steps);
        await probe.outcome;
        const total = probe.events.length;
        fc.pre(total > 1);
        const abortAfter = 1 + (cut % (total - 1));
        const { client, outcome, callsAtAbort, clock } = run(steps, { abortAfterEvents: abortAfter });
        const { error } = await outcome;
        expect(error).toBe('abort-reason');
        expect(client.calls).toHaveLength(callsAtAbort());
        expect(clock.pendingTimers).toBe(0);
      }),
      { numRuns: 150 },
    );
  });
});
