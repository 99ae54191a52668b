import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkPassword, formatHash, hashPassword, parseHash, passwordProblem, SCRYPT_COST, verifyPassword } from './password.js';

describe('password hashes', () => {
  it('are scrypt$N$r$p$salt$hash with a 16-byte salt and a 64-byte key, and verify', async () => {
    const stored = await hashPassword('correct horse battery');
    const parts = stored.split('$');
    assert.deepEqual(parts.slice(0, 4), ['scrypt', '16384', '8', '1']);
    const parsed = parseHash(stored);
    assert.equal(parsed?.salt.length, 16);
    assert.equal(parsed?.hash.length, 64);
    assert.equal(formatHash(parsed!), stored);
    assert.equal(await verifyPassword('correct horse battery', stored), true);
    assert.equal(await verifyPassword('correct horse batterY', stored), false);
  });

  it('differ for the same password (a fresh salt each time)', async () => {
    assert.notEqual(await hashPassword('same password'), await hashPassword('same password'));
  });

  it('verify with the parameters stored in the hash, not the current ones', async () => {
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.from('0123456789abcdef');
    const hash = scryptSync('older password', salt, 32, { N: 1024, r: 4, p: 1 });
    const stored = formatHash({ N: 1024, r: 4, p: 1, salt, hash });
    assert.notDeepEqual({ N: 1024, r: 4, p: 1 }, SCRYPT_COST);
    assert.equal(await verifyPassword('older password', stored), true);
  });

  it('refuse what they cannot read: it matches no password', async () => {
    const cases = [
      '',
      'bcrypt$2b$10$abc',
      'scrypt$16384$8$1$c2FsdA==',
      'scrypt$16385$8$1$c2FsdA==$aGFzaA==', // N not a power of two
      'scrypt$2097152$8$1$c2FsdA==$aGFzaA==', // N above 2^20
      'scrypt$16384$64$1$c2FsdA==$aGFzaA==', // r too large
      'scrypt$16384$8$1$$aGFzaA==',
      'scrypt$-1$8$1$c2FsdA==$aGFzaA==',
      'scrypt$1e4$8$1$c2FsdA==$aGFzaA==',
    ];
    for (const text of cases) assert.equal(parseHash(text), undefined, text);
    assert.equal(await verifyPassword('anything at all', 'not a hash'), false);
  });
});

describe('the password rule', () => {
  it('asks for at least 10 characters and says so', () => {
    assert.equal(passwordProblem('0123456789'), undefined);
    assert.match(passwordProblem('short') ?? '', /at least 10 characters; this one has 5/);
    assert.throws(
      () => checkPassword('123456789'),
      (e: Error & { code?: string }) => e.code === 'TP_INVALID_PASSWORD',
    );
  });
});
