/**
 * The condition language (docs/segments.md) as the builder sees it: groups
 * (all / any / none of) holding rows, one row per condition, each edited as
 * field, operator and value. The builder edits the condition JSON itself, so
 * the JSON view and the builder never disagree.
 */

// A condition is JSON of many shapes; the builder reads and writes its fields by name.
export type Cond = Record<string, unknown>;

export const CHANNELS = ['web', 'app', 'email', 'sms', 'push', 'store', 'call_center', 'ads', 'social', 'search', 'direct_mail', 'other'];
export const BUILTINS = ['orders.count', 'orders.revenue', 'eventCount', 'firstSeen', 'lastSeen'];
export const CONSENT_STATES = ['allowed', 'not_allowed', 'granted', 'denied', 'unknown'];
export const CHANNEL_OPS: [string, string][] = [
  ['used', 'used'],
  ['not_used', 'not used'],
  ['only', 'only used'],
];
export const COMPARE_OPS: [string, string][] = [
  ['eq', '='],
  ['neq', '≠'],
  ['gt', '>'],
  ['gte', '≥'],
  ['lt', '<'],
  ['lte', '≤'],
];
export const VALUE_OPS: [string, string][] = [
  ['eq', 'is'],
  ['neq', 'is not'],
  ['in', 'is one of'],
  ['not_in', 'is none of'],
  ['contains', 'contains'],
  ['exists', 'is set'],
  ['not_exists', 'is not set'],
  ['gt', '>'],
  ['gte', '≥'],
  ['lt', '<'],
  ['lte', '≤'],
  ['before', 'before (date)'],
  ['after', 'after (date)'],
  ['within_last_days', 'within the last … days'],
  ['more_than_days_ago', 'more than … days ago'],
];

/** The kinds a row can be, in the order the field menu lists them. */
export const ROW_KINDS: [string, string][] = [
  ['trait', 'Trait'],
  ['event', 'Event performed'],
  ['profile', 'Profile figure'],
  ['computedTrait', 'Computed trait'],
  ['stage', 'Lifecycle stage'],
  ['channel', 'Channel'],
  ['channelCount', 'Number of channels'],
  ['consent', 'Consent'],
  ['segment', 'In segment'],
  ['household', 'Household'],
];
const KEYS = ['all', 'any', 'not', ...ROW_KINDS.map(([k]) => k)];

export const kindOf = (c: Cond): string => KEYS.find((k) => k in c) ?? 'trait';

export function blankRow(kind: string, names: { stage?: string; segment?: string } = {}): Cond {
  switch (kind) {
    case 'trait':
      return { trait: 'email', op: 'exists' };
    case 'computedTrait':
      return { computedTrait: 'lifetimeValue', op: 'gte', value: 100 };
    case 'profile':
      return { profile: 'orders.count', op: 'gte', value: 1 };
    case 'event':
      return { event: 'Order Completed', atLeast: 1, withinDays: 90 };
    case 'channel':
      return { channel: 'store', op: 'used' };
    case 'channelCount':
      return { channelCount: { op: 'gte', value: 2 } };
    case 'stage':
      return { stage: names.stage ?? 'purchase' };
    case 'consent':
      return { consent: { channel: 'email', is: 'allowed' } };
    case 'segment':
      return { segment: names.segment ?? '', member: true };
    case 'household':
      return { household: 'any' };
    default:
      return { trait: 'email', op: 'exists' };
  }
}

export type GroupMode = 'all' | 'any' | 'none';
export interface GroupView {
  mode: GroupMode;
  children: Cond[];
}

/** all / any read as they are; not reads as "none of" (its any, or its one condition). */
export function groupOf(c: Cond): GroupView | undefined {
  if (Array.isArray(c.all)) return { mode: 'all', children: c.all as Cond[] };
  if (Array.isArray(c.any)) return { mode: 'any', children: c.any as Cond[] };
  if (c.not && typeof c.not === 'object') {
    const inner = c.not as Cond;
    return { mode: 'none', children: Array.isArray(inner.any) ? (inner.any as Cond[]) : [inner] };
  }
  return undefined;
}

export function groupCond(view: GroupView): Cond {
  if (view.mode === 'none') return { not: { any: view.children } };
  return { [view.mode]: view.children };
}

/** The text a value field shows. */
export function valueText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => String(v)).join(', ');
  return String(value);
}

const NUMERIC_OPS = new Set(['gt', 'gte', 'lt', 'lte', 'within_last_days', 'more_than_days_ago']);
export const takesNoValue = (op: string) => op === 'exists' || op === 'not_exists';

/** The value a typed text means for an operator: numbers where the operator compares numbers, lists for in / not_in. */
export function parseValue(op: string, text: string): unknown {
  if (op === 'in' || op === 'not_in')
    return text
      .split(',')
      .map((part) => scalar(part.trim(), false))
      .filter((v) => v !== '');
  return scalar(text.trim(), NUMERIC_OPS.has(op));
}

function scalar(text: string, numeric: boolean): unknown {
  if (text !== '' && !Number.isNaN(Number(text))) return Number(text);
  if (numeric) return text;
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/** A list typed with commas ("Product Viewed, Product Added") is a list; one name stays a name. */
export function namesOf(text: string): string | string[] {
  const names = text
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  return names.length > 1 ? names : (names[0] ?? '');
}
