/**
 * npm run bench:identity — events/s through the pipeline with the identity and
 * profile stages on the embedded store, beside an in-memory union-find over
 * the same identifier stream in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.js';
import { buildKinds, extractIdentifiers } from '../src/identity/index.js';
import { openTouchpoint } from '../src/main.js';

const PEOPLE = Number(process.env.BENCH_PEOPLE ?? 10_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 60_000);

/** A customer journey mix: anonymous visits, sign-ups, email clicks, store purchases with a loyalty card. */
function eventFor(n: number): { channel: 'web' | 'email' | 'store'; message: Record<string, unknown> } {
  const p = (n * 7919) % PEOPLE;
  const device = `anon-${p}-${n % 3}`;
  switch (n % 6) {
    case 0:
    case 1:
      return { channel: 'web', message: { type: 'page', anonymousId: device, name: 'Product', properties: { url: `https://shop.example/p/${n % 500}` } } };
    case 2:
      return {
        channel: 'web',
        message: {
          type: 'identify',
          userId: `user-${p}`,
          anonymousId: device,
          traits: { email: `person${p}@example.com`, loyaltyCard: `L-${p}`, name: `Person ${p}` },
        },
      };
    case 3:
      return {
        channel: 'email',
        message: { type: 'track', anonymousId: `mail-${p}`, event: 'Email Link Clicked', properties: { email: `person${p}@example.com` } },
      };
    case 4:
      return {
        channel: 'store',
        message: {
          type: 'track',
          anonymousId: `loyaltyCard:L-${p}`,
          event: 'Order Completed',
          context: { traits: { loyaltyCard: `L-${p}` } },
          properties: { total: 10 + (n % 90), revenue: 10 + (n % 90) },
        },
      };
    default:
      return {
        channel: 'web',
        message: { type: 'track', userId: `user-${p}`, anonymousId: device, event: 'Product Viewed', properties: { sku: `SKU-${n % 977}` } },
      };
  }
}

function unionFind(streams: string[][]): { seconds: number; groups: number } {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.get(root) !== root) root = parent.get(root)!;
    while (parent.get(x) !== root) {
      const next = parent.get(x)!;
      parent.set(x, root);
      x = next;
    }
    return root;
  };
  const started = performance.now();
  for (const ids of streams) {
    for (const id of ids) if (!parent.has(id)) parent.set(id, id);
    for (let i = 1; i < ids.length; i++) {
      const a = find(ids[0]!);
      const b = find(ids[i]!);
      if (a !== b) parent.set(b, a);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const roots = new Set([...parent.keys()].map(find));
  return { seconds, groups: roots.size };
}

const dir = mkdtempSync(join(tmpdir(), 'touchpoint-bench-identity-'));
try {
  const tp = await openTouchpoint(loadConfig({ TOUCHPOINT_DATABASE_URL: `sqlite:${join(dir, 'tp.db')}`, TOUCHPOINT_LOG_LEVEL: 'silent' }));
  const sources = {
    web: await tp.sources.create({ name: 'web', channel: 'web' }),
    email: await tp.sources.create({ name: 'email', channel: 'email' }),
    store: await tp.sources.create({ name: 'store', channel: 'store' }),
  };
  const events = Array.from({ length: EVENTS }, (_, n) => eventFor(n));
  for (let i = 0; i < events.length; i += 500) {
    for (const channel of ['web', 'email', 'store'] as const) {
      await tp.ingest.ingest(
        sources[channel],
        events
          .slice(i, i + 500)
          .filter((e) => e.channel === channel)
          .map((e) => e.message),
      );
    }
  }
  const kinds = buildKinds();
  const streams = events.map((e) => extractIdentifiers(e.message, kinds).map((id) => `${id.kind}:${id.value}`));

  const started = performance.now();
  const status = await tp.pipeline.drain();
  const pipelineSeconds = (performance.now() - started) / 1000;
  const profiles = await tp.store.db
    .withTables<{ profiles: { id: string } }>()
    .selectFrom('profiles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  await tp.close();
  const memory = unionFind(streams);

  const pipelineRate = EVENTS / pipelineSeconds;
  const memoryRate = EVENTS / memory.seconds;
  console.log(
    `identity benchmark: ${EVENTS.toLocaleString('en')} events of ${PEOPLE.toLocaleString('en')} people (web, email, store), SQLite WAL synchronous=full`,
  );
  console.log(
    `  pipeline (identity, profile, standing) ${Math.round(pipelineRate).toLocaleString('en')} events/s   ${Number(profiles?.n)} profiles, ${status.deadLetters} dead letters`,
  );
  console.log(`  in-memory union-find                   ${Math.round(memoryRate).toLocaleString('en')} events/s   ${memory.groups} groups`);
  console.log(`  ratio                                  ${(pipelineRate / memoryRate).toFixed(4)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
