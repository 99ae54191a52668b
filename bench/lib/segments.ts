/** A hundred segments of the shapes brands define: traits, event counts in windows, channels, stages, consent, dates. */
import { loadConfig } from '../../src/config.js';
import { openTouchpoint } from '../../src/main.js';
import type { Condition } from '../../src/standing/index.js';

/** A Touchpoint on `url` with the default lifecycle and `segments` segments counted, and a web source. */
export async function touchpointWithSegments(url: string, segments: number, env: Record<string, string | undefined> = {}) {
  const tp = await openTouchpoint(loadConfig({ ...env, TOUCHPOINT_DATABASE_URL: url, TOUCHPOINT_LOG_LEVEL: 'silent' }));
  tp.jobs.start();
  await tp.standing.lifecycle.prepare();
  for (let i = 0; i < segments; i++) await tp.standing.segments.create({ name: `segment ${i}`, condition: segmentCondition(i) });
  await tp.jobs.settle();
  return { tp, source: await tp.sources.create({ name: 'web', channel: 'web' }) };
}

export function segmentCondition(i: number): Condition {
  const shapes: Condition[] = [
    { trait: 'tier', op: 'eq', value: ['gold', 'silver', 'bronze'][i % 3] },
    { event: 'Order Completed', atLeast: 1 + (i % 3), withinDays: 30 + i },
    {
      all: [
        { channel: 'store', op: 'used' },
        { profile: 'orders.revenue', op: 'gte', value: i * 5 },
      ],
    },
    {
      any: [
        { stage: ['loyalty', 'advocacy'] },
        { event: 'Product Viewed', where: [{ property: 'category', op: 'eq', value: ['running shoes', 'socks', 'watches'][i % 3] }], withinDays: 14 },
      ],
    },
    { not: { consent: { channel: 'email', is: 'allowed' } } },
    { channelCount: { op: 'gte', value: 2 } },
    { trait: 'signedUpAt', op: 'within_last_days', value: 10 + i },
  ];
  return shapes[i % shapes.length]!;
}
