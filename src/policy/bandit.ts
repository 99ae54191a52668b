/**
 * Learned propensity for arbitration, with no I/O: how likely a customer is to
 * respond to a content on a channel at their lifecycle stage, learned from
 * what was sent and what got a response. Each arm (content x channel x stage)
 * has a Beta posterior; Thompson sampling (one draw per candidate, highest
 * wins) sends the best arm most of the time and still tries the others in
 * proportion to the chance that they are better. Randomness is injected.
 */

import type { Random } from '../random.js';

// The policy's draws come from the shared seedable source (src/random.ts); its callers import them from here.
export { seededRandom, type Random } from '../random.js';

/** A standard normal draw (Marsaglia's polar method; the second value of the pair is dropped to keep no state). */
function sampleNormal(random: Random): number {
  for (;;) {
    const u = 2 * random() - 1;
    const v = 2 * random() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/** A Gamma(shape, 1) draw (Marsaglia–Tsang); below shape 1, a draw at shape + 1 scaled by U^(1/shape). */
function sampleGamma(shape: number, random: Random): number {
  if (shape < 1) return sampleGamma(shape + 1, random) * (1 - random()) ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = sampleNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(alpha, beta) draw, as X / (X + Y) with X ~ Gamma(alpha), Y ~ Gamma(beta). */
export function sampleBeta(alpha: number, beta: number, random: Random): number {
  if (!(alpha > 0 && beta > 0)) throw new RangeError(`Beta(${alpha}, ${beta}): both parameters must be positive`);
  const x = sampleGamma(alpha, random);
  const y = sampleGamma(beta, random);
  // Both underflow only for tiny shapes; the mean is then the honest answer.
  return x + y > 0 ? x / (x + y) : alpha / (alpha + beta);
}

export interface ArmKey {
  contentId: string;
  channel: string;
  /** The customer's lifecycle stage; null when they have none. */
  stage: string | null;
}

export interface ArmCounts {
  sent: number;
  /** Sends that got a response (opened, clicked or converted); at most `sent`. */
  responded: number;
}

/** The key of an arm in a map of counts; unambiguous (a null stage is not the stage "null" or ""). */
export const armKey = (k: ArmKey): string => JSON.stringify([k.contentId, k.channel, k.stage]);
const pairKey = (contentId: string, channel: string): string => JSON.stringify([contentId, channel]);

/**
 * The prior when a content has never been sent on a channel: a 10% response
 * rate worth 10 sends. Beta(1, 1) would give a new content a 50% expected
 * response rate, far above what marketing messages see, so an untried arm
 * would be sent over proven ones again and again; Beta(1, 9) is still wide
 * enough (a standard deviation of 9 points) for a new arm to be tried.
 */
export const FALLBACK_PRIOR = { alpha: 1, beta: 9 } as const;

/**
 * At most how many sends the prior of a stage is worth. The prior comes from
 * the same content on the same channel at the other stages: a stage with few
 * sends of its own borrows their rate, and after a few dozen sends its own
 * responses outweigh it.
 */
export const PRIOR_STRENGTH = 10;

export interface Beta {
  alpha: number;
  beta: number;
}

export interface PropensityModel {
  posterior(key: ArmKey): Beta;
  /** The expected response rate. */
  mean(key: ArmKey): number;
  /** A Thompson draw of the response rate. */
  sample(key: ArmKey, random: Random): number;
}

const NONE: ArmCounts = { sent: 0, responded: 0 };
const failures = (c: ArmCounts): number => Math.max(0, c.sent - c.responded);

/**
 * The prior of a stage: the content x channel's rate at the other stages (the
 * arm's own sends are left out so that they are not counted twice), smoothed
 * by the fallback prior and worth at most PRIOR_STRENGTH sends.
 */
function priorFrom(others: ArmCounts): Beta {
  const pooled = { alpha: FALLBACK_PRIOR.alpha + others.responded, beta: FALLBACK_PRIOR.beta + failures(others) };
  const scale = Math.min(1, PRIOR_STRENGTH / (pooled.alpha + pooled.beta));
  return { alpha: pooled.alpha * scale, beta: pooled.beta * scale };
}

/** A model over counts keyed by `armKey` (per content x channel x stage). */
export function propensityModel(counts: ReadonlyMap<string, ArmCounts>): PropensityModel {
  const totals = new Map<string, ArmCounts>();
  for (const [key, c] of counts) {
    const [contentId, channel] = JSON.parse(key) as [string, string, string | null];
    const total = totals.get(pairKey(contentId, channel)) ?? NONE;
    totals.set(pairKey(contentId, channel), { sent: total.sent + c.sent, responded: total.responded + c.responded });
  }
  const posterior = (key: ArmKey): Beta => {
    const own = counts.get(armKey(key)) ?? NONE;
    const total = totals.get(pairKey(key.contentId, key.channel)) ?? NONE;
    const prior = priorFrom({ sent: total.sent - own.sent, responded: total.responded - own.responded });
    return { alpha: prior.alpha + own.responded, beta: prior.beta + failures(own) };
  };
  return {
    posterior,
    mean: (key) => {
      const p = posterior(key);
      return p.alpha / (p.alpha + p.beta);
    },
    sample: (key, random) => {
      const p = posterior(key);
      return sampleBeta(p.alpha, p.beta, random);
    },
  };
}
