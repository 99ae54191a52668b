import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSession, expiryOf, FAILURE_WINDOW_MS, lockedFor, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from './limits.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('sessions', () => {
  const start = 1_000_000_000;
  const fresh = { createdAt: start, lastSeenAt: start, expiresAt: expiryOf(start, start) };

  it('end 12 hours after the last request, 7 days after sign-in at the latest', () => {
    assert.equal(fresh.expiresAt, start + SESSION_IDLE_MS);
    assert.equal(expiryOf(start, start + 7 * 24 * HOUR - HOUR), start + SESSION_ABSOLUTE_MS);
  });

  const cases: { description: string; times: typeof fresh; at: number; expected: ReturnType<typeof checkSession> }[] = [
    { description: 'a request within the minute writes nothing', times: fresh, at: start + 59_000, expected: { kind: 'valid' } },
    {
      description: 'a request a minute later slides the idle timeout',
      times: fresh,
      at: start + MINUTE,
      expected: { kind: 'valid', touch: { lastSeenAt: start + MINUTE, expiresAt: start + MINUTE + SESSION_IDLE_MS } },
    },
    { description: 'idle for 12 hours: ended', times: fresh, at: start + 12 * HOUR, expected: { kind: 'expired' } },
    {
      description: 'busy near the end of the week: slides only up to the absolute end',
      times: { createdAt: start, lastSeenAt: start + 160 * HOUR, expiresAt: start + 168 * HOUR },
      at: start + 167 * HOUR,
      expected: { kind: 'valid', touch: { lastSeenAt: start + 167 * HOUR, expiresAt: start + SESSION_ABSOLUTE_MS } },
    },
    {
      description: 'at the absolute end: ended however recent the last request',
      times: { createdAt: start, lastSeenAt: start + 168 * HOUR - MINUTE, expiresAt: start + 168 * HOUR },
      at: start + 168 * HOUR,
      expected: { kind: 'expired' },
    },
  ];
  for (const c of cases) it(c.description, () => assert.deepEqual(checkSession(c.times, c.at), c.expected));
});

describe('sign-in lock-out', () => {
  const now = 10 * HOUR;
  it('locks after 5 failures within 15 minutes, until the oldest of them leaves the window', () => {
    const four = [now - 10 * MINUTE, now - 3 * MINUTE, now - 2 * MINUTE, now - MINUTE];
    assert.equal(lockedFor(four, now), 0);
    const five = [...four, now];
    assert.equal(lockedFor(five, now), 5 * MINUTE);
    assert.equal(lockedFor(five, now + 5 * MINUTE), 0);
  });

  it('counts only failures within the window, in any order', () => {
    const old = [now - FAILURE_WINDOW_MS, now - FAILURE_WINDOW_MS - 1];
    assert.equal(lockedFor([...old, now, now - 1, now - 2], now), 0);
    assert.equal(lockedFor([now - 2, now, now - 4, now - 3, now - 1, now - 14 * MINUTE], now), FAILURE_WINDOW_MS - 4);
  });
});
