/**
 * The three examples of docs/journeys.md work as written: their content,
 * segment and journey bodies are read from the document, sent to the API,
 * and played with a manual clock.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DIALECTS } from './support/dialects.js';
import { startHarness, type Harness } from './support/journeys.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function blocks(kind: 'content' | 'journey' | 'segment'): Record<string, unknown>[] {
  const doc = readFileSync(new URL('../../docs/journeys.md', import.meta.url), 'utf8');
  return [...doc.matchAll(new RegExp(`\`\`\`json ${kind}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => JSON.parse(m[1]!));
}

async function setUp(h: Harness): Promise<void> {
  for (const body of blocks('segment')) assert.equal((await h.api('POST', '/api/segments', body)).status, 201);
  for (const body of blocks('content')) assert.equal((await h.api('POST', '/api/content', body)).status, 201, JSON.stringify(body));
  for (const body of blocks('journey')) {
    const created = await h.api('POST', '/api/journeys', body);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((await h.api('POST', `/api/journeys/${encodeURIComponent(String(body.name))}/status`, { status: 'live' })).status, 200);
  }
  await h.settle();
}

const sentBy = async (h: Harness, user: string) => (await h.messages(`&profileId=${await h.profileOf(user)}`)).reverse().filter((m) => m.status === 'sent');

for (const dialect of DIALECTS) {
  describe(`docs/journeys.md examples (${dialect.name})`, () => {
    it('has the three examples', () => {
      assert.deepEqual(
        blocks('journey').map((j) => j.name),
        ['Welcome series', 'Abandoned cart', 'Win-back'],
      );
    });

    it('welcome series, abandoned cart and win-back work as written', async () => {
      const h = await startHarness(dialect);
      try {
        await setUp(h);
        const consent = { email: 'granted', push: 'granted' };
        await h.identify('wes', { email: 'wes@example.com', firstName: 'Wes', consent });
        await h.track('wes', 'Signed Up');
        await h.identify('cat', { email: 'cat@example.com', firstName: 'Cat', consent });
        await h.track('cat', 'Product Added', { cart_id: 'k1', name: 'Trail shoes' });
        // Bought 180 days ago less an hour: lapsed within the hour.
        await h.identify('lou', { email: 'lou@example.com', firstName: 'Lou', consent });
        await h.track('lou', 'Order Completed', { revenue: 60 }, h.tp.clock.now() - 180 * DAY + HOUR);
        await h.settle();
        assert.deepEqual(
          (await sentBy(h, 'wes')).map((m) => [m.stepId, m.rendered.subject]),
          [['welcome', 'Welcome, Wes']],
        );

        await h.advance(2 * HOUR);
        const [cartEmail] = await sentBy(h, 'cat');
        assert.equal(cartEmail.rendered.subject, 'You left Trail shoes in your cart');
        const lou = await h.api('GET', `/api/journeys/Win-back/enrolments?profileId=${await h.profileOf('lou')}`);
        assert.equal(lou.body.enrolments[0].stepId, 'morning', 'lapsed, waiting for 09:00');

        await h.advance(DAY);
        assert.deepEqual(
          (await sentBy(h, 'cat')).map((m) => [m.stepId, m.rendered.deepLink ?? null]),
          [
            ['email', null],
            ['push', 'shop://cart/k1'],
          ],
        );
        const [winback] = await sentBy(h, 'lou');
        assert.ok(['offer', 'plain'].includes(winback.stepId));
        assert.equal(winback.arm, winback.stepId);
        const profile = await h.api('GET', `/api/profiles/${await h.profileOf('lou')}`);
        assert.equal(profile.body.traits.winback_at, 'sent');

        await h.advance(DAY);
        assert.deepEqual(
          (await sentBy(h, 'wes')).map((m) => m.stepId),
          ['welcome', 'ideas'],
        );
        const stats = (await h.api('GET', '/api/journeys/Win-back/stats')).body.stats;
        assert.equal(stats.arms.find((a: { arm: string }) => a.arm === winback.arm).sent, 1);
      } finally {
        await h.dispose();
      }
    });
  });
}
