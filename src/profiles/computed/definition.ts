/**
 * Computed traits: what they are and which events they read, with no I/O.
 * A definition aggregates one event property (or counts events) over a
 * profile's events, optionally within a time window and with filters:
 * lifetime value = sum of revenue on "Order Completed"; orders in the last
 * 90 days = count of "Order Completed" within 90 days; favourite category =
 * most frequent category on "Product Viewed".
 */
import { readPath } from '../../identity/index.js';

export const AGGREGATIONS = ['count', 'sum', 'min', 'max', 'first', 'last', 'distinct_count', 'most_frequent'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];
export const FILTER_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'contains', 'exists'] as const;
export type FilterOp = (typeof FILTER_OPS)[number];

export interface Filter {
  /** Dotted path in the event properties, e.g. "category" or "product.brand". */
  property: string;
  op: FilterOp;
  value?: unknown;
}

export interface TraitDefinition {
  name: string;
  aggregation: Aggregation;
  /** Message type to read (default track). */
  eventType: string;
  /** Track event name (or page/screen name), or a list of them; all of the type when absent. */
  event?: string | string[];
  /** Dotted path in properties; required except for count. */
  property?: string;
  windowDays?: number;
  where: Filter[];
}

const asObject = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** Problems with a definition, each naming the field; empty when it is valid. */
export function checkDefinition(def: TraitDefinition): string[] {
  const problems: string[] = [];
  if (!/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/.test(def.name)) problems.push('name: letters, digits and _, starting with a letter, at most 64');
  if (def.aggregation !== 'count' && !def.property) problems.push(`property: ${def.aggregation} needs the property to aggregate`);
  if (['first', 'last', 'min', 'max', 'sum'].includes(def.aggregation) && def.property === '') problems.push('property: must not be empty');
  def.where.forEach((f, i) => {
    if (f.op !== 'exists' && f.value === undefined) problems.push(`where/${i}/value: ${f.op} needs a value`);
    if (f.op === 'in' && !Array.isArray(f.value)) problems.push(`where/${i}/value: in needs an array`);
    if (['gt', 'gte', 'lt', 'lte'].includes(f.op) && typeof f.value !== 'number') problems.push(`where/${i}/value: ${f.op} needs a number`);
  });
  return problems;
}

export function matches(def: Pick<TraitDefinition, 'eventType' | 'event' | 'where'>, message: Record<string, unknown>): boolean {
  if (message.type !== def.eventType) return false;
  const name = def.eventType === 'track' ? message.event : message.name;
  if (def.event !== undefined && !(Array.isArray(def.event) ? def.event.includes(name as string) : name === def.event)) return false;
  const props = asObject(message.properties);
  return def.where.every((f) => test(f, readPath(props, f.property)));
}

/** The value an event contributes: the property, or 1 for count. Undefined: the event does not count. */
export function contribution(def: TraitDefinition, message: Record<string, unknown>): unknown {
  if (def.aggregation === 'count') return 1;
  const value = readPath(asObject(message.properties), def.property!);
  if (value === undefined || value === null) return undefined;
  if (['sum', 'min', 'max'].includes(def.aggregation)) return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  return value;
}

function test(filter: Filter, actual: unknown): boolean {
  switch (filter.op) {
    case 'exists':
      return actual !== undefined && actual !== null;
    case 'eq':
      return actual === filter.value;
    case 'neq':
      return actual !== filter.value;
    case 'in':
      return Array.isArray(filter.value) && filter.value.includes(actual);
    case 'contains':
      return typeof actual === 'string'
        ? actual.toLowerCase().includes(String(filter.value).toLowerCase())
        : Array.isArray(actual) && actual.includes(filter.value);
    default: {
      if (typeof actual !== 'number' || typeof filter.value !== 'number') return false;
      const v = filter.value;
      return filter.op === 'gt' ? actual > v : filter.op === 'gte' ? actual >= v : filter.op === 'lt' ? actual < v : actual <= v;
    }
  }
}

/**
 * Adds amounts without binary floating-point noise (12.1 + 0.2 is 12.3, not
 * 12.299999999999999): sums are kept to nine decimals.
 */
export const addAmounts = (a: number, b: number): number => Math.round((a + b) * 1e9) / 1e9;
