/**
 * Emails and phone numbers normalised and SHA-256-hashed the way the ad
 * platforms hash their own users' before matching: a hash only matches when
 * both sides normalised alike, so the rules are the platforms', not ours.
 *
 * - google (Customer Match, Google Ads API "normalize and hash"): email
 *   trimmed and lower-cased, and for gmail.com / googlemail.com addresses
 *   every "." before the "@" removed (Gmail ignores them); phone in E.164
 *   with its "+" (e.g. +14155552671).
 * - meta (Custom Audiences customer files, Marketing API): email trimmed and
 *   lower-cased, dots kept; phone as digits only, country code first, no "+"
 *   (e.g. 14155552671).
 *
 * Hashes are SHA-256 of the UTF-8 text, as 64 lower-case hex characters.
 * A value that is not an email or a valid phone number gives no hash.
 */
import { createHash } from 'node:crypto';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

export const HASHING_RULES = ['google', 'meta'] as const;
export type HashingRules = (typeof HASHING_RULES)[number];

export const IDENTIFIER_KINDS = ['email', 'phone'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

export interface HashOptions {
  rules: HashingRules;
  /** Which identifiers to send at all. */
  identifiers: readonly IdentifierKind[];
  /** Region for phone numbers written without a country code, e.g. "DE". */
  phoneRegion?: string;
}

/** A profile's contact traits as the profiles module holds them (any JSON value). */
export interface Contact {
  email?: unknown;
  phone?: unknown;
}

export interface Hashes {
  emailSha256: string | null;
  phoneSha256: string | null;
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const GMAIL = new Set(['gmail.com', 'googlemail.com']);

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function text(raw: unknown): string | undefined {
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  if (typeof raw !== 'string') return undefined;
  const value = raw.trim();
  return value === '' || value.length > 512 ? undefined : value;
}

export function normalizeEmail(raw: unknown, rules: HashingRules): string | undefined {
  const email = text(raw)?.toLowerCase();
  if (email === undefined || !EMAIL.test(email)) return undefined;
  if (rules !== 'google') return email;
  const at = email.lastIndexOf('@');
  const domain = email.slice(at + 1);
  return GMAIL.has(domain) ? `${email.slice(0, at).replaceAll('.', '')}@${domain}` : email;
}

export function normalizePhone(raw: unknown, rules: HashingRules, phoneRegion?: string): string | undefined {
  const value = text(raw);
  if (value === undefined) return undefined;
  // "00" is the international prefix in most of the world: 0049... is +49...
  const phone = parsePhoneNumberFromString(value.replace(/^00/, '+'), phoneRegion as CountryCode | undefined);
  if (!phone?.isValid()) return undefined;
  return rules === 'google' ? phone.number : phone.number.slice(1);
}

/** The hashes of a contact's identifiers that the destination sends; null for one it does not send or the profile lacks. */
export function hashContact(contact: Contact, options: HashOptions): Hashes {
  const wanted = (kind: IdentifierKind) => options.identifiers.includes(kind);
  const email = wanted('email') ? normalizeEmail(contact.email, options.rules) : undefined;
  const phone = wanted('phone') ? normalizePhone(contact.phone, options.rules, options.phoneRegion) : undefined;
  return { emailSha256: email === undefined ? null : sha256Hex(email), phoneSha256: phone === undefined ? null : sha256Hex(phone) };
}

/** Whether there is anything a platform could match on. */
export const matchable = (hashes: Hashes) => hashes.emailSha256 !== null || hashes.phoneSha256 !== null;
