/**
 * A deterministic random source in [0, 1) (mulberry32) for the emulator's `random` option, so
 * failure rates and rate-based faults replay identically.
 *
 * @example
 * ```ts
 * const emu = await startEmulator({ random: createSeededRandom(42), lifecycle: { failureRate: 0.3 } });
 * ```
 */
export function createSeededRandom(seed: number): () => number {
  if (!Number.isInteger(seed)) throw new TypeError(`Expected \`seed\` to be an integer, got ${String(seed)}`);
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
