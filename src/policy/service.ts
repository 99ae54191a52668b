/**
 * The contact policy's door: the versioned policy document, and deciding
 * contact requests in the caller's write transaction. Deciding first takes
 * each customer's guard row, then reads their recent messages: a decision
 * made at the same moment for the same customer elsewhere waits for this
 * transaction, and then sees what it sent (no double allowance of a cap).
 */
import type { Kysely } from 'kysely';
import type { Store } from '../store/index.js';
import { arbitrate } from './arbitrate.js';
import { armKey, propensityModel, type ArmCounts, type PropensityModel, type Random } from './bandit.js';
import { addCounts, localHourCounts, utcToLocalCounts } from './best-hour.js';
import type { ContactRequest, Customer, Decision, MessageChannel, TraceStep } from './decision.js';
import { assertPolicy, EMPTY_POLICY, withDefaults, type PolicyDocument } from './document.js';
import type { ContactHistory } from './history.js';
import { DAY, HOUR, type PolicyContext } from './rules.js';
import type { PolicyTables } from './tables.js';

const policyDb = (db: Kysely<object>) => db.withTables<PolicyTables>();

type Addressed = { channel: MessageChannel; address: string };
/** Channels whose messages need an address that may be suppressed. */
const ADDRESSED: readonly MessageChannel[] = ['email', 'sms'];
const pairKey = (channel: string, address: string) => `${channel}\u0000${address}`;

export interface PolicyDeps {
  store: Store;
  history: ContactHistory;
  now(): number;
  /** The source of the learned arbitration's Thompson draws (seeded in tests and the simulation). */
  random: Random;
  /** The brand's time zone: its best hour is counted there. */
  defaultZone: string;
  /** Profiles merged into these (merged id -> survivor), read through `db`: their messages count as the survivor's. */
  mergedInto?(db: Kysely<object>, profileIds: readonly string[]): Promise<Map<string, string>>;
  /** Of these addresses, those that must not be written to again (the channels module's suppression list), as given. */
  suppressedAmong?(db: Kysely<object>, pairs: readonly Addressed[]): Promise<Addressed[]>;
}

export interface PolicyVersion {
  /** 0: no policy was ever saved (consent only). */
  version: number;
  updatedAt: number | null;
  policy: PolicyDocument;
}

export interface Contact {
  request: ContactRequest;
  customer: Customer;
}

export interface Decided {
  decision: Decision;
  trace: TraceStep[];
  policyVersion: number;
}

/** The document is read again at most once a second: it changes rarely, and a runner in another thread must see a change soon. */
const DOCUMENT_TTL_MS = 1000;
/**
 * Response rates and the brand's best hour are learned again every hour (of
 * the injected clock), and only what the policy uses: response rates for
 * learned arbitration, the brand's hours once a request asked for a best
 * hour. Both read 90 days of the history; rates move slowly.
 */
const LEARN_EVERY_MS = 60 * 60_000;
const LEARN_OVER_MS = 90 * DAY;
/** A fatigue streak is looked for this far back, beyond the suppression period. */
const STREAK_LOOKBACK_MS = 30 * DAY;

/** How far back a decision must read the customer's messages. */
function lookbackMs(policy: PolicyDocument): number {
  const caps = Math.max(0, ...policy.caps.map((c) => c.withinHours * HOUR));
  const fatigue = policy.fatigue ? policy.fatigue.suppressForDays * DAY + STREAK_LOOKBACK_MS : 0;
  // A day at least: an arbitration window open for the customer is among their recent messages.
  return Math.max(caps, fatigue, DAY);
}

const NOTHING_LEARNED = { at: Number.NEGATIVE_INFINITY, model: propensityModel(new Map()), brandHours: new Array<number>(24).fill(0) };

/** The customer's active hours where they are: their visits, opens and clicks. */
function withActiveHours(customer: Customer, zone: string, responses: readonly number[], now: number): Customer {
  if (customer.activeHours || (responses.length === 0 && !customer.visitHoursUtc)) return customer;
  const visits = utcToLocalCounts(customer.visitHoursUtc ?? [], zone, now);
  return { ...customer, activeHours: addCounts(visits, localHourCounts(responses, zone)) };
}

export function createPolicy(deps: PolicyDeps) {
  let document: { at: number; value: PolicyVersion } | undefined;
  let learned: { at: number; model: PropensityModel; brandHours: number[] } | undefined;

  /** The policy in force, read through `db` (inside a transaction, the transaction: the store may have one connection). */
  async function current(db: Kysely<object> = deps.store.db): Promise<PolicyVersion> {
    if (document && performance.now() - document.at < DOCUMENT_TTL_MS) return document.value;
    const row = await policyDb(db).selectFrom('policy_versions').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
    const value = row
      ? { version: row.version, updatedAt: Number(row.created_at), policy: withDefaults(JSON.parse(row.document)) }
      : { version: 0, updatedAt: null, policy: EMPTY_POLICY };
    document = { at: performance.now(), value };
    return value;
  }

  /** Set once a request asks for a best hour: from then on the brand's hours are learned too. */
  let wantsBrandHours = false;

  async function learn(db: Kysely<object>, now: number): Promise<NonNullable<typeof learned>> {
    if (learned && now - learned.at < LEARN_EVERY_MS && now >= learned.at) return learned;
    const { policy } = await current(db);
    const since = now - LEARN_OVER_MS;
    const [counts, times] = await Promise.all([
      policy.arbitration?.mode === 'learned' ? deps.history.responseCounts(db, since) : [],
      wantsBrandHours ? deps.history.responseTimes(db, since) : [],
    ]);
    const arms = new Map<string, ArmCounts>(counts.map((c) => [armKey(c), { sent: c.sent, responded: c.responded }]));
    learned = {
      at: now,
      model: propensityModel(arms),
      brandHours: localHourCounts(
        times.map((t) => t.at),
        deps.defaultZone,
      ),
    };
    return learned;
  }

  /** Takes the customers' guard rows, in one order everywhere (no deadlock between two deciders). */
  async function guard(trx: Kysely<object>, profileIds: readonly string[], now: number): Promise<void> {
    await policyDb(trx)
      .insertInto('contact_guards')
      .values(profileIds.map((profile_id) => ({ profile_id, decided_at: now })))
      .onConflict((oc) => oc.column('profile_id').doUpdateSet((eb) => ({ decided_at: eb.ref('excluded.decided_at') })))
      .execute();
  }

  /** The customers as the policy sees them, with their suppressed addresses marked. */
  async function suppressedOf(db: Kysely<object>, contacts: readonly Contact[]): Promise<(c: Customer) => Customer> {
    if (!deps.suppressedAmong) return (c) => c;
    const pairs = contacts.flatMap((c) =>
      ADDRESSED.flatMap((channel) => {
        const address = c.customer.gone ? undefined : c.customer.address(channel);
        return address ? [{ channel, address }] : [];
      }),
    );
    const found = await deps.suppressedAmong(db, pairs);
    if (found.length === 0) return (c) => c;
    const keys = new Set(found.map((p) => pairKey(p.channel, p.address)));
    return (c) => ({ ...c, addressSuppressed: (channel) => keys.has(pairKey(channel, c.address(channel) ?? '')) });
  }

  async function decideIn(db: Kysely<object>, contacts: readonly Contact[], now: number, guarded: boolean): Promise<Decided[]> {
    if (contacts.length === 0) return [];
    const { version, policy } = await current(db);
    const profileIds = [...new Set(contacts.map((c) => c.request.profileId))].sort();
    if (guarded) await guard(db, profileIds, now);
    const timed = [...new Set(contacts.filter((c) => c.request.sendAt === 'best_hour').map((c) => c.request.profileId))];
    if (timed.length > 0 && !wantsBrandHours) {
      wantsBrandHours = true;
      // Learned at the next refresh, outside a transaction.
      if (learned) learned.at = Number.NEGATIVE_INFINITY;
    }
    const merged = deps.mergedInto ? await deps.mergedInto(db, profileIds) : new Map<string, string>();
    const blocked = await suppressedOf(db, contacts);
    const [history, learning, ownTimes] = await Promise.all([
      deps.history.recentOf(db, [...profileIds, ...merged.keys()], now - lookbackMs(policy)),
      // In a write transaction, what was learned before it (refresh): the 90-day aggregates would hold every writer up.
      guarded ? (learned ?? NOTHING_LEARNED) : learn(db, now),
      timed.length > 0 ? deps.history.responseTimes(db, now - LEARN_OVER_MS, timed) : [],
    ]);
    // A customer's history includes what was sent to the profiles merged into them since.
    for (const [mergedId, survivor] of merged) history.set(survivor, [...(history.get(survivor) ?? []), ...(history.get(mergedId) ?? [])]);
    const byProfile = new Map<string, number[]>();
    for (const [i, c] of contacts.entries()) byProfile.set(c.request.profileId, [...(byProfile.get(c.request.profileId) ?? []), i]);
    const out: Decided[] = new Array(contacts.length);
    for (const [profileId, indexes] of byProfile) {
      const base = blocked(contacts[indexes[0]!]!.customer);
      const zone = base.zone ?? deps.defaultZone;
      const customer = withActiveHours(
        base,
        zone,
        ownTimes.filter((t) => t.profileId === profileId).map((t) => t.at),
        now,
      );
      const ctx: PolicyContext = {
        policy,
        history: history.get(profileId) ?? [],
        now,
        zone,
        model: learning.model,
        random: deps.random,
        brandHours: learning.brandHours,
      };
      const decided = arbitrate(
        indexes.map((i) => contacts[i]!.request),
        customer,
        ctx,
      );
      for (const [k, i] of indexes.entries()) out[i] = { ...decided[k]!, policyVersion: version };
    }
    return out;
  }

  return {
    current: () => current(),

    /** Saves a new version of the policy document; TP_INVALID_POLICY names each problem by JSON pointer. */
    async put(input: unknown): Promise<PolicyVersion> {
      assertPolicy(input);
      const policy = withDefaults(input);
      const at = deps.now();
      const version = await deps.store.write(async (trx) => {
        const last = await policyDb(trx)
          .selectFrom('policy_versions')
          .select((eb) => eb.fn.max<number>('version').as('v'))
          .executeTakeFirst();
        const next = Number(last?.v ?? 0) + 1;
        await policyDb(trx)
          .insertInto('policy_versions')
          .values({ version: next, document: JSON.stringify(policy), created_at: at })
          .execute();
        return next;
      });
      document = undefined;
      return { version, updatedAt: at, policy };
    },

    /** Earlier versions, newest first: `limit` of them before version `before`. */
    async versions(limit: number, before?: number): Promise<PolicyVersion[]> {
      let query = policyDb(deps.store.db).selectFrom('policy_versions').selectAll();
      if (before !== undefined) query = query.where('version', '<', before);
      const rows = await query.orderBy('version', 'desc').limit(limit).execute();
      return rows.map((r) => ({ version: r.version, updatedAt: Number(r.created_at), policy: withDefaults(JSON.parse(r.document)) }));
    },

    /** Learns response rates and the brand's best hour again if they are older than a quarter of an hour; call it outside any transaction. */
    async refresh(now: number): Promise<void> {
      await learn(deps.store.db, now);
    },

    /** Decides contact requests in the caller's write transaction, in their order; each customer's requests compete. */
    decide: (trx: Kysely<object>, contacts: readonly Contact[], now: number): Promise<Decided[]> => decideIn(trx, contacts, now, true),

    /** Erasure: the customers' guard rows go with them. */
    async forget(trx: Kysely<object>, profileIds: readonly string[]): Promise<void> {
      if (profileIds.length > 0) await policyDb(trx).deleteFrom('contact_guards').where('profile_id', 'in', profileIds).execute();
    },

    /** What would happen to a request now, rule by rule; nothing is written. */
    async simulate(contact: Contact, now: number): Promise<Decided> {
      return (await decideIn(deps.store.db, [contact], now, false))[0]!;
    },
  };
}

export type Policy = ReturnType<typeof createPolicy>;
