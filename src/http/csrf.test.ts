import assert from 'node:assert/strict';
import { it } from 'node:test';
import { clearedSessionCookie, parseCookies, sessionCookie } from './cookies.js';
import { checkCsrfToken, sameHost } from './csrf.js';

it('an Origin matches the host the request went to, default ports included', () => {
  const cases: [string, string, string, boolean][] = [
    ['http://localhost:4000', 'http', 'localhost:4000', true],
    ['https://cx.example.com', 'https', 'cx.example.com', true],
    ['https://cx.example.com', 'https', 'cx.example.com:443', true],
    ['http://cx.example.com', 'http', 'cx.example.com:80', true],
    // TLS ended at a proxy that is not trusted: the request looks like plain http to the same host.
    ['https://cx.example.com', 'http', 'cx.example.com', true],
    ['https://cx.example.com:8443', 'https', 'cx.example.com', false],
    ['https://CX.example.com', 'https', 'cx.example.com', true],
    ['https://evil.example', 'https', 'cx.example.com', false],
    ['http://localhost:5173', 'http', 'localhost:4000', false],
    ['https://cx.example.com.evil.example', 'https', 'cx.example.com', false],
    ['null', 'https', 'cx.example.com', false],
  ];
  for (const [origin, protocol, host, same] of cases) assert.equal(sameHost(origin, protocol, host), same, `${origin} vs ${host}`);
});

it('the CSRF token must be sent exactly', () => {
  assert.doesNotThrow(() => checkCsrfToken('abc123', 'abc123'));
  for (const sent of [undefined, '', 'abc12', 'abc1234', ['abc123']]) {
    assert.throws(
      () => checkCsrfToken(sent, 'abc123'),
      (e: Error & { code?: string }) => e.code === 'TP_CSRF',
      String(sent),
    );
  }
});

it('reads the session cookie among others and writes it with its attributes', () => {
  assert.equal(parseCookies('a=1; tp_session=xyz; b=2').get('tp_session'), 'xyz');
  assert.equal(parseCookies(undefined).size, 0);
  assert.equal(parseCookies('tp_session=first; tp_session=second').get('tp_session'), 'first');
  assert.equal(sessionCookie('tok', false), 'tp_session=tok; HttpOnly; SameSite=Strict; Path=/; Max-Age=604800');
  assert.equal(sessionCookie('tok', true), 'tp_session=tok; HttpOnly; SameSite=Strict; Path=/; Max-Age=604800; Secure');
  assert.equal(clearedSessionCookie(false), 'tp_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0');
});
