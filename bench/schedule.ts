/**
 * `npm run bench:schedule`: for jobs of 10 s to 6 h, how many requests a wait sends and how long it takes to
 * notice the job finished (detection lag), with our default schedule and with the AWS SDK waiter's
 * (`waitUntilBatchPredictionAvailable`: 30 s, U(30, 60), U(30, 120), then 120 s fixed).
 *
 * Pure simulation of both delay formulas (no network): each job is run `TRIALS` times with a seeded
 * random source, and the mean and worst case are reported.
 */
import { BACKOFF_FACTOR, exponentialJitterBackoff } from '../src/waiter/backoff.js';
import { WAIT_DEFAULTS } from '../src/waiter/WaitOptions.js';
import { machineLine, table, writeSection } from './report.js';

const TRIALS = 2000;
const DURATIONS_S = [10, 20, 30, 45, 60, 120, 300, 600, 1800, 3600, 7200, 21_600];

/** Mulberry32: a small seeded PRNG, so every run prints the same table. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type DelayFn = (attempt: number, random: () => number) => number;

const ours: DelayFn = (attempt, random) =>
  exponentialJitterBackoff(attempt, {
    minDelayMs: WAIT_DEFAULTS.minDelayMs,
    maxDelayMs: WAIT_DEFAULTS.maxDelayMs,
    random,
  });

/** The JS SDK waiter's formula (@smithy/util-waiter), in ms, with the ML waiter's 30 s / 120 s. */
const sdk: DelayFn = (attempt, random) => {
  const min = 30_000;
  const max = 120_000;
  const ceiling = Math.log(max / min) / Math.log(2) + 1;
  if (attempt > ceiling) return max;
  const capped = Math.min(min * 2 ** (attempt - 1), max);
  return min + random() * (capped - min);
};

/** Polls at t = 0 and after each delay until the first poll at or after `doneAt`. */
function simulate(
  delay: DelayFn,
  doneAtMs: number,
  random: () => number,
): { requests: number; lagMs: number } {
  let t = 0;
  let requests = 1;
  let attempt = 1;
  while (t < doneAtMs) {
    t += delay(attempt++, random);
    requests++;
  }
  return { requests, lagMs: t - doneAtMs };
}

function measure(delay: DelayFn, doneAtMs: number, seed: number) {
  const random = seeded(seed);
  let requests = 0;
  let lag = 0;
  let worstLag = 0;
  for (let i = 0; i < TRIALS; i++) {
    const r = simulate(delay, doneAtMs, random);
    requests += r.requests;
    lag += r.lagMs;
    worstLag = Math.max(worstLag, r.lagMs);
  }
  return { requests: requests / TRIALS, lagMs: lag / TRIALS, worstLagMs: worstLag };
}

const fmt = (ms: number) => (ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`);
const label = (s: number) => (s < 60 ? `${s} s` : s < 3600 ? `${s / 60} min` : `${s / 3600} h`);

const rows: (string | number)[][] = [];
for (const seconds of DURATIONS_S) {
  const doneAt = seconds * 1000;
  const a = measure(ours, doneAt, seconds);
  const b = measure(sdk, doneAt, seconds);
  rows.push([
    label(seconds),
    a.requests.toFixed(1),
    b.requests.toFixed(1),
    `${(a.requests / b.requests).toFixed(2)}×`,
    fmt(a.lagMs),
    fmt(a.worstLagMs),
    `${((a.worstLagMs / doneAt) * 100).toFixed(0)} %`,
    fmt(b.lagMs),
    fmt(b.worstLagMs),
  ]);
}

const markdown = `## Polling schedule (\`npm run bench:schedule\`)

Requests sent and detection lag (time from the job finishing to the poll that sees it) for a job that
finishes after the given time, mean and worst of ${TRIALS} seeded runs. Ours: the defaults
(\`minDelayMs\` ${WAIT_DEFAULTS.minDelayMs}, \`maxDelayMs\` ${WAIT_DEFAULTS.maxDelayMs}, ×${BACKOFF_FACTOR} growth, up to 20 % jitter kept at the cap).
SDK: \`waitUntilBatchPredictionAvailable\` (30 s → 120 s). Simulation of both formulas; ${machineLine()}.

${table(
  [
    'job',
    'requests (ours)',
    'requests (SDK)',
    'ratio',
    'lag mean (ours)',
    'lag worst (ours)',
    'worst lag / job',
    'lag mean (SDK)',
    'lag worst (SDK)',
  ],
  rows,
)}
`;
writeSection('schedule', markdown);
console.log(markdown);
