/**
 * CSV import mapping, with no I/O: which column feeds which field, and how a
 * row of offline data (a store transaction, a contact list) becomes a Segment
 * message.
 */
import { createHash } from 'node:crypto';
import { ok, reject, type Result } from '../result.js';
import { parseIsoTimestamp } from '../timestamps.js';
import { parseAmount, type AmountNotation } from './amount.js';

/** In order of preference for the stand-in anonymousId of a row without a Segment id. */
export const IDENTIFIER_FIELDS = ['customerNumber', 'loyaltyCard', 'email', 'phone'] as const;
export const CSV_FIELDS = [
  'userId',
  'anonymousId',
  ...IDENTIFIER_FIELDS,
  'timestamp',
  'orderId',
  'amount',
  'currency',
  'items',
  'storeId',
  'event',
  'messageId',
] as const;

/** Field -> column. Fields are CSV_FIELDS or `properties.NAME` / `traits.NAME`. */
export type CsvMapping = Record<string, string>;

export interface RowOptions {
  type: 'track' | 'identify';
  /** Amounts and prices write `1.234,50` (`--decimal-comma`); see amount.ts. */
  decimalComma?: boolean;
  /** The track event when no `event` column is mapped. */
  eventName: string;
}

const snake = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const isField = (field: string) => (CSV_FIELDS as readonly string[]).includes(field) || /^(properties|traits)\.[^.]+$/.test(field);

/** `field=column` pairs, as given on the command line. */
export function parseMappingPairs(pairs: string[]): Result<CsvMapping> {
  const mapping: CsvMapping = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    const field = pair.slice(0, at).trim();
    const column = pair.slice(at + 1).trim();
    if (at < 1 || column === '') return reject('TP_VALIDATION', `Mapping ${JSON.stringify(pair)} must be field=column, e.g. email=email_address.`);
    if (!isField(field)) {
      return reject('TP_VALIDATION', `Unknown field ${JSON.stringify(field)}: use one of ${CSV_FIELDS.join(', ')}, properties.NAME or traits.NAME.`);
    }
    mapping[field] = column;
  }
  return ok(mapping);
}

/**
 * Completes an explicit mapping with columns named like a field (`email`,
 * `order_id` or `orderId`) and checks that every mapped column exists.
 */
export function resolveMapping(headers: string[], explicit: CsvMapping): Result<CsvMapping> {
  const present = new Set(headers);
  for (const [field, column] of Object.entries(explicit)) {
    if (!present.has(column)) {
      return reject(
        'TP_VALIDATION',
        `The mapping sends column ${JSON.stringify(column)} to ${field}, but the file has no such column (it has ${headers.join(', ')}).`,
      );
    }
  }
  const mapping: CsvMapping = { ...explicit };
  for (const field of CSV_FIELDS) {
    if (mapping[field] !== undefined) continue;
    const column = [field, snake(field)].find((name) => present.has(name));
    if (column) mapping[field] = column;
  }
  return ok(mapping);
}

export function rowToMessage(row: Record<string, string>, mapping: CsvMapping, options: RowOptions): Result<Record<string, unknown>> {
  const value = (field: string): string | undefined => {
    const column = mapping[field];
    const text = column === undefined ? undefined : row[column]?.trim();
    return text === '' ? undefined : text;
  };
  const identifiers = Object.fromEntries(IDENTIFIER_FIELDS.flatMap((f) => (value(f) === undefined ? [] : [[f, value(f)]])));
  const identity = readIdentity(value('userId'), value('anonymousId'), identifiers);
  if (!identity.ok) return identity;
  const timestamp = readCsvTimestamp(value('timestamp'), mapping.timestamp);
  if (!timestamp.ok) return timestamp;
  const extra = (prefix: string) =>
    Object.fromEntries(
      Object.keys(mapping)
        .filter((f) => f.startsWith(prefix) && value(f) !== undefined)
        .map((f) => [f.slice(prefix.length), value(f)]),
    );

  const common = {
    ...identity.value,
    ...(timestamp.value !== undefined && { timestamp: timestamp.value }),
    context: { traits: identifiers },
  };
  let message: Record<string, unknown>;
  if (options.type === 'identify') {
    message = { type: 'identify', ...common, traits: { ...identifiers, ...extra('traits.') } };
  } else {
    const properties = readOrder(value, mapping, { decimalComma: options.decimalComma ?? false });
    if (!properties.ok) return properties;
    message = { type: 'track', event: value('event') ?? options.eventName, ...common, properties: { ...properties.value, ...extra('properties.') } };
  }
  const messageId = value('messageId') ?? `csv-${hashRow(row, options)}`;
  return ok({ ...message, messageId });
}

function readIdentity(
  userId: string | undefined,
  anonymousId: string | undefined,
  identifiers: Record<string, string | undefined>,
): Result<{ userId?: string; anonymousId?: string }> {
  if (userId !== undefined || anonymousId !== undefined) return ok({ userId, anonymousId });
  // No Segment id: a stable stand-in made from the first identifier, one per person.
  const first = Object.entries(identifiers)[0];
  if (!first) {
    return reject('TP_MISSING_IDENTITY', `The row has no identifier: map at least one of userId, anonymousId, ${IDENTIFIER_FIELDS.join(', ')}.`);
  }
  return ok({ anonymousId: `${first[0]}:${first[1]}` });
}

function readOrder(value: (field: string) => string | undefined, mapping: CsvMapping, notation: AmountNotation): Result<Record<string, unknown>> {
  const order: Record<string, unknown> = {};
  if (value('orderId') !== undefined) order.order_id = value('orderId');
  const amountText = value('amount');
  if (amountText !== undefined) {
    const amount = parseAmount(amountText, notation);
    if (!amount.ok) return reject(amount.code, `Column ${mapping.amount}: ${amount.message}`);
    order.total = amount.value;
    order.revenue = amount.value;
  }
  if (value('currency') !== undefined) order.currency = value('currency')!.toUpperCase();
  if (value('storeId') !== undefined) order.store_id = value('storeId');
  const itemsText = value('items');
  if (itemsText !== undefined) {
    const items = parseItems(itemsText, notation);
    if (!items.ok) return reject(items.code, `Column ${mapping.items}: ${items.message}`);
    order.products = items.value;
  }
  return ok(order);
}

/** A JSON array of products, or `sku:quantity:price` entries separated by `;` or `|`. */
export function parseItems(text: string, notation?: AmountNotation): Result<Record<string, unknown>[]> {
  if (text.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'object' && p !== null)) return ok(parsed as Record<string, unknown>[]);
    } catch {
      // fall through to the error below
    }
    return reject('TP_INVALID_EVENT', 'items starts with "[" but is not a JSON array of objects.');
  }
  const products: Record<string, unknown>[] = [];
  for (const entry of text
    .split(/[;|]/)
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [sku, quantity, price] = entry.split(':').map((p) => p.trim());
    const product: Record<string, unknown> = { sku, quantity: 1 };
    if (quantity !== undefined && quantity !== '') {
      if (!/^\d+$/.test(quantity))
        return reject('TP_INVALID_EVENT', `item ${JSON.stringify(entry)} has quantity ${JSON.stringify(quantity)}; write sku:quantity:price.`);
      product.quantity = Number(quantity);
    }
    if (price !== undefined && price !== '') {
      const amount = parseAmount(price, notation);
      if (!amount.ok) return reject(amount.code, `item ${JSON.stringify(entry)} (sku:quantity:price) has price ${amount.message}`);
      product.price = amount.value;
    }
    products.push(product);
  }
  return ok(products);
}

/** ISO 8601 (a time without a zone is UTC), or epoch seconds / milliseconds. */
export function readCsvTimestamp(text: string | undefined, column: string | undefined): Result<string | undefined> {
  if (text === undefined) return ok(undefined);
  let ms: number | undefined;
  if (/^\d{10}$/.test(text)) ms = Number(text) * 1000;
  else if (/^\d{13}$/.test(text)) ms = Number(text);
  else {
    const withZone = /[T ]\d{2}:\d{2}/.test(text) && !/(Z|[+-]\d{2}(:?\d{2})?)$/i.test(text) ? `${text.replace(' ', 'T')}Z` : text;
    ms = parseIsoTimestamp(withZone);
  }
  if (ms === undefined) {
    return reject(
      'TP_INVALID_TIMESTAMP',
      `Column ${column} holds ${JSON.stringify(text)}; write an ISO 8601 date (2026-11-23T10:15:00Z, 2026-11-23 10:15) or epoch seconds.`,
    );
  }
  return ok(new Date(ms).toISOString());
}

function hashRow(row: Record<string, string>, options: RowOptions): string {
  return createHash('sha256')
    .update(JSON.stringify([options.type, options.eventName, row]))
    .digest('hex')
    .slice(0, 32);
}
