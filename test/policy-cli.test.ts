/** `touchpoint policy show|set|simulate` on a store a server is using. */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli } from './support/cli.js';
import { DIALECTS } from './support/dialects.js';
import { startHarness } from './support/journeys.js';

for (const dialect of DIALECTS) {
  describe(`touchpoint policy (${dialect.name})`, () => {
    it('shows, sets from a file, refuses a bad one with its code, and simulates rule by rule', async () => {
      const h = await startHarness(dialect);
      const dir = tmpdir();
      try {
        const env = { TOUCHPOINT_DATABASE_URL: h.tp.config.databaseUrl };
        assert.match((await cli(['policy', 'show'], env)).stdout, /version 0 \(never saved: consent only\)/);

        const good = join(dir, `policy-${process.pid}-good.json`);
        writeFileSync(good, JSON.stringify({ caps: [{ max: 0, withinHours: 24 }] }));
        const set = await cli(['policy', 'set', good], env);
        assert.equal(set.code, 0, set.stderr);
        assert.match(set.stdout, /Saved: version 1/);
        assert.equal((await h.api('GET', '/api/policy')).body.version, 1, 'the server sees the new version');

        const bad = join(dir, `policy-${process.pid}-bad.json`);
        writeFileSync(bad, JSON.stringify({ caps: [{ max: -1, withinHours: 24 }] }));
        const refused = await cli(['policy', 'set', bad], env);
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /error TP_INVALID_POLICY: The policy is not valid: \/caps\/0\/max/);
        const notJson = join(dir, `policy-${process.pid}-notjson.json`);
        writeFileSync(notJson, '{ caps: ');
        assert.match((await cli(['policy', 'set', notJson], env)).stderr, /error TP_INVALID_JSON/);
        assert.equal(JSON.parse((await cli(['policy', 'show', '--json'], env)).stdout).version, 1, 'still version 1');

        await h.identify('u1', { email: 'a@example.com', consent: { email: 'granted' } });
        await h.settle();
        const id = await h.profileOf('u1');
        const sim = await cli(['policy', 'simulate', '--profile', id, '--channel', 'email'], env);
        assert.equal(sim.code, 0, sim.stderr);
        assert.match(sim.stdout, /^suppress \(frequency_cap\), policy version 1, zone UTC/);
        assert.match(sim.stdout, /frequency_cap\s+skip\s+email {2}frequency_cap {2}0 per 24 h/);
        const badChannel = await cli(['policy', 'simulate', '--profile', id, '--channel', 'fax'], env);
        assert.notEqual(badChannel.code, 0);
        assert.match(badChannel.stderr, /Allowed choices are email, sms, push, webhook/);
        const nobody = await cli(['policy', 'simulate', '--profile', 'prf_nobody', '--channel', 'email'], env);
        assert.match(nobody.stderr, /error TP_PROFILE_NOT_FOUND/);
      } finally {
        await h.dispose();
      }
    });
  });
}
