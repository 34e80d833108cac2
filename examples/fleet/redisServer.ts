/**
 * Starts a throwaway `redis-server` on a free loopback port (no persistence), for the fleet example,
 * the tests and the benchmark. Debian: `apt-get install redis-server` (`.ci/run` does it when missing).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** A running Redis started by {@link startRedisServer}. */
export interface RedisServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The process (killed by `stop`). */
  readonly process: ChildProcess;
  /** Shuts it down (SIGTERM, then SIGKILL after 3 s) and resolves when it has exited. Idempotent. */
  stop(): Promise<void>;
}

/** A port that was free a moment ago: bind port 0, read the port, release it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => {
        resolve(port);
      });
    });
  });
}

/** Sends PING over a raw socket; resolves `true` on `+PONG`. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => {
      done(false);
    });
    socket.once('error', () => {
      done(false);
    });
    socket.once('data', (chunk) => {
      done(chunk.toString().startsWith('+PONG'));
    });
    socket.connect(port, '127.0.0.1', () => {
      socket.write('PING\r\n');
    });
  });
}

/**
 * Starts `redis-server --port P --bind 127.0.0.1 --save '' --appendonly no` on a free port and waits for
 * PONG. Throws a clear error when redis-server is not installed.
 */
export async function startRedisServer(extraArgs: readonly string[] = []): Promise<RedisServer> {
  if (spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).error !== undefined) {
    throw new Error(
      'redis-server is not installed: run `apt-get install -y redis-server` (CI installs it in .ci/run).',
    );
  }
  for (let tries = 0; ; tries++) {
    const port = await freePort();
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const life = { exited: false };
    const exit = new Promise<void>((resolve) => {
      child.once('exit', () => {
        life.exited = true;
        resolve();
      });
    });
    const started = Date.now();
    while (!life.exited && Date.now() - started < 10_000) {
      if (await ping(port)) {
        let stopping: Promise<void> | undefined;
        return {
          host: '127.0.0.1',
          port,
          process: child,
          stop: () =>
            (stopping ??= (async () => {
              if (!life.exited) child.kill('SIGTERM');
              const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
              await exit;
              clearTimeout(timer);
            })()),
        };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (!life.exited) child.kill('SIGKILL');
    await exit;
    // Someone took the port between freePort() and the bind: try another.
    if (tries >= 4) throw new Error(`redis-server did not start on 127.0.0.1:${port}.`);
  }
}
