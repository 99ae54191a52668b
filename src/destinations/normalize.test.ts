import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashContact, normalizeEmail, normalizePhone, sha256Hex, type HashingRules } from './normalize.js';

// Digests computed apart from this code (printf '%s' VALUE | sha256sum), so that the test checks the hashing too.
const KNOWN: [string, string][] = [
  ['test@example.com', '973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b'],
  ['johnsmith@gmail.com', '3586de92bb3636d0885a12eff961429a32e4ebd764b96f50d85d016f9338d586'],
  ['john.smith@gmail.com', 'd0c648bc36f12061bec770df216cea2ab95851b9350fd54b658de53b0407767a'],
  ['+14155552671', 'cb6880e416769253645cb9c6b8989154bf66a56a77fc14c81fb1019663cbb928'],
  ['14155552671', '758fbf68945f21c416814c539ab578876c8d98fb69e6da692def92cd52417fe0'],
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
];

describe('sha256Hex', () => {
  for (const [value, digest] of KNOWN) it(`sha256(${JSON.stringify(value)})`, () => assert.equal(sha256Hex(value), digest));
});

const EMAILS: { raw: unknown; rules: HashingRules; expect: string | undefined; why: string }[] = [
  { raw: '  Test@Example.COM ', rules: 'google', expect: 'test@example.com', why: 'trimmed and lower-cased' },
  { raw: 'John.Smith@GMail.com', rules: 'google', expect: 'johnsmith@gmail.com', why: 'Google: dots before the @ of gmail.com go' },
  { raw: 'j.o.h.n@googlemail.com', rules: 'google', expect: 'john@googlemail.com', why: 'and of googlemail.com' },
  { raw: 'John.Smith@GMail.com', rules: 'meta', expect: 'john.smith@gmail.com', why: 'Meta keeps them' },
  { raw: 'john.smith@example.com', rules: 'google', expect: 'john.smith@example.com', why: 'other domains keep their dots' },
  { raw: 'john+news@gmail.com', rules: 'google', expect: 'john+news@gmail.com', why: 'a +tag is not removed (Google does not ask it)' },
  { raw: 'not an email', rules: 'google', expect: undefined, why: 'no @' },
  { raw: 'a@b', rules: 'google', expect: undefined, why: 'no domain dot' },
  { raw: 42, rules: 'google', expect: undefined, why: 'a number' },
  { raw: { email: 'x@y.z' }, rules: 'google', expect: undefined, why: 'an object' },
  { raw: '   ', rules: 'meta', expect: undefined, why: 'blank' },
  { raw: undefined, rules: 'meta', expect: undefined, why: 'absent' },
];

describe('normalizeEmail', () => {
  for (const c of EMAILS) it(`${JSON.stringify(c.raw)} (${c.rules}): ${c.why}`, () => assert.equal(normalizeEmail(c.raw, c.rules), c.expect));
});

const PHONES: { raw: unknown; rules: HashingRules; region?: string; expect: string | undefined; why: string }[] = [
  { raw: '+1 (415) 555-2671', rules: 'google', expect: '+14155552671', why: 'E.164 with its +' },
  { raw: '+1 (415) 555-2671', rules: 'meta', expect: '14155552671', why: 'Meta: digits only, country code first' },
  { raw: '0014155552671', rules: 'google', expect: '+14155552671', why: '00 is the international prefix' },
  { raw: '(415) 555-2671', rules: 'google', region: 'US', expect: '+14155552671', why: 'the default region fills the country code' },
  { raw: '0151 23456789', rules: 'google', region: 'DE', expect: '+4915123456789', why: 'a national number loses its trunk 0' },
  { raw: '0151 23456789', rules: 'meta', region: 'DE', expect: '4915123456789', why: 'no leading zero for Meta either' },
  { raw: '(415) 555-2671', rules: 'google', expect: undefined, why: 'no country code and no region' },
  { raw: '+1 555', rules: 'google', expect: undefined, why: 'too short to be valid' },
  { raw: 'call me', rules: 'google', expect: undefined, why: 'not a number' },
  { raw: 14155552671, rules: 'google', region: 'US', expect: '+14155552671', why: 'a JSON number is read as digits' },
  { raw: null, rules: 'google', expect: undefined, why: 'null' },
];

describe('normalizePhone', () => {
  for (const c of PHONES) {
    it(`${JSON.stringify(c.raw)} (${c.rules}${c.region ? `, ${c.region}` : ''}): ${c.why}`, () =>
      assert.equal(normalizePhone(c.raw, c.rules, c.region), c.expect));
  }
});

describe('hashContact', () => {
  const both = ['email', 'phone'] as const;
  it('hashes the normalised values', () => {
    assert.deepEqual(hashContact({ email: ' TEST@example.com', phone: '+1 415 555 2671' }, { rules: 'google', identifiers: both }), {
      emailSha256: KNOWN[0]![1],
      phoneSha256: KNOWN[3]![1],
    });
    assert.deepEqual(hashContact({ email: 'John.Smith@gmail.com', phone: '+1 415 555 2671' }, { rules: 'meta', identifiers: both }), {
      emailSha256: KNOWN[2]![1],
      phoneSha256: KNOWN[4]![1],
    });
  });
  it('leaves out what the destination does not send, and what does not parse', () => {
    assert.deepEqual(hashContact({ email: 'test@example.com', phone: '+14155552671' }, { rules: 'google', identifiers: ['email'] }), {
      emailSha256: KNOWN[0]![1],
      phoneSha256: null,
    });
    assert.deepEqual(hashContact({ email: 'nope', phone: 'nope' }, { rules: 'google', identifiers: both }), { emailSha256: null, phoneSha256: null });
    assert.deepEqual(hashContact({}, { rules: 'google', identifiers: both }), { emailSha256: null, phoneSha256: null });
  });
});
