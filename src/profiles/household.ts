/** Which household an event puts a profile in, with no I/O. */
import { createHash } from 'node:crypto';
import { asObject } from './consent.js';

/**
 * A `group` call whose traits say `type: "household"` names the household
 * (`hh_` + groupId). With address matching on, an identify with
 * `traits.address` puts the profile in the household of that normalized address.
 */
export function householdOf(message: Record<string, unknown>, byAddress: boolean): string | undefined {
  if (message.type === 'group' && String(asObject(message.traits).type ?? '').toLowerCase() === 'household') {
    const groupId = message.groupId;
    return typeof groupId === 'string' || typeof groupId === 'number' ? `hh_${groupId}` : undefined;
  }
  if (byAddress && message.type === 'identify') {
    const key = addressKey(asObject(message.traits).address);
    return key ? `hh_addr_${createHash('sha256').update(key).digest('hex').slice(0, 20)}` : undefined;
  }
  return undefined;
}

/** "12 Rose St., Springfield" and "12 rose st springfield" are one address. Needs a street and a postal code or city. */
export function addressKey(address: unknown): string | undefined {
  const a = asObject(address);
  const part = (...names: string[]) => names.map((n) => a[n]).find((v) => typeof v === 'string' && v.trim() !== '') as string | undefined;
  const street = part('street', 'line1', 'address1');
  const place = part('postalCode', 'postal_code', 'zip') ?? part('city');
  if (!street || !place) return undefined;
  const normalize = (s: string) =>
    s
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  return [street, part('line2', 'address2') ?? '', place, part('country') ?? ''].map(normalize).join('|');
}
