import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the server received it. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  /** Raw header pairs, in order. */
  readonly rawHeaders: readonly string[];
  readonly body: string;
  /** The client's port: equal ports mean a reused keep-alive connection. */
  readonly remotePort: number | undefined;
}

/** A canned reply, or a function that writes one itself (or destroys the socket, or never answers). */
export type Reply =
  | {
      readonly status?: number;
      readonly headers?: Record<string, string>;
      /** An object is sent as JSON. */
      readonly body?: string | object;
    }
  | ((res: ServerResponse, req: RecordedRequest) => void);

/** A tiny local HTTP server that records requests and answers from a queue (the last reply repeats). */
export interface CannedServer {
  readonly endpoint: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  /** Replace the reply queue. */
  reply(...replies: Reply[]): void;
  close(): Promise<void>;
}

/** Default headers of a JSON reply, like the emulator's. */
export const JSON_HEADERS = { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-123' };

export async function startCannedServer(...initial: Reply[]): Promise<CannedServer> {
  let queue: Reply[] = initial.length > 0 ? initial : [{ body: {} }];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        rawHeaders: req.rawHeaders,
        body: Buffer.concat(chunks).toString('utf8'),
        remotePort: req.socket.remotePort,
      };
      requests.push(recorded);
      const reply = queue.length > 1 ? queue.shift()! : queue[0]!;
      if (typeof reply === 'function') {
        reply(res, recorded);
        return;
      }
      const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
      res.writeHead(reply.status ?? 200, {
        ...JSON_HEADERS,
        date: new Date().toUTCString(),
        ...reply.headers,
      });
      res.end(body);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    requests,
    reply(...replies: Reply[]) {
      queue = replies;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
    },
  };
}

/** Static test credentials (the AWS test-suite keys). */
export const TEST_CREDENTIALS = Object.freeze({
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
});
