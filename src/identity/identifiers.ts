/** Reading identifiers out of a message and normalizing them, with no I/O. */
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { KindSpec, Normalizer } from './kinds.js';

export interface Identifier {
  kind: string;
  value: string;
}

export const identifierKey = (id: Identifier) => `${id.kind}:${id.value}`;

export interface NormalizeOptions {
  /** Region for phone numbers written without a country code, e.g. "DE". */
  phoneRegion?: string;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function normalizeIdentifier(normalize: Normalizer, raw: unknown, options: NormalizeOptions = {}): string | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw)) raw = String(raw);
  if (typeof raw !== 'string') return undefined;
  const value = raw.trim();
  if (value === '' || value.length > 512) return undefined;
  switch (normalize) {
    case 'email': {
      const email = value.toLowerCase();
      return EMAIL.test(email) ? email : undefined;
    }
    case 'phone': {
      const phone = parsePhoneNumberFromString(value.replace(/^00/, '+'), options.phoneRegion as CountryCode | undefined);
      return phone?.isValid() ? phone.number : undefined;
    }
    default:
      return value;
  }
}

/** The identifiers of a message, in kind priority order, without repeats. */
export function extractIdentifiers(message: Record<string, unknown>, kinds: readonly KindSpec[], options: NormalizeOptions = {}): Identifier[] {
  const found: Identifier[] = [];
  const seen = new Set<string>();
  for (const spec of kinds) {
    for (const path of spec.paths) {
      const value = normalizeIdentifier(spec.normalize, readPath(message, path), options);
      if (value === undefined) continue;
      const id = { kind: spec.kind, value };
      if (seen.has(identifierKey(id))) continue;
      seen.add(identifierKey(id));
      found.push(id);
    }
  }
  return found;
}

const splitPaths = new Map<string, string[]>();

export function readPath(value: unknown, path: string): unknown {
  let parts = splitPaths.get(path);
  if (!parts) {
    parts = path.split('.');
    if (splitPaths.size < 10_000) splitPaths.set(path, parts);
  }
  let current = value;
  for (const part of parts) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}
