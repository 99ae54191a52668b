/**
 * Password hashes: scrypt from node:crypto, stored as
 * `scrypt$N$r$p$salt_b64$hash_b64` so that the cost can be raised later and
 * old hashes still verify with the parameters they were made with.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { TouchpointError } from '../errors.js';

export const MIN_PASSWORD_LENGTH = 10;
/** Generous for passwords, small enough that a huge body cannot make hashing costly. */
export const MAX_PASSWORD_LENGTH = 1024;

export interface ScryptHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

export const SCRYPT_COST = { N: 16384, r: 8, p: 1 } as const;
const KEY_LENGTH = 64;
const SALT_LENGTH = 16;

/** The rule a new password must follow; undefined when it does. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `A password needs at least ${MIN_PASSWORD_LENGTH} characters; this one has ${password.length}.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `A password may have at most ${MAX_PASSWORD_LENGTH} characters.`;
  return undefined;
}

export function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem) throw new TouchpointError('TP_INVALID_PASSWORD', problem);
}

export function formatHash(h: ScryptHash): string {
  return ['scrypt', h.N, h.r, h.p, h.salt.toString('base64'), h.hash.toString('base64')].join('$');
}

/** Reads a stored hash; undefined when it is not one this code made. */
export function parseHash(text: string): ScryptHash | undefined {
  const parts = text.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map((n) => (/^[1-9][0-9]{0,7}$/.test(n!) ? Number(n) : Number.NaN)) as [number, number, number];
  // Bounds keep a stored hash from asking for unbounded memory or time.
  if (!(N >= 2 && N <= 2 ** 20 && (N & (N - 1)) === 0 && r <= 32 && p <= 16)) return undefined;
  const salt = Buffer.from(parts[4]!, 'base64');
  const hash = Buffer.from(parts[5]!, 'base64');
  if (salt.length === 0 || hash.length === 0) return undefined;
  return { N, r, p, salt, hash };
}

function derive(password: string, salt: Buffer, length: number, cost: ScryptOptions & { N: number; r: number }): Promise<Buffer> {
  // 128 * N * r bytes of memory; Node refuses above maxmem (32 MB by default).
  const maxmem = 256 * cost.N * cost.r;
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, length, { ...cost, maxmem }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const hash = await derive(password, salt, KEY_LENGTH, SCRYPT_COST);
  return formatHash({ ...SCRYPT_COST, salt, hash });
}

/** Whether the password matches the stored hash; a hash that cannot be read matches nothing. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const derived = await derive(password, parsed.salt, parsed.hash.length, parsed);
  return timingSafeEqual(derived, parsed.hash);
}
