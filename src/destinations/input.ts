/** A destination's settings as a client gives them: defaults, and the problems of each field, with no I/O. */
import { HASHING_RULES, IDENTIFIER_KINDS, type HashingRules, type IdentifierKind } from './normalize.js';

export const KINDS = ['webhook', 'csv'] as const;
export type DestinationKind = (typeof KINDS)[number];

export const BATCH_SIZE = { min: 1, max: 10_000, default: 1000 } as const;

export interface DestinationInput {
  name: string;
  /** The segment's id or name. */
  segment: string;
  kind?: DestinationKind;
  url?: string;
  /** Standard Webhooks secret, whsec_ and base64 of 24 to 64 bytes; generated when absent. */
  secret?: string;
  batchSize?: number;
  identifiers?: IdentifierKind[];
  hashing?: HashingRules;
}

/** What PUT may change. The segment and the kind stay: the platform's audience was built from them. */
export interface DestinationChanges {
  name?: string;
  url?: string;
  secret?: string;
  batchSize?: number;
  identifiers?: IdentifierKind[];
  hashing?: HashingRules;
  status?: 'active' | 'paused';
}

export interface Settings {
  kind: DestinationKind;
  url: string | null;
  secret: string | null;
  batchSize: number;
  identifiers: IdentifierKind[];
  hashing: HashingRules;
}

export function withDefaults(input: DestinationInput): Settings {
  return {
    kind: input.kind ?? 'webhook',
    url: input.url ?? null,
    secret: input.secret ?? null,
    batchSize: input.batchSize ?? BATCH_SIZE.default,
    identifiers: input.identifiers ?? [...IDENTIFIER_KINDS],
    hashing: input.hashing ?? 'google',
  };
}

export function urlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `url ${JSON.stringify(url)} is not an absolute URL`;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return `url must be http or https, not ${parsed.protocol.replace(/:$/, '')}`;
  if (parsed.username || parsed.password) return 'url must not carry a user name or password: the secret signs each request';
  return undefined;
}

/** Padded base64 only: a lenient decode of a typo would give a key the receiver's library reads otherwise. */
const SECRET = /^whsec_((?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)$/;

/** The Standard Webhooks form: whsec_ then the base64 of 24 to 64 random bytes. */
export function secretProblem(secret: string): string | undefined {
  const match = SECRET.exec(secret);
  const bytes = match ? Buffer.from(match[1]!, 'base64').length : 0;
  if (bytes < 24 || bytes > 64) return 'secret must be "whsec_" followed by the padded base64 of 24 to 64 random bytes (leave it out to have one made)';
  return undefined;
}

/** Every problem of the settings a destination would have, as sentences naming the field. */
export function settingsProblems(settings: Settings): string[] {
  const problems: string[] = [];
  const { min, max } = BATCH_SIZE;
  if (!Number.isInteger(settings.batchSize) || settings.batchSize < min || settings.batchSize > max) {
    problems.push(`batchSize must be a whole number from ${min} to ${max}, not ${settings.batchSize}`);
  }
  if (settings.identifiers.length === 0 || settings.identifiers.some((i) => !IDENTIFIER_KINDS.includes(i))) {
    problems.push(`identifiers must list one or both of ${IDENTIFIER_KINDS.join(', ')}`);
  }
  if (!HASHING_RULES.includes(settings.hashing)) problems.push(`hashing must be one of ${HASHING_RULES.join(', ')}`);
  if (settings.kind === 'webhook') {
    const url = settings.url === null ? 'a webhook destination needs a url' : urlProblem(settings.url);
    if (url) problems.push(url);
    const secret = settings.secret === null ? undefined : secretProblem(settings.secret);
    if (secret) problems.push(secret);
  } else if (settings.url !== null || settings.secret !== null) {
    problems.push('a csv destination is downloaded, not pushed: it takes no url or secret');
  }
  return problems;
}

/** The last 4 characters, so that an operator can tell secrets apart without the API ever showing one. */
export const secretHint = (secret: string | null) => (secret === null ? null : `…${secret.slice(-4)}`);

/** The changes a client gave, without the fields it left out. */
export function definedOf(changes: DestinationChanges): Partial<Settings> {
  const { url, secret, batchSize, identifiers, hashing } = changes;
  return Object.fromEntries(Object.entries({ url, secret, batchSize, identifiers, hashing }).filter(([, v]) => v !== undefined));
}
