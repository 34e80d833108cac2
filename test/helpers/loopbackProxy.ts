import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/** A forward proxy on 127.0.0.1 (CONNECT tunnels and absolute-form requests), like a corporate proxy. */
export interface LoopbackProxy {
  /** `http://127.0.0.1:<port>`: the value of `HTTPS_PROXY` / `HTTP_PROXY`. */
  readonly url: string;
  /** Every request the proxy handled: `CONNECT host:port` or `GET http://host/path`. */
  readonly seen: string[];
  close(): Promise<void>;
}

/**
 * Starts a forward proxy. `hosts` maps names the proxy resolves itself (e.g. `aml-emulator.invalid`, which
 * no DNS resolves) to 127.0.0.1, so a client can reach such a host only through the proxy.
 */
export async function startLoopbackProxy(hosts: readonly string[] = []): Promise<LoopbackProxy> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const resolveHost = (host: string): string => (hosts.includes(host) ? '127.0.0.1' : host);
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method ?? 'GET'} ${req.url ?? ''}`);
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      res.writeHead(400).end('absolute-form request expected');
      return;
    }
    const upstream = httpRequest(
      {
        host: resolveHost(target.hostname),
        port: target.port === '' ? 80 : Number(target.port),
        method: req.method,
        path: `${target.pathname}${target.search}`,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url ?? ''}`);
    const [host = '', port = '443'] = (req.url ?? '').split(/:(?=\d+$)/);
    const upstream = connect(Number(port), resolveHost(host), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n'));
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => {
          resolve();
        });
      }),
  };
}
