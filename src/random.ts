/**
 * Randomness is injected wherever it decides something (the policy's
 * learned arbitration, sampled attribution), so that tests and simulations
 * can replay it: a seeded source gives the same draws every run.
 */

/** A uniform draw in [0, 1). */
export type Random = () => number;

/**
 * mulberry32: one 32-bit word of state, fast, and good enough for sampling
 * (not for anything secret). The same seed gives the same sequence.
 */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
