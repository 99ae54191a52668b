/**
 * Seeded randomness for the simulation. Every customer has streams of their
 * own (one for what they do unprompted, one for how they answer messages),
 * derived from the run's seed and their number: what one customer draws never
 * depends on the order customers are visited in, and the two arms (no policy,
 * policy) see the same unprompted behaviour, so their difference is the
 * policy's (common random numbers).
 */

/** A stream of uniform draws in [0, 1). */
export interface Rng {
  next(): number;
}

/** 32-bit mix of a string into a seed (FNV-1a, then a murmur finaliser). */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const c of parts.join('\u0000')) {
    h ^= c.charCodeAt(0);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** sfc32 (Chris Doty-Humphrey's small fast counter): 128 bits of state, passes PractRand, plenty for a simulation. */
export function createRng(...seedParts: (string | number)[]): Rng {
  let a = hashSeed('a', ...seedParts);
  let b = hashSeed('b', ...seedParts);
  let c = hashSeed('c', ...seedParts);
  let d = 1;
  const next = () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  // The first draws of a freshly seeded sfc32 are poorly mixed.
  for (let i = 0; i < 12; i++) next();
  return { next };
}

export const chance = (rng: Rng, p: number): boolean => rng.next() < p;

/** Exponential with the given mean. */
export const exponential = (rng: Rng, mean: number): number => -mean * Math.log(1 - rng.next());

/** Standard normal (Box-Muller; one of the pair is thrown away to keep the draw count fixed). */
export function normal(rng: Rng): number {
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Log-normal with the given median and sigma (of the log). */
export const logNormal = (rng: Rng, median: number, sigma: number): number => median * Math.exp(sigma * normal(rng));

/** Beta(a, b) mean-and-concentration draw via two gammas would cost more; this uses the logit-normal, close enough for propensities. */
export function around(rng: Rng, mean: number, spread: number): number {
  const logit = Math.log(mean / (1 - mean)) + spread * normal(rng);
  return 1 / (1 + Math.exp(-logit));
}

/** One of `items`, by weight. */
export function pick<T>(rng: Rng, items: readonly T[], weight: (item: T) => number = () => 1): T {
  const total = items.reduce((sum, item) => sum + weight(item), 0);
  let u = rng.next() * total;
  for (const item of items) {
    u -= weight(item);
    if (u < 0) return item;
  }
  return items[items.length - 1]!;
}
