/**
 * A segment back-fill is a stored job: the server killed with SIGKILL in the
 * middle of it, then started again, finishes it with the right members.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { callServer, startServerProcess } from './support/process.js';
import { ADMIN_TOKEN } from './support/touchpoint.js';

const PEOPLE = 3000;

const call = callServer;

async function until<T>(what: string, check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

it('resumes a segment back-fill cut short by SIGKILL, and finishes with the right members', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'touchpoint-jobs-crash-'));
  const env = {
    TOUCHPOINT_DATABASE_URL: `sqlite:${join(dir, 'tp.db')}`,
    TOUCHPOINT_ADMIN_TOKEN: ADMIN_TOKEN,
    TOUCHPOINT_LOG_LEVEL: 'warn',
    TOUCHPOINT_BACKFILL_PAGE_SIZE: '5',
    TOUCHPOINT_JOB_LEASE_MS: '1000',
  };
  try {
    let server = await startServerProcess(env);
    const { writeKey } = await call(server, 'POST', '/api/sources', { name: 'Shop', channel: 'web' });
    for (let start = 0; start < PEOPLE; start += 500) {
      const batch = Array.from({ length: 500 }, (_, i) => ({
        type: 'identify',
        userId: `p${start + i}`,
        traits: { tier: (start + i) % 3 === 0 ? 'gold' : 'silver' },
      }));
      await call(server, 'POST', '/v1/batch', { batch }, `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`);
    }
    await until('the pipeline to catch up', async () => ((await call(server, 'GET', '/ready')).pipeline.lagEvents === 0 ? true : undefined));
    const { id } = await call(server, 'POST', '/api/segments', { name: 'Gold', condition: { trait: 'tier', op: 'eq', value: 'gold' } });
    const midway = await until('the back-fill to be under way', async () => {
      const segment = await call(server, 'GET', `/api/segments/${id}`);
      return segment.status === 'evaluating' && segment.progress > 0.05 && segment.progress < 0.9 ? segment.progress : undefined;
    });
    server.kill();
    await server.exited;

    server = await startServerProcess(env);
    const done = await until('the back-fill to finish after the restart', async () => {
      const segment = await call(server, 'GET', `/api/segments/${id}`);
      return segment.status === 'ready' ? segment : undefined;
    });
    assert.ok(midway < 1, `killed at ${Math.round(midway * 100)}%`);
    assert.equal(done.size, PEOPLE / 3, 'every gold customer, once');
    const jobs = (await call(server, 'GET', '/api/jobs?kind=segment-backfill')).jobs;
    assert.deepEqual(
      jobs.map((j: { status: string; subject: string }) => [j.subject, j.status]),
      [[id, 'done']],
      'the same job, resumed',
    );
    server.kill();
    await server.exited;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
