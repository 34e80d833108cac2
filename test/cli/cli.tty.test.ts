/* eslint-disable no-control-regex -- these tests look for ANSI escape sequences */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Emulator } from '../../src/emulator/index.js';
import { startEmulator } from '../../src/emulator/index.js';
import { MAIN, cleanEnv, spawnInPty } from './helpers/spawnCli.js';

// aml-wait under a real pseudo-terminal (script(1)), so stderr.isTTY is true and the live block redraws.
let emu: Emulator;
let awsEnv: Record<string, string>;

beforeAll(async () => {
  emu = await startEmulator({ port: 0 });
  awsEnv = {
    AWS_ENDPOINT_URL_MACHINE_LEARNING: emu.endpoint,
    AWS_REGION: emu.region,
    AWS_ACCESS_KEY_ID: emu.credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: emu.credentials.secretAccessKey,
    TERM: 'xterm-256color',
  };
});

afterAll(async () => {
  await emu.close();
});

/** Completes `id` about `ms` after the first request for it arrives (start-up time under load varies). */
function completeAfterFirstPoll(id: string, ms: number): () => void {
  emu.put('BatchPrediction', { BatchPredictionId: id, Status: 'PENDING' });
  const timer = setInterval(() => {
    if (emu.requests().some((entry) => entry.id === id)) {
      clearInterval(timer);
      emu.script('BatchPrediction', id, [
        { status: 'INPROGRESS', forMs: ms },
        { status: 'COMPLETED', fields: { TotalRecordCount: 7, InvalidRecordCount: 0 } },
      ]);
    }
  }, 20);
  return () => {
    clearInterval(timer);
  };
}

const command = (ids: string[]): string =>
  `stty cols 100 rows 30; exec node --import tsx ${MAIN} --min-delay 300ms --max-delay 300ms ${ids.join(' ')}`;

// Cursor up over the 2-line block, back to column 1, erase to the end of the screen.
const REDRAW = '\x1b[2A\r\x1b[J';
const SPINNER = /([⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏])(?:\x1b\[39m)? tty-/gu;
const COLOUR = /\x1b\[(3\d|9\d)m/;

describe.concurrent('the live view on a terminal', () => {
  test('one live line per id, redrawn in place with a turning spinner, colours on; cursor restored', async () => {
    const stop = completeAfterFirstPoll('tty-a', 1200);
    emu.put('BatchPrediction', { BatchPredictionId: 'tty-b', Status: 'COMPLETED' });
    const result = await spawnInPty(command(['tty-a', 'tty-b']), cleanEnv(awsEnv));
    stop();
    expect(result.code).toBe(0);
    const screen = result.stdout;
    expect(screen.startsWith('\x1b[?25l')).toBe(true);
    expect(screen).toContain('\x1b[?25h');
    // The block really redraws: many times, always over exactly its two lines.
    const redraws = screen.split(REDRAW).length - 1;
    expect(redraws).toBeGreaterThanOrEqual(8);
    expect(screen).not.toMatch(/\x1b\[(1|3|4)A/);
    const frames = new Set([...screen.matchAll(SPINNER)].map((match) => match[1]));
    expect(frames.size).toBeGreaterThanOrEqual(4);
    // The countdown and the poll counter move.
    expect(screen).toMatch(/next poll in 1s/);
    expect(screen).toMatch(/INPROGRESS.*[2-9] polls/);
    // Status changes are kept above the block, coloured.
    expect(screen).toContain('tty-a: \x1b[33mPENDING\x1b[39m');
    expect(screen).toContain('tty-a: PENDING → \x1b[33mINPROGRESS\x1b[39m');
    expect(screen).toContain('tty-a: INPROGRESS → \x1b[32mCOMPLETED\x1b[39m');
    // The final block shows both done, then the table follows the restored cursor.
    const finalBlock = screen.slice(screen.lastIndexOf(REDRAW), screen.indexOf('\x1b[?25h'));
    expect(finalBlock).toMatch(/✔.* tty-a .*COMPLETED/);
    expect(finalBlock).toMatch(/✔.* tty-b .*COMPLETED/);
    const table = screen.slice(screen.indexOf('\x1b[?25h') + 6);
    expect(table).toMatch(/ID.*STATUS.*ELAPSED.*RECORDS.*MESSAGE/);
    expect(table).toMatch(/tty-a .*COMPLETED.* 7\r?\n/);
  });

  test('NO_COLOR: same live redraws, no colour codes', async () => {
    const stop = completeAfterFirstPoll('tty-c', 900);
    emu.put('BatchPrediction', { BatchPredictionId: 'tty-d', Status: 'COMPLETED' });
    const result = await spawnInPty(command(['tty-c', 'tty-d']), cleanEnv({ ...awsEnv, NO_COLOR: '1' }));
    stop();
    expect(result.code).toBe(0);
    expect(result.stdout.split(REDRAW).length - 1).toBeGreaterThanOrEqual(4);
    expect(result.stdout).toContain('tty-c: PENDING → INPROGRESS');
    expect(COLOUR.test(result.stdout)).toBe(false);
  });

  test('Ctrl-C typed into the terminal: waits cancelled, block finished, cursor shown, exit 130, no request after', async () => {
    emu.put('BatchPrediction', { BatchPredictionId: 'tty-int', Status: 'INPROGRESS' });
    const result = await spawnInPty(
      `stty cols 100 rows 30; exec node --import tsx ${MAIN} --min-delay 1h --max-delay 1h tty-int`,
      cleanEnv(awsEnv),
      (screen) => (screen.includes('next poll in 1h00m') ? '\x03' : undefined),
    );
    expect(result.code).toBe(130);
    const screen = result.stdout;
    const afterCtrlC = screen.slice(screen.indexOf('Interrupted: cancelling the waits'));
    expect(afterCtrlC).toMatch(/■.* tty-int .*INPROGRESS.*interrupted/);
    expect(afterCtrlC).toContain('\x1b[?25h');
    expect(afterCtrlC).toMatch(/tty-int +.*INPROGRESS.* interrupted\r?\n$/);
    const requests = emu.requests().filter((entry) => entry.id === 'tty-int').length;
    expect(requests).toBe(1);
  });
});
