import { Readable } from 'node:stream';
import { request } from 'undici';
import type { ConsoleSnapshot, ConsoleUpdate } from '../../../src/emulator/console/ConsoleEvent.js';
import type { StreamEvent } from '../../../src/emulator/console/page/readEventStream.js';
import { readEventStream } from '../../../src/emulator/console/page/readEventStream.js';
import type { Emulator } from '../../../src/emulator/index.js';

/** A snapshot or an update (the members of either, as optional). */
export type ConsoleStreamData = Partial<ConsoleSnapshot> & ConsoleUpdate;

/** An open console change stream, read with the page's own SSE reader. */
export interface ConsoleStreamReader {
  /** Every event so far, in order, with its raw text. */
  readonly events: { event: string; data: unknown; raw: string }[];
  /** Resolves with the first event (from the start) that `match` accepts; rejects after `timeoutMs`. */
  until(
    match: (event: string, data: ConsoleStreamData) => boolean,
    timeoutMs?: number,
  ): Promise<ConsoleStreamData>;
  close(): void;
}

/** Opens `GET /__console/events` with the token header and reads it in the background. */
export async function openConsoleStream(emulator: Emulator): Promise<ConsoleStreamReader> {
  const abort = new AbortController();
  const res = await request(`${emulator.endpoint}/__console/events`, {
    headers: { 'x-aml-emulator-token': emulator.controlToken },
    signal: abort.signal,
  });
  if (res.statusCode !== 200) throw new Error(`stream answered ${res.statusCode}: ${await res.body.text()}`);
  const events: { event: string; data: unknown; raw: string }[] = [];
  const waiters = new Set<() => void>();
  const body = Readable.toWeb(res.body) as ReadableStream<Uint8Array>;
  readEventStream(body, ({ event, data }: StreamEvent) => {
    events.push({ event, data: JSON.parse(data) as unknown, raw: data });
    for (const wake of waiters) wake();
  }).catch(() => undefined);
  return {
    events,
    until(match, timeoutMs = 5000) {
      type Data = ConsoleStreamData;
      const find = (): Data | undefined =>
        events.find((e) => match(e.event, e.data as Data))?.data as Data | undefined;
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = find();
          if (found === undefined) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `no matching console event in ${timeoutMs} ms; got ${events.map((e) => e.event).join(', ')}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close() {
      abort.abort();
    },
  };
}
