/** npm test itself: a suite that cannot run here is counted as skipped and named, never silently passed over. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { it } from 'node:test';

const ROOT = new URL('../../', import.meta.url).pathname;

it('counts the browser SDK tests as skipped without Chromium, and names the suite and the reason', () => {
  // NODE_TEST_CONTEXT would make the inner runner report to this one instead of printing.
  const { NODE_TEST_CONTEXT: _inner, ...env } = process.env;
  const run = spawnSync(process.execPath, ['scripts/run-tests.mjs', 'browser-sdk.test'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...env, TOUCHPOINT_TEST_CHROMIUM: '/nonexistent/chromium' },
  });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^# skipped 2$/m);
  assert.match(
    run.stdout,
    /^skipped: official browser SDKs in Chromium: \/nonexistent\/chromium is missing \(apt-get install chromium\) \(2 tests: @segment\/analytics-next sends identify, track and page; @rudderstack\/analytics-js sends identify, track and page\)$/m,
  );
});
