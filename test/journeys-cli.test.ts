/** `touchpoint journeys list|show|pause|resume` on a store a server is using. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cli } from './support/cli.js';
import { DIALECTS } from './support/dialects.js';
import { startHarness } from './support/journeys.js';

for (const dialect of DIALECTS) {
  describe(`touchpoint journeys (${dialect.name})`, () => {
    it('lists, shows with stats, pauses and resumes; an unknown journey is an error with its code', async () => {
      const h = await startHarness(dialect);
      try {
        const env = { TOUCHPOINT_DATABASE_URL: h.tp.config.databaseUrl };
        assert.match((await cli(['journeys', 'list'], env)).stdout, /No journeys yet/);
        await h.content('Hi', { email: { subject: 'Hi', html: 'x' } });
        await h.journey('Welcome', { entry: { event: { name: 'Signed Up' } }, steps: [{ id: 'hello', send: { channel: 'email', content: 'Hi' } }] });
        await h.identify('u1', { email: 'a@example.com', consent: { email: 'granted' } });
        await h.track('u1', 'Signed Up');
        await h.settle();

        const list = await cli(['journeys', 'list'], env);
        assert.equal(list.code, 0, list.stderr);
        assert.match(list.stdout, /Welcome\s+live\s+v1\s+entry event\s+1 steps/);
        const show = await cli(['journeys', 'show', 'Welcome'], env);
        assert.match(show.stdout, /entered 1, in it now 0, ended: completed 1/);
        assert.match(show.stdout, /messages: sent 1, suppressed 0, failed 0/);
        assert.match(show.stdout, /hello\s+send\s+1 \/ 0 \/ 1 \/ 1/);

        const pause = await cli(['journeys', 'pause', 'Welcome'], env);
        assert.match(pause.stdout, /Paused Welcome/);
        assert.equal((await h.api('GET', '/api/journeys/Welcome')).body.status, 'paused');
        const resume = await cli(['journeys', 'resume', 'Welcome', '--json'], env);
        assert.equal(JSON.parse(resume.stdout).status, 'live');

        const missing = await cli(['journeys', 'show', 'Nope'], env);
        assert.equal(missing.code, 1);
        assert.match(missing.stderr, /error TP_JOURNEY_NOT_FOUND: No journey has the id or name "Nope"/);
      } finally {
        await h.dispose();
      }
    });
  });
}
