/** Identity scenarios through the real pipeline and store, on every dialect. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import type { Store } from '../src/store/index.js';
import { DIALECTS } from './support/dialects.js';
import { openHarness, type PipelineHarness } from './support/pipeline.js';

/**
 * The store's own tables. Not Kysely's introspection: on PostgreSQL it reads
 * every schema of the database, and another test file's schema dropped
 * meanwhile fails it.
 */
async function tablesOf(store: Store): Promise<string[]> {
  const query =
    store.dialect.name === 'postgres'
      ? sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`
      : sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`;
  return (await query.execute(store.db)).rows.map((r) => r.name);
}

for (const dialect of DIALECTS) {
  describe(`identity resolution on ${dialect.name}`, () => {
    let h: PipelineHarness;
    before(async () => {
      h = await openHarness(dialect, { TOUCHPOINT_IDENTITY_HUB_THRESHOLD: '3' });
    });
    after(() => h.dispose());

    it('web visit -> app sign-up -> email click on another device -> store purchase: one profile, four channels', async () => {
      await h.send('Web shop', 'web', { type: 'page', anonymousId: 'web-anon-1', name: 'Home' });
      await h.send('App', 'app', {
        type: 'identify',
        userId: 'cust-1',
        anonymousId: 'web-anon-1',
        traits: { email: 'Ann@Example.com', loyaltyCard: 'L-100', name: 'Ann' },
      });
      await h.send('Email platform', 'email', {
        type: 'track',
        anonymousId: 'phone-browser-7',
        event: 'Email Link Clicked',
        properties: { email: 'ann@example.com' },
      });
      await h.send('Store POS', 'store', {
        type: 'track',
        anonymousId: 'loyaltyCard:L-100',
        event: 'Order Completed',
        context: { traits: { loyaltyCard: 'L-100' } },
        properties: { total: 42 },
      });
      const ids = await Promise.all([
        h.profileOf('anonymousId', 'web-anon-1'),
        h.profileOf('userId', 'cust-1'),
        h.profileOf('email', 'ann@example.com'),
        h.profileOf('anonymousId', 'phone-browser-7'),
        h.profileOf('loyaltyCard', 'L-100'),
        h.profileOf('anonymousId', 'loyaltyCard:L-100'),
      ]);
      assert.equal(new Set(ids).size, 1, `one profile: ${ids.join(', ')}`);
      const state = await h.tp.profiles.state(ids[0]!);
      assert.deepEqual(Object.keys(state!.channels).sort(), ['app', 'email', 'store', 'web']);
      assert.equal(state!.eventCount, 4);
      assert.equal(state!.traits.name!.value, 'Ann');
      const timeline = await h.tp.profiles.timeline(ids[0]!, { limit: 20 });
      assert.deepEqual(
        timeline.filter((e) => e.channel !== 'other').map((e) => e.channel),
        ['store', 'email', 'app', 'web'],
      );
      assert.deepEqual(
        timeline
          .filter((e) => e.channel === 'other')
          .map((e) => e.event)
          .reverse(),
        ['Stage Changed', 'Stage Changed', 'Stage Changed'],
        "awareness, then consideration (an email), then purchase: Touchpoint's own events are on the timeline too",
      );
    });

    it('two people on one shared device stay two people', async () => {
      await h.send('Web shop', 'web', { type: 'identify', userId: 'dad', anonymousId: 'family-ipad', traits: { name: 'Dad' } });
      await h.send('Web shop', 'web', { type: 'identify', userId: 'kid', anonymousId: 'family-ipad', traits: { name: 'Kid' } });
      const dad = await h.profileOf('userId', 'dad');
      const kid = await h.profileOf('userId', 'kid');
      assert.ok(dad && kid && dad !== kid);
      assert.equal(await h.profileOf('anonymousId', 'family-ipad'), dad, 'the device stays with its first person');
      assert.equal((await h.tp.profiles.state(kid))!.traits.name!.value, 'Kid');
      const conflicts = await h.tp.identity.conflicts(kid);
      assert.equal(conflicts.length, 1);
      assert.match(conflicts[0]!.reason, /more than 1 userId/);
    });

    it('conflicting userIds never merge, whatever links them', async () => {
      await h.send('App', 'app', { type: 'identify', userId: 'alice', traits: { email: 'alice@example.com' } });
      await h.send('App', 'app', { type: 'identify', userId: 'bob', traits: { email: 'alice@example.com' } });
      await h.send('Web shop', 'web', { type: 'alias', userId: 'bob', previousId: 'alice' });
      assert.notEqual(await h.profileOf('userId', 'alice'), await h.profileOf('userId', 'bob'));
      assert.equal(await h.profileOf('email', 'alice@example.com'), await h.profileOf('userId', 'alice'));
    });

    it('alias merges an anonymous history into the user, and the merged id still resolves', async () => {
      await h.send(
        'Web shop',
        'web',
        { type: 'track', anonymousId: 'anon-9', event: 'Product Viewed' },
        { type: 'track', anonymousId: 'anon-9', event: 'Cart Viewed' },
      );
      await h.send('App', 'app', { type: 'identify', userId: 'u9' });
      const anonymous = (await h.profileOf('anonymousId', 'anon-9'))!;
      const known = (await h.profileOf('userId', 'u9'))!;
      assert.notEqual(anonymous, known);
      await h.send('App', 'app', { type: 'alias', previousId: 'anon-9', userId: 'u9' });
      const survivor = (await h.profileOf('userId', 'u9'))!;
      assert.equal(await h.profileOf('anonymousId', 'anon-9'), survivor);
      assert.equal(survivor, anonymous, 'the older profile survives');
      assert.equal(await h.tp.identity.live(known), survivor);
      assert.equal((await h.tp.profiles.state(survivor))!.eventCount, 4);
      const merges = await h.tp.identity.merges(survivor);
      assert.deepEqual(
        merges.map((m) => [m.survivorId, m.mergedId, m.reason, m.via.kind]),
        [[survivor, known, 'alias', 'anonymousId']],
      );
      assert.equal(await h.tp.profiles.state(known), undefined, 'the merged-away profile has no state of its own');
    });

    it('a hub identifier stops linking once met on too many profiles', async () => {
      for (const user of ['t1', 't2', 't3', 't4']) {
        await h.send('App', 'app', { type: 'identify', userId: user, traits: { email: 'test@test.com' } });
      }
      const hubs = await h.tp.identity.hubs();
      assert.deepEqual(
        hubs.map((x) => [x.kind, x.value]),
        [['email', 'test@test.com']],
      );
      await h.send('Web shop', 'web', { type: 'identify', anonymousId: 'stranger', traits: { email: 'test@test.com' } });
      assert.notEqual(await h.profileOf('anonymousId', 'stranger'), await h.profileOf('userId', 't1'));
    });

    it('rebuilding from the log gives the same profiles', async () => {
      const snapshot = async () => {
        const owners: Record<string, string | undefined> = {};
        for (const [kind, value] of [
          ['userId', 'cust-1'],
          ['userId', 'dad'],
          ['userId', 'kid'],
          ['userId', 'u9'],
          ['userId', 'alice'],
          ['userId', 'bob'],
          ['anonymousId', 'stranger'],
        ]) {
          owners[`${kind}:${value}`] = await h.profileOf(kind!, value!);
        }
        const states = await Promise.all(Object.values(owners).map(async (id) => [id, await h.tp.profiles.state(id!)]));
        return { owners, states, hubs: await h.tp.identity.hubs() };
      };
      const before = await snapshot();
      const status = await h.tp.pipeline.rebuild();
      assert.equal(status.lagEvents, 0);
      assert.deepEqual(await snapshot(), before);
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`unmerge and erasure on ${dialect.name}`, () => {
    let h: PipelineHarness;
    before(async () => {
      h = await openHarness(dialect);
    });
    after(() => h.dispose());

    it('unmerge restores both profiles exactly, and they do not merge again', async () => {
      await h.send(
        'Web',
        'web',
        { type: 'identify', anonymousId: 'laptop', traits: { name: 'Guest', city: 'Leeds' } },
        { type: 'track', anonymousId: 'laptop', event: 'Order Completed', properties: { total: 30 } },
      );
      await h.send(
        'App',
        'app',
        { type: 'identify', userId: 'maria', traits: { name: 'Maria', email: 'maria@example.com' } },
        { type: 'track', userId: 'maria', event: 'Order Completed', properties: { total: 70 } },
      );
      const guest = (await h.profileOf('anonymousId', 'laptop'))!;
      const maria = (await h.profileOf('userId', 'maria'))!;
      const before = {
        guest: await h.tp.profiles.state(guest),
        maria: await h.tp.profiles.state(maria),
        guestIds: await h.tp.identity.identities(guest),
        mariaIds: await h.tp.identity.identities(maria),
      };
      await h.send('Web', 'web', { type: 'identify', userId: 'maria', anonymousId: 'laptop' });
      assert.equal(await h.profileOf('userId', 'maria'), guest, 'merged into the older profile');
      assert.equal((await h.tp.profiles.state(guest))!.orders.revenue, 100);

      const result = await h.tp.maintenance.unmerge(guest);
      assert.deepEqual(result, { profileId: guest, restoredId: maria });
      assert.equal(await h.tp.identity.live(maria), maria);
      assert.equal(await h.profileOf('userId', 'maria'), maria);
      // The merging event itself stays with the profile that held it; everything before is as it was.
      const mariaNow = (await h.tp.profiles.state(maria))!;
      assert.deepEqual(mariaNow, before.maria);
      assert.deepEqual(await h.tp.identity.identities(maria), before.mariaIds);
      const guestNow = (await h.tp.profiles.state(guest))!;
      assert.equal(guestNow.orders.revenue, 30);
      assert.deepEqual(guestNow.traits.name, before.guest!.traits.name);
      assert.equal((await h.tp.identity.merges(guest))[0]!.undoneAt !== null, true);

      await h.send('Web', 'web', { type: 'identify', userId: 'maria', anonymousId: 'laptop' });
      assert.notEqual(await h.profileOf('userId', 'maria'), await h.profileOf('anonymousId', 'laptop'), 'blocked from merging again');
      await assert.rejects(h.tp.maintenance.unmerge(maria), { code: 'TP_MERGE_NOT_FOUND' });
    });

    it('erasure leaves nothing behind in any table, and later events with the same identifiers are dropped', async () => {
      await h.send('Web', 'web', { type: 'page', anonymousId: 'erase-anon', name: 'Home' });
      await h.send('App', 'app', {
        type: 'identify',
        userId: 'erase-me',
        anonymousId: 'erase-anon',
        traits: { email: 'Erase.Me@example.com', phone: '+44 20 7946 0000' },
      });
      await h.send(
        'Email',
        'email',
        { type: 'track', userId: 'erase-me', event: 'Email Opened' },
        { type: 'track', userId: 'erase-me', event: 'Consent Updated', properties: { channel: 'email', status: 'granted' } },
      );
      const profile = (await h.profileOf('userId', 'erase-me'))!;
      const result = await h.tp.maintenance.erase(profile);
      assert.equal(result.profiles, 1);
      assert.equal(result.identifiers, 4);
      assert.ok(result.events >= 4, 'its four events, and the stage changes about it');

      const traces = ['erase-me', 'erase-anon', 'erase.me@example.com', 'Erase.Me@example.com', '+442079460000', profile];
      const searched: string[] = [];
      for (const store of new Set([h.tp.store, h.tp.logStore])) {
        const db = store.db;
        const tables = await tablesOf(store);
        searched.push(...tables);
        for (const table of tables) {
          if (table === 'id_suppressions') continue; // hashes only
          const rows = await db
            .selectFrom(table as never)
            .selectAll()
            .execute();
          const text = JSON.stringify(rows);
          for (const trace of traces) assert.ok(!text.includes(trace), `${table} still holds ${trace}`);
        }
      }
      for (const table of ['event_log', 'profiles', 'profile_events', 'id_identities', 'messages'])
        assert.ok(searched.includes(table), `${table} was searched`);
      const erased = () => h.tp.metrics.eventsErased.get().then((m) => m.values[0]?.value ?? 0);
      const erasedBefore = await erased();
      await h.send('Web', 'web', { type: 'track', userId: 'erase-me', event: 'Came Back' });
      await h.send('Web', 'web', { type: 'identify', anonymousId: 'fresh', traits: { email: 'ERASE.ME@example.com' } });
      assert.equal(await h.profileOf('userId', 'erase-me'), undefined, 'not re-identified');
      assert.equal(await h.profileOf('anonymousId', 'fresh'), undefined);
      assert.equal(await erased(), erasedBefore + 2, 'never stored, and counted');
      assert.deepEqual(await h.tp.log.query({ anonymousId: 'fresh', limit: 10 }), [], 'no copy of the identifier in the event log');
      await assert.rejects(h.tp.maintenance.erase(profile), { code: 'TP_PROFILE_NOT_FOUND' });
    });
  });
}
