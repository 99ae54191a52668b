import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retryDelay } from './delivery.js';
import { secretProblem, settingsProblems, urlProblem, withDefaults } from './input.js';

const key = (bytes: number) => `whsec_${Buffer.alloc(bytes, 1).toString('base64')}`;

describe('destination settings', () => {
  const cases: [string, string | undefined][] = [
    ['https://ads.example.com/in', undefined],
    ['http://127.0.0.1:8080/hook', undefined],
    ['ftp://example.com/x', 'url must be http or https, not ftp'],
    ['javascript:alert(1)', 'url must be http or https, not javascript'],
    ['example.com/hook', 'url "example.com/hook" is not an absolute URL'],
    ['https://user:pw@example.com/', 'url must not carry a user name or password: the secret signs each request'],
  ];
  for (const [url, problem] of cases) it(`url ${url}`, () => assert.equal(urlProblem(url), problem));

  const secrets: [string, boolean][] = [
    [key(24), true],
    [key(64), true],
    [key(23), false],
    [key(65), false],
    [key(24).slice(6), false],
    [`${key(25).replace(/=+$/, '')}`, false],
    ['whsec_not base64!', false],
  ];
  for (const [secret, ok] of secrets)
    it(`secret ${secret.slice(0, 16)}… (${secret.length} chars) ${ok ? 'taken' : 'refused'}`, () => assert.equal(secretProblem(secret) === undefined, ok));

  it('defaults: a webhook, both identifiers, Google rules, batches of 1000', () => {
    assert.deepEqual(withDefaults({ name: 'x', segment: 's', url: 'https://a.example' }), {
      kind: 'webhook',
      url: 'https://a.example',
      secret: null,
      batchSize: 1000,
      identifiers: ['email', 'phone'],
      hashing: 'google',
    });
  });

  it('lists every problem at once', () => {
    const settings = { ...withDefaults({ name: 'x', segment: 's' }), batchSize: 0, identifiers: [] };
    assert.deepEqual(settingsProblems(settings), [
      'batchSize must be a whole number from 1 to 10000, not 0',
      'identifiers must list one or both of email, phone',
      'a webhook destination needs a url',
    ]);
    assert.deepEqual(settingsProblems({ ...withDefaults({ name: 'x', segment: 's', kind: 'csv' }) }), []);
  });
});

describe('retryDelay', () => {
  it('doubles from the base up to the ceiling', () => {
    const o = { backoffMs: 30_000, maxBackoffMs: 300_000 };
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].map((a) => retryDelay(a, o)),
      [30_000, 60_000, 120_000, 240_000, 300_000, 300_000],
    );
  });
});
