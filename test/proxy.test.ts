/** Behind a reverse proxy: X-Forwarded-* headers count only from the proxies TOUCHPOINT_TRUST_PROXY names. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIALECTS } from './support/dialects.js';
import { startTestServer } from './support/touchpoint.js';

/** A browser loaded https://collect.example.com through a proxy that reached Touchpoint at 10.1.2.3:4000 over http. */
const proxied = { host: '10.1.2.3:4000', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'collect.example.com' };

for (const dialect of DIALECTS) {
  describe(`proxy headers on ${dialect.name}`, () => {
    const settings = async (env: Record<string, string>, remoteAddress = '127.0.0.1') => {
      // The settings route is all this reads: no pipeline (its worker thread would start and stop with each of these servers).
      const tp = await startTestServer(dialect, env, { startPipeline: false });
      try {
        const { writeKey } = await tp.createSource();
        const response = await tp.app.inject({ method: 'GET', url: `/v1/projects/${writeKey}/settings`, headers: proxied, remoteAddress });
        assert.equal(response.statusCode, 200, response.body);
        const { apiHost, protocol } = response.json().integrations['Segment.io'];
        return { apiHost, protocol };
      } finally {
        await tp.dispose();
      }
    };

    it('ignores X-Forwarded-* by default: anyone could send them', async () => {
      assert.deepEqual(await settings({}), { apiHost: '10.1.2.3:4000/v1', protocol: 'http' });
    });

    it('points analytics.js at the forwarded host and scheme when the proxy is trusted', async () => {
      for (const trust of ['true', '127.0.0.1', '10.0.0.0/8,127.0.0.0/8', 'loopback']) {
        assert.deepEqual(await settings({ TOUCHPOINT_TRUST_PROXY: trust }), { apiHost: 'collect.example.com/v1', protocol: 'https' }, trust);
      }
    });

    it('ignores X-Forwarded-* from an address that is not a trusted proxy', async () => {
      assert.deepEqual(await settings({ TOUCHPOINT_TRUST_PROXY: '10.0.0.0/8' }, '192.0.2.7'), { apiHost: '10.1.2.3:4000/v1', protocol: 'http' });
      assert.deepEqual(await settings({ TOUCHPOINT_TRUST_PROXY: 'false' }), { apiHost: '10.1.2.3:4000/v1', protocol: 'http' });
    });
  });
}
