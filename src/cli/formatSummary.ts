import { formatDuration } from '../waiter/WaiterError.js';
import { describeOutcome } from './describeOutcome.js';
import { ExitCode } from './exitCodes.js';
import type { Style, Styler } from './Styler.js';
import type { WaitState } from './WaitState.js';

/** The colour of a status in tables and progress lines. */
export function statusStyle(status: string | null): Style {
  switch (status) {
    case 'COMPLETED':
      return 'green';
    case 'FAILED':
    case 'DELETED':
      return 'red';
    case null:
      return 'gray';
    default:
      return 'yellow';
  }
}

/** `1000 (3 invalid)` for a batch prediction with record counts, `-` otherwise. */
function formatRecords(resource: unknown): string {
  if (typeof resource !== 'object' || resource === null) return '-';
  const { TotalRecordCount: total, InvalidRecordCount: invalid } = resource as {
    TotalRecordCount?: unknown;
    InvalidRecordCount?: unknown;
  };
  if (typeof total !== 'number') return '-';
  return typeof invalid === 'number' && invalid > 0 ? `${total} (${invalid} invalid)` : String(total);
}

/** The service's `Message` for a resource that ended on its own; why the wait ended otherwise, in short. */
function messageOf(state: WaitState): string {
  const message = (state.resource as { Message?: unknown } | undefined)?.Message;
  const serviceMessage = typeof message === 'string' ? message : '';
  if (state.outcome?.exitCode === ExitCode.INTERRUPTED) return 'interrupted';
  return describeOutcome(state)?.short ?? serviceMessage;
}

/** The width a table fits in when its stream gives none (a pipe, a CI log). */
const TABLE_WIDTH = 120;

/**
 * The table printed on stdout at the end: one row per id with its last status, the time waited, the
 * record counts (batch predictions) and the service's message or, in short, why the wait ended. Columns are
 * padded on the plain text, then coloured, so alignment holds with and without colours. The MESSAGE column is
 * cut (with `…`) so that every row fits in `width` columns; the full text is on stderr and in `--json`.
 */
export function formatSummary(states: readonly WaitState[], style: Styler, width = TABLE_WIDTH): string {
  const header = ['ID', 'STATUS', 'ELAPSED', 'RECORDS', 'MESSAGE'];
  const rows = states.map((state) => [
    state.id,
    state.status ?? (state.notFound ? 'not found' : '-'),
    formatDuration(state.elapsedMs),
    formatRecords(state.resource),
    messageOf(state),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  // Room for the message: what the other columns and their two-space gaps leave, never under 20.
  const room = Math.max(20, width - widths.slice(0, -1).reduce((sum, w) => sum + w + 2, 0));
  for (const row of rows) {
    const message = row[4] ?? '';
    if (message.length > room) row[4] = `${message.slice(0, room - 1).trimEnd()}…`;
  }
  const pad = (cells: readonly string[], colour: (column: number, padded: string) => string): string =>
    cells
      .map((cell, column) => {
        const last = column === cells.length - 1;
        return colour(column, last ? cell : cell.padEnd(widths[column] ?? 0));
      })
      .join('  ')
      .trimEnd();
  const lines = [pad(header, (_, text) => style('bold', text))];
  rows.forEach((row, index) => {
    const status = states[index]?.status ?? null;
    lines.push(pad(row, (column, text) => (column === 1 ? style(statusStyle(status), text) : text)));
  });
  return `${lines.join('\n')}\n`;
}
