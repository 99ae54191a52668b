import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MessageStatus } from '../history/index.js';
import { type FatigueRule, fatiguedUntil, type PastMessage } from './fatigue.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-06-10T12:00:00Z');
const RULE: FatigueRule = { ignoredInARow: 3, suppressForDays: 7, by: 'content', respondWithinHours: 48 };
const TARGET = { contentId: 'c1', journeyId: 'j1' };

const message = (status: MessageStatus, hoursAgo: number, over: Partial<PastMessage> = {}): PastMessage => ({
  contentId: 'c1',
  journeyId: 'j1',
  status,
  at: NOW - hoursAgo * HOUR,
  ...over,
});
const ignored = (...hoursAgo: number[]) => hoursAgo.map((h) => message('sent', h));
/** Suppressed until the message sent `hoursAgo` plus the rule's days. */
const until = (hoursAgo: number, days = RULE.suppressForDays) => NOW - hoursAgo * HOUR + days * DAY;

describe('fatiguedUntil', () => {
  const cases: {
    name: string;
    history: PastMessage[];
    rule?: Partial<FatigueRule>;
    target?: typeof TARGET | { contentId: null; journeyId: null };
    expected: number | undefined;
  }[] = [
    { name: 'no history', history: [], expected: undefined },
    { name: 'three ignored in a row: suppressed from the last one', history: ignored(100, 200, 300), expected: until(100) },
    { name: 'two are not enough', history: ignored(100, 200), expected: undefined },
    {
      name: 'delivered and not answered is ignored',
      history: [message('delivered', 100), message('delivered', 200), message('sent', 300)],
      expected: until(100),
    },
    { name: 'the order of the history does not matter', history: ignored(300, 100, 200), expected: until(100) },
    { name: 'a response in the middle breaks the streak', history: [...ignored(100), message('opened', 200), ...ignored(300, 400)], expected: undefined },
    { name: 'a click breaks it', history: [...ignored(100, 200), message('clicked', 250), ...ignored(300)], expected: undefined },
    { name: 'a conversion breaks it', history: [...ignored(100, 200), message('converted', 250), ...ignored(300)], expected: undefined },
    { name: 'a response before the streak does not matter', history: [...ignored(100, 200, 300), message('opened', 400)], expected: until(100) },
    {
      name: 'a young message not answered yet neither extends nor breaks the streak',
      history: [message('sent', 10), ...ignored(100, 200, 300)],
      expected: until(100),
    },
    { name: 'young messages do not make a streak', history: [message('sent', 10), message('delivered', 20), ...ignored(100, 200)], expected: undefined },
    { name: 'a young message already answered breaks it', history: [message('opened', 10), ...ignored(100, 200, 300)], expected: undefined },
    { name: 'a message exactly respondWithinHours old is decided', history: ignored(48, 100, 200), expected: until(48) },
    {
      name: 'messages that never went out are skipped',
      history: [...ignored(100), message('suppressed', 150), message('deferred', 160), message('failed', 170), message('queued', 180), ...ignored(200, 300)],
      expected: until(100),
    },
    {
      name: 'a bounce breaks the streak (not ignored by the customer)',
      history: [...ignored(100, 200), message('bounced', 250), ...ignored(300)],
      expected: undefined,
    },
    { name: 'an unsubscribe breaks the streak', history: [...ignored(100, 200), message('unsubscribed', 250), ...ignored(300)], expected: undefined },
    {
      name: 'other contents are not counted',
      history: [...ignored(100, 200), message('sent', 300, { contentId: 'c2' })],
      expected: undefined,
    },
    {
      name: 'other contents\u2019 responses do not break the streak',
      history: [...ignored(100, 200), message('opened', 250, { contentId: 'c2' }), ...ignored(300)],
      expected: until(100),
    },
    {
      name: 'per journey: its contents count together',
      history: [message('sent', 100, { contentId: 'c1' }), message('sent', 200, { contentId: 'c2' }), message('sent', 300, { contentId: 'c3' })],
      rule: { by: 'journey' },
      expected: until(100),
    },
    {
      name: 'per content: the same messages are one each',
      history: [message('sent', 100, { contentId: 'c1' }), message('sent', 200, { contentId: 'c2' }), message('sent', 300, { contentId: 'c3' })],
      expected: undefined,
    },
    {
      name: 'per journey: other journeys are not counted',
      history: [...ignored(100, 200), message('sent', 300, { journeyId: 'j2' })],
      rule: { by: 'journey' },
      expected: undefined,
    },
    {
      name: 'a target with no content is never fatigued by content',
      history: [null, null, null].map((contentId, i) => message('sent', 100 * (i + 1), { contentId })),
      target: { contentId: null, journeyId: null },
      expected: undefined,
    },
    { name: 'the suppression has ended', history: ignored(8 * 24, 9 * 24, 10 * 24), expected: undefined },
    { name: 'the suppression ends exactly now', history: ignored(7 * 24, 9 * 24, 10 * 24), expected: undefined },
    { name: 'the suppression has not ended yet', history: ignored(7 * 24 - 1, 9 * 24, 10 * 24), expected: until(7 * 24 - 1) },
    { name: 'a rule of one ignored message', history: ignored(50), rule: { ignoredInARow: 1, suppressForDays: 3 }, expected: until(50, 3) },
  ];
  for (const c of cases) it(c.name, () => assert.equal(fatiguedUntil(c.history, c.target ?? TARGET, { ...RULE, ...c.rule }, NOW), c.expected));
});
