/**
 * A server killed with SIGKILL while clients are sending loses no event it had
 * acknowledged: every messageId that got a 200 is in the store afterwards.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../src/config.js';
import { openTouchpoint } from '../src/main.js';
import { startServerProcess as startServer } from './support/process.js';
import { ADMIN_TOKEN } from './support/touchpoint.js';

it('loses no acknowledged event when the process is killed mid-stream', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'touchpoint-crash-'));
  const env = { TOUCHPOINT_DATABASE_URL: `sqlite:${join(dir, 'tp.db')}`, TOUCHPOINT_ADMIN_TOKEN: ADMIN_TOKEN, TOUCHPOINT_LOG_LEVEL: 'warn' };
  try {
    const server = await startServer(env);
    const created = await fetch(`${server.url}/api/sources`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Crash test', channel: 'web' }),
    });
    const { writeKey } = (await created.json()) as { writeKey: string };
    const acknowledged: string[] = [];
    let stop = false;
    const client = async (c: number) => {
      for (let r = 0; !stop; r++) {
        const batch = Array.from({ length: 50 }, (_, i) => ({ type: 'track', userId: `c${c}`, event: 'E', messageId: `c${c}-r${r}-${i}` }));
        try {
          const response = await fetch(`${server.url}/v1/batch`, {
            method: 'POST',
            headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
            body: JSON.stringify({ batch }),
          });
          if (response.status === 200) acknowledged.push(...batch.map((m) => m.messageId));
        } catch {
          return; // the server is gone: whatever was not answered was not acknowledged
        }
      }
    };
    const clients = Array.from({ length: 8 }, (_, c) => client(c));
    while (acknowledged.length < 5000) await sleep(20);
    server.kill();
    await server.exited;
    stop = true;
    await Promise.all(clients);

    const tp = await openTouchpoint(loadConfig(env));
    try {
      const stored = new Set<string>();
      for (let p = 0; p < tp.log.partitions; p++) {
        for (let after = 0; ; ) {
          const page = await tp.log.read(p, after, 5000);
          if (page.length === 0) break;
          for (const e of page) stored.add(e.messageId);
          after = page[page.length - 1]!.seq;
        }
      }
      const lost = acknowledged.filter((id) => !stored.has(id));
      assert.ok(acknowledged.length >= 5000);
      assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged events were lost`);
    } finally {
      await tp.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
