import type { CliIo, CliStream } from '../../../src/cli/CliIo.js';
import type { Clock } from '../../../src/model/Clock.js';

/** A writable that keeps everything written to it. */
export interface MemoryStream extends CliStream {
  readonly chunks: string[];
  text(): string;
}

export function memoryStream(
  options: { isTTY?: boolean; columns?: number; rows?: number } = {},
): MemoryStream {
  const chunks: string[] = [];
  return {
    chunks,
    isTTY: options.isTTY ?? false,
    columns: options.columns,
    rows: options.rows,
    write(chunk: string) {
      chunks.push(chunk);
      return true;
    },
    text: () => chunks.join(''),
  };
}

/** An in-process `CliIo` with memory streams, a given env, and a SIGINT that the test triggers. */
export function memoryIo(
  env: Record<string, string | undefined>,
  options: { clock?: Clock; ttyStderr?: boolean } = {},
): CliIo & {
  stdout: MemoryStream;
  stderr: MemoryStream;
  interrupt: () => void;
  exits: number[];
  listeners: () => number;
} {
  const listeners = new Set<() => void>();
  const exits: number[] = [];
  return {
    stdout: memoryStream(),
    stderr: memoryStream({ isTTY: options.ttyStderr ?? false, columns: 100, rows: 30 }),
    env,
    clock: options.clock,
    onInterrupt: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    exit: (code) => {
      exits.push(code);
    },
    interrupt: () => {
      for (const listener of [...listeners]) listener();
    },
    exits,
    listeners: () => listeners.size,
    frameMs: 10,
  };
}

/** Parses NDJSON output, failing on any line that is not a JSON object. */
export function parseJsonLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const value = JSON.parse(line) as unknown;
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw new Error(`not an object: ${line}`);
      return value as Record<string, unknown>;
    });
}
