/**
 * Identifier kinds: where each is read from in a message, how its values are
 * normalized, and how many of it one profile may hold. The order is the
 * priority: the profile of the first identifier an event carries is the one
 * the event belongs to when its identifiers cannot all be joined.
 */
export type Normalizer = 'email' | 'phone' | 'text';

export interface KindSpec {
  kind: string;
  /** Dotted paths in the message, tried in order; every one found counts. */
  paths: string[];
  normalize: Normalizer;
  /** The most identifiers of this kind one profile may hold; a merge that would exceed it is refused. */
  maxPerProfile: number;
}

const traitPaths = (...names: string[]) => names.flatMap((n) => [`traits.${n}`, `context.traits.${n}`]);

export const BUILT_IN_KINDS: readonly KindSpec[] = [
  { kind: 'userId', paths: ['userId'], normalize: 'text', maxPerProfile: 1 },
  { kind: 'customerNumber', paths: traitPaths('customerNumber', 'customer_number'), normalize: 'text', maxPerProfile: 1 },
  { kind: 'email', paths: [...traitPaths('email'), 'properties.email'], normalize: 'email', maxPerProfile: 10 },
  { kind: 'phone', paths: traitPaths('phone'), normalize: 'phone', maxPerProfile: 10 },
  { kind: 'loyaltyCard', paths: [...traitPaths('loyaltyCard', 'loyalty_card'), 'properties.loyalty_card'], normalize: 'text', maxPerProfile: 10 },
  { kind: 'deviceId', paths: ['context.device.id'], normalize: 'text', maxPerProfile: 100 },
  { kind: 'anonymousId', paths: ['anonymousId'], normalize: 'text', maxPerProfile: 1000 },
];

export interface KindConfig {
  /** Per-kind overrides of maxPerProfile. */
  limits?: Record<string, number>;
  /** Kinds of the brand's own, placed after customerNumber in priority. */
  extraKinds?: { kind: string; paths: string[]; normalize?: Normalizer; maxPerProfile?: number }[];
  /** Extra places to read built-in kinds from, e.g. {"loyaltyCard": ["properties.card_no"]}. */
  extraPaths?: Record<string, string[]>;
}

export function buildKinds(config: KindConfig = {}): KindSpec[] {
  const extra: KindSpec[] = (config.extraKinds ?? []).map((k) => ({
    kind: k.kind,
    paths: k.paths,
    normalize: k.normalize ?? 'text',
    maxPerProfile: k.maxPerProfile ?? 1,
  }));
  const kinds = [...BUILT_IN_KINDS.slice(0, 2), ...extra, ...BUILT_IN_KINDS.slice(2)];
  return kinds.map((k) => ({
    ...k,
    paths: [...k.paths, ...(config.extraPaths?.[k.kind] ?? [])],
    maxPerProfile: config.limits?.[k.kind] ?? k.maxPerProfile,
  }));
}
