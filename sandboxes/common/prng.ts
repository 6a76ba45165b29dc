/**
 * Deterministic pseudo-random numbers (mulberry32), so a fault rate with a given seed fails the
 * same requests on every run and a flaky-looking test can be replayed exactly.
 *
 * @param seed - any 32-bit integer; the same seed gives the same sequence.
 * @returns a function returning floats in [0, 1).
 */
export function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
