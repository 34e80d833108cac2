/**
 * `npm run fleet`: waits that outgrow one machine, on one machine.
 *
 * Starts a throwaway Redis (Debian's `redis-server`, on a free loopback port) and the emulator, creates a
 * and runs three processes against them: two workers (worker.ts) and a producer (producer.ts) that starts a
 * dozen batch predictions, queues a wait on each and awaits their outcomes. Two seconds later, worker-1 is killed with
 * SIGKILL: worker-2 carries on with every wait, the ones worker-1 was polling included (from their last
 * checkpoint, same deadline and history). Each worker prints the polls it makes; this script prints which waits
 * worker-1 held when it died and each one worker-2 takes over. Then everything is shut down.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../../src/emulator/index.js';
import { startRedisServer } from './redisServer.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const redis = await startRedisServer();
// (Ctrl-C reaches redis-server and the three processes too: they are in this terminal's process group.)
const emulator = await startEmulator({
  port: 0,
  autoCreateReferences: true,
  lifecycle: { pendingMs: 1500, inProgressMs: 4000, failureRate: 0.2 },
  random: (() => {
    let n = 0;
    return () => [0.5, 0.9, 0.1, 0.7, 0.3, 0.05][n++ % 6] ?? 0.5; // repeatable: the same jobs fail every run
  })(),
}).catch(async (error: unknown) => {
  await redis.stop();
  throw error;
});
console.log(`run: redis on 127.0.0.1:${redis.port}, emulator on ${emulator.endpoint}`);

const ids = Array.from({ length: 12 }, (_, n) => `bp-fleet-${n + 1}`);

const childEnv = {
  ...process.env,
  REDIS_PORT: String(redis.port),
  FLEET_QUEUE: 'aml-fleet-example',
  // Every worker of a queue gets the same lock and stalled-check settings (short here, for the demo).
  FLEET_LOCK_MS: '2000',
  FLEET_STALLED_MS: '1000',
  // The fleet-wide request budget: 20 requests per second across both workers.
  FLEET_RATE: '20',
  AWS_ENDPOINT_URL: emulator.endpoint,
  AWS_REGION: emulator.region,
  AWS_ACCESS_KEY_ID: emulator.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: emulator.credentials.secretAccessKey,
};

/** Starts a script with tsx; `onLine` sees each line it prints (which is passed through to our stdout). */
function start(
  script: string,
  args: string[],
  extraEnv: Record<string, string> = {},
  onLine?: (line: string) => void,
): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', `${here}${script}`, ...args], {
    env: { ...childEnv, ...extraEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      console.log(line);
      onLine?.(line);
    }
  });
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      resolve(code);
    }),
  );
}

/** The worker that polled each id last, to show the survivor taking over the dead worker's waits. */
const lastPolledBy = new Map<string, string>();
let killed = false;
const trackPolls = (line: string): void => {
  const poll = /^(worker-\d+): polls (\S+) \(request (\d+)/.exec(line);
  if (poll === null) return;
  const [, worker = '', id = '', request = ''] = poll;
  const before = lastPolledBy.get(id);
  lastPolledBy.set(id, worker);
  if (killed && before === 'worker-1' && worker !== 'worker-1') {
    console.log(
      `run: ${worker} took over ${id} from worker-1 (request ${request}, same deadline and history)`,
    );
  }
};
const worker1 = start('worker.ts', [], { FLEET_WORKER: 'worker-1' }, trackPolls);
const worker2 = start('worker.ts', [], { FLEET_WORKER: 'worker-2' }, trackPolls);
let killer: NodeJS.Timeout | undefined;
const producer = start('producer.ts', ids, {}, (line) => {
  // Two seconds after the last wait is queued, in the middle of the waits, worker-1 dies.
  if (line.includes(`${ids.at(-1) ?? ''} queued`)) {
    killer = setTimeout(() => {
      const held = [...lastPolledBy].filter(([, worker]) => worker === 'worker-1').map(([id]) => id);
      console.log(
        `run: killing worker-1 (SIGKILL); it polled last: ${held.join(', ') || 'nothing'}. worker-2 takes over its waits`,
      );
      killed = true;
      worker1.kill('SIGKILL');
    }, 2000);
  }
});

const code = await exited(producer);
if (killer !== undefined) clearTimeout(killer);
for (const worker of [worker1, worker2])
  if (worker.exitCode === null && worker.signalCode === null) worker.kill('SIGTERM');
await Promise.all([exited(worker1), exited(worker2)]);
await emulator.close();
await redis.stop();
console.log(`run: done (producer exited ${code})`);
process.exitCode = code ?? 1;
