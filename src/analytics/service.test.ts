import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createAnalytics } from './service.js';
import type { ReportPorts } from './reports/types.js';

it('runs two reports at once; the third waits its turn', async () => {
  let running = 0;
  let most = 0;
  const ports = {
    now: () => Date.parse('2026-11-30T00:00:00Z'),
    position: async () => 0,
    internalSourceIds: [],
    scanActivity: async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 20));
      running--;
      return { profiles: 0, events: 0 };
    },
  } as unknown as ReportPorts;
  const analytics = createAnalytics(ports);
  const results = await Promise.all([1, 2, 3, 4].map(() => analytics.run('cross-channel', {}, { fresh: true })));
  assert.equal(results.length, 4);
  assert.equal(most, 2);
});
