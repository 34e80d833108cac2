/* eslint-disable no-control-regex -- these tests look for ANSI escape sequences */
import { describe, expect, test } from 'vitest';
import type { CliStream } from '../../src/cli/CliIo.js';
import { ExitCode } from '../../src/cli/exitCodes.js';
import { ANSI, LiveProgressView } from '../../src/cli/LiveProgressView.js';
import { countdown, liveLine, outcomeLine } from '../../src/cli/renderProgress.js';
import { ResourceFailedError } from '../../src/waiter/ResourceFailedError.js';
import { createStyler, shouldColor } from '../../src/cli/Styler.js';
import { WaitState } from '../../src/cli/WaitState.js';
import type { WaitEvent } from '../../src/waiter/WaitEvent.js';
import { VirtualClock } from '../../src/model/VirtualClock.js';
import { memoryStream } from './helpers/memoryIo.js';

const plain = createStyler(false);

/** An event as the waiter emits it, minus any derived members (the CLI only reads the listed fields). */
type EventFields = WaitEvent extends infer E ? (E extends unknown ? Omit<E, 'checkpoint'> : never) : never;
const ev = (fields: EventFields): WaitEvent => fields as WaitEvent;

function running(id: string, clock: VirtualClock): WaitState {
  const state = new WaitState('BatchPrediction', id, clock.now());
  return state;
}

describe('liveLine', () => {
  test('a sleeping wait: spinner, id, status, elapsed, polls, countdown', () => {
    const clock = new VirtualClock();
    const state = running('bp-1', clock);
    clock.advance(65_000);
    state.apply(
      ev({
        type: 'transition',
        kind: 'BatchPrediction',
        id: 'bp-1',
        attempt: 7,
        elapsedMs: 65_000,
        from: 'PENDING',
        to: 'INPROGRESS',
        resource: {},
      }),
      clock.now(),
    );
    state.polls = 7;
    state.apply(
      ev({
        type: 'wait',
        kind: 'BatchPrediction',
        id: 'bp-1',
        attempt: 7,
        elapsedMs: 65_000,
        delayMs: 11_500,
        nextPollAt: new Date(0),
      }),
      clock.now(),
    );
    const line = (frame: number): string =>
      liveLine(state, { now: clock.now(), frame, idWidth: 6, style: plain, width: 99 });
    expect(line(0)).toBe('⠋ bp-1    INPROGRESS  1 min 5 s   7 polls      next poll in 12s');
    expect(line(1)).toBe('⠙ bp-1    INPROGRESS  1 min 5 s   7 polls      next poll in 12s');
    clock.advance(11_500);
    expect(line(2)).toBe('⠹ bp-1    INPROGRESS  1 min 17 s  7 polls      polling…');
  });

  test('an id the service does not know yet shows as not found, with the requests really sent', () => {
    const clock = new VirtualClock();
    const state = running('bp-nope', clock);
    const notFound = Object.assign(new Error('No BatchPrediction with id bp-nope'), {
      name: 'ResourceNotFoundException',
    });
    for (const attempt of [1, 2, 3]) {
      state.apply(
        ev({
          type: 'retry',
          kind: 'BatchPrediction',
          id: 'bp-nope',
          attempt,
          elapsedMs: attempt * 2000,
          error: notFound,
          delayMs: 2000,
        }),
        0,
      );
    }
    expect(liveLine(state, { now: 0, frame: 0, idWidth: 7, style: plain, width: 99 })).toBe(
      '⠋ bp-nope  not found   0 ms        3 requests   asking again in 2s',
    );
  });

  test('a retry shows the error name; a finished wait its symbol; lines are cut to the width', () => {
    const clock = new VirtualClock();
    const state = running('bp-2', clock);
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    state.apply(
      ev({
        type: 'retry',
        kind: 'BatchPrediction',
        id: 'bp-2',
        attempt: 1,
        elapsedMs: 0,
        error: throttled,
        delayMs: 2000,
      }),
      0,
    );
    expect(liveLine(state, { now: 0, frame: 0, idWidth: 4, style: plain, width: 99 })).toBe(
      '⠋ bp-2  waiting     0 ms        1 request    retry in 2s (ThrottlingException)',
    );
    const cut = liveLine(state, { now: 0, frame: 0, idWidth: 4, style: plain, width: 30 });
    expect(cut).toBe('⠋ bp-2  waiting     0 ms     …');
    expect(cut).toHaveLength(30);
    state.status = 'COMPLETED';
    state.finish({ ok: true, exitCode: ExitCode.OK }, 4200);
    expect(liveLine(state, { now: 9999, frame: 3, idWidth: 4, style: plain, width: 99 })).toBe(
      '✔ bp-2  COMPLETED   4.2 s       0 polls',
    );
    state.finish({ ok: false, exitCode: ExitCode.TIMEOUT }, 4200);
    expect(liveLine(state, { now: 0, frame: 0, idWidth: 4, style: plain, width: 99 })).toBe(
      '⏱ bp-2  COMPLETED   4.2 s       0 polls      timed out',
    );
    const coloured = liveLine(state, { now: 0, frame: 0, idWidth: 4, style: createStyler(true), width: 99 });
    expect(coloured).toContain('\x1b[33m⏱\x1b[39m');
  });
});

describe('outcomeLine', () => {
  test('one line, coloured as a whole, even when the service message holds newlines', () => {
    const state = new WaitState('BatchPrediction', 'bp-1', 0);
    const error = new ResourceFailedError({
      kind: 'BatchPrediction',
      id: 'bp-1',
      lastResource: { BatchPredictionId: 'bp-1', Status: 'FAILED', Message: 'Bad data\n  in row 7.' },
      history: [],
      attempts: 2,
      elapsedMs: 1500,
    });
    state.status = 'FAILED';
    state.attempts = 2;
    state.finish({ ok: false, exitCode: ExitCode.RESOURCE_FAILED, error }, 1500);
    expect(outcomeLine(state, createStyler(true))).toBe(
      '\x1b[31mbp-1: FAILED: Bad data in row 7; seen after 1.5 s of waiting.\x1b[39m',
    );
  });
});

describe('LiveProgressView', () => {
  test('hides the cursor, redraws the block in place over exactly its height, prints transitions above it, restores the cursor', async () => {
    const clock = new VirtualClock();
    const stream = memoryStream({ isTTY: true, columns: 60, rows: 20 });
    const states = [running('bp-1', clock), running('bp-22', clock)];
    const view = new LiveProgressView({ stream, states, style: plain, clock, mode: 'live', frameMs: 5 });
    view.start();
    expect(stream.chunks[0]).toBe(ANSI.hideCursor);
    expect(stream.chunks[1]).toBe(
      `${ANSI.eraseDown}⠋ bp-1   waiting     0 ms        0 requests   polling…${ANSI.eraseLine}\n` +
        `⠋ bp-22  waiting     0 ms        0 requests   polling…${ANSI.eraseLine}\n`,
    );
    // The timer redraws with the next spinner frame, moving up over the two lines first.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const redraw = stream.chunks[2] ?? '';
    expect(redraw.startsWith(`\x1b[2A${ANSI.eraseDown}⠙ bp-1 `)).toBe(true);

    const first = states[0]!;
    first.apply(
      ev({ type: 'poll', kind: 'BatchPrediction', id: 'bp-1', attempt: 1, elapsedMs: 0, resource: {} }),
      0,
    );
    first.apply(
      ev({
        type: 'transition',
        kind: 'BatchPrediction',
        id: 'bp-1',
        attempt: 1,
        elapsedMs: 0,
        from: null,
        to: 'PENDING',
        resource: {},
      }),
      0,
    );
    view.event(
      first,
      ev({
        type: 'transition',
        kind: 'BatchPrediction',
        id: 'bp-1',
        attempt: 1,
        elapsedMs: 0,
        from: null,
        to: 'PENDING',
        resource: {},
      }),
    );
    const withLog = stream.chunks.at(-1) ?? '';
    expect(withLog).toMatch(
      /^\x1b\[2A\r\x1b\[Jbp-1: PENDING \(0 ms, 1 poll\)\n. bp-1 {3}PENDING {5}0 ms {8}1 poll {7}polling…\x1b\[K\n. bp-22 /u,
    );

    view.notice('Interrupted');
    expect(stream.chunks.at(-1)).toMatch(/^\x1b\[2A\r\x1b\[JInterrupted\n/);
    view.stop();
    expect(stream.chunks.at(-1)).toBe(ANSI.showCursor);
    const count = stream.chunks.length;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(stream.chunks).toHaveLength(count);
    view.stop();
    expect(stream.chunks).toHaveLength(count);
  });

  test('more ids than the screen has rows: the running ones first, then a count of the rest', () => {
    const clock = new VirtualClock();
    const stream = memoryStream({ isTTY: true, columns: 60, rows: 5 });
    const states = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => running(id, clock));
    states[0]!.finish({ ok: true, exitCode: ExitCode.OK }, 0);
    const view = new LiveProgressView({ stream, states, style: plain, clock, mode: 'live', frameMs: 1000 });
    view.start();
    view.stop();
    const block = stream.chunks[1] ?? '';
    expect(
      block
        .split('\n')
        .slice(0, -1)
        .map((line) => line.replace(ANSI.eraseDown, '').replace(ANSI.eraseLine, '').slice(0, 3)),
    ).toEqual(['⠋ b', '⠋ c', '… a']);
    expect(block).toContain('… and 4 more (1 finished)');
  });
});

describe('shouldColor', () => {
  const tty = { isTTY: true, write: () => true, hasColors: () => true };
  const pipe = { isTTY: false, write: () => true };
  const cases: [CliStream, Record<string, string>, boolean | undefined, boolean][] = [
    [tty, {}, undefined, true],
    [pipe, {}, undefined, false],
    [tty, { NO_COLOR: '1' }, undefined, false],
    [tty, { NO_COLOR: '' }, undefined, true],
    [tty, { NODE_DISABLE_COLORS: '1' }, undefined, false],
    [pipe, { FORCE_COLOR: '1' }, undefined, true],
    [pipe, { FORCE_COLOR: '0' }, undefined, false],
    [tty, { FORCE_COLOR: 'false' }, undefined, false],
    [pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }, undefined, false],
    [tty, { NO_COLOR: '1' }, true, true],
    [tty, {}, false, false],
    [{ ...tty, hasColors: () => false }, {}, undefined, false],
  ];
  test.each(cases)('%o %o flag=%s → %s', (stream, env, flag, expected) => {
    expect(shouldColor(stream, env, flag)).toBe(expected);
  });
});

describe('countdown', () => {
  test.each([
    [0, '0s'],
    [-5, '0s'],
    [1, '1s'],
    [59_001, '1m00s'],
    [754_000, '12m34s'],
    [3_599_000, '59m59s'],
    [3_600_000, '1h00m'],
    [3_600_001, '1h01m'],
    [11_220_000, '3h07m'],
  ])('%i ms → %s', (ms, text) => {
    expect(countdown(ms)).toBe(text);
  });
});
