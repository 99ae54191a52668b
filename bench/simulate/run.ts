/**
 * One run of the simulation ("arm"): the brand set up on a fresh Touchpoint,
 * then hour by hour: customers sign up and shop, their delayed reactions
 * (opens, clicks, orders, unsubscribes) come due, all of it through the
 * tracking API and the message events API; the pipeline and the journeys
 * runner catch up; what went out is read from the outbox and each customer
 * decides what to do about it. The clock only moves when the loop moves it.
 */
import { controlDraw } from '../../src/policy/index.js';
import { CONTENT, type ContentKind, journeys, NO_POLICY, POLICY, SEGMENTS, type SimChannel } from './brand.js';
import { createCustomers, type Customer } from './customers.js';
import { openEngine, type Engine } from './engine.js';
import { HOUR, WEEK } from './parameters.js';
import { createQueue } from './queue.js';
import { react, recentCount, type Reaction } from './responses.js';
import { identifyEvent, newShopper, orderEvent, shopHour, signUpEvents, unsubscribeEvent, type Message, type Shopper } from './shopping.js';

export type Arm = 'none' | 'policy';

export interface RunOptions {
  arm: Arm;
  customers: number;
  weeks: number;
  seed: number;
  /** Called once a simulated day with the day's number. */
  progress?(day: number): void;
}

/** What one arm measured; plain data (it crosses a worker boundary). */
export interface ArmResult {
  arm: Arm;
  customers: number;
  weeks: number;
  /** Messages that went out, per customer-week (from the week the customer signed up). */
  perCustomerWeek: number[];
  sent: number;
  sentByChannel: Record<string, number>;
  sentByJourney: Record<string, number>;
  /** Requests the policy did not let out, by reason (journey stats), and those still deferred at the end. */
  suppressed: Record<string, number>;
  /** The same, per journey (with what each requested). */
  byJourney: Record<string, { requested: number; notSent: Record<string, number> }>;
  requested: number;
  unsubscribes: number;
  unsubscribedCustomers: number;
  orders: number;
  revenue: number;
  /** Orders that followed a click, by the kind of content clicked. */
  messageOrders: Record<string, number>;
  /** Customers with at least one order in the run, split by the control group's draw (salt of the policy). */
  groups: { treated: number; treatedConverted: number; treatedOrders: number; control: number; controlConverted: number; controlOrders: number };
  /** Journey goals reached, as the engine counts them. */
  goals: number;
  timings: Record<string, number>;
}

/** Mondays at midnight UTC: the weeks of the report start there. */
export const START = Date.parse('2026-01-05T00:00:00Z');
const BATCH = 400;

interface Brand {
  kindOf: Map<string, ContentKind>;
  journeyName: Map<string, string>;
}

async function setUpBrand(engine: Engine, arm: Arm): Promise<Brand> {
  await engine.api('PUT', '/api/policy', arm === 'policy' ? POLICY : NO_POLICY);
  const kindOf = new Map<string, ContentKind>();
  for (const item of CONTENT) {
    const created = await engine.api<{ id: string }>('POST', '/api/content', { name: item.name, variants: item.variants });
    kindOf.set(created.id, item.kind);
  }
  for (const segment of SEGMENTS) await engine.api('POST', '/api/segments', segment);
  await engine.settle();
  const journeyName = new Map<string, string>();
  for (const spec of journeys(START)) {
    const created = await engine.api<{ id: string }>('POST', '/api/journeys', { name: spec.name, definition: spec.definition });
    await engine.api('POST', `/api/journeys/${created.id}/status`, { status: 'live' });
    journeyName.set(created.id, spec.name);
  }
  return { kindOf, journeyName };
}

interface OutboxMessage {
  id: string;
  profileId: string;
  journeyId: string | null;
  channel: SimChannel;
  contentId: string | null;
  updatedAt: string;
}

export async function runArm(options: RunOptions): Promise<ArmResult> {
  const { arm, weeks, seed } = options;
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const began = performance.now();
    try {
      return await work();
    } finally {
      timings[name] = (timings[name] ?? 0) + (performance.now() - began) / 1000;
    }
  };
  const customers = createCustomers(seed, options.customers, START, weeks);
  const shoppers: Shopper[] = customers.map(() => newShopper());
  const profileOf: string[] = [];
  const customerOf = new Map<string, Customer>();
  const weekly = customers.map(() => new Array<number>(weeks).fill(0));
  const queue = createQueue<Reaction>();
  const engine = await openEngine(START - 2 * HOUR, seed);
  try {
    const brand = await timed('setup', () => setUpBrand(engine, arm));
    const result = { sent: 0, byChannel: {} as Record<string, number>, byJourney: {} as Record<string, number>, messageOrders: {} as Record<string, number> };

    const track = async (messages: Message[]) => {
      messages.sort((a, b) => (a.timestamp as string).localeCompare(b.timestamp as string));
      for (let i = 0; i < messages.length; i += BATCH) await engine.track(messages.slice(i, i + BATCH));
    };
    // Bookkeeping, not traffic: the identity module's door answers in one query where GET /api/profiles/lookup builds a whole profile.
    const lookUp = async (signedUp: Customer[]) => {
      for (const c of signedUp) {
        const profileId = await engine.server.touchpoint.identity.owner('userId', c.userId);
        if (!profileId) throw new Error(`customer ${c.userId} has no profile after signing up`);
        profileOf[c.index] = profileId;
        customerOf.set(profileId, c);
      }
    };

    // Customers who were there before: who they are and what they bought (history: it enters no journey).
    const existing = customers.filter((c) => c.signUpAt < START);
    await timed('setup', async () => {
      const history = existing.flatMap((c) => [
        identifyEvent(c, shoppers[c.index]!, c.signUpAt),
        ...c.pastOrders.map((at, i) => ({
          messageId: `${c.userId}-past-${i}`,
          userId: c.userId,
          type: 'track',
          event: 'Order Completed',
          timestamp: new Date(at).toISOString(),
          properties: { order_id: `${c.userId}-past-${i}`, revenue: c.basket },
        })),
      ]);
      await track(history);
      engine.clock.set(START);
      await engine.settle();
      await lookUp(existing);
    });

    let outboxCursor: string | undefined;
    const readOutbox = async (): Promise<OutboxMessage[]> => {
      const all: OutboxMessage[] = [];
      for (;;) {
        const page = await engine.api<{ messages: OutboxMessage[]; next: string }>(
          'GET',
          `/api/outbox?limit=500${outboxCursor ? `&after=${outboxCursor}` : ''}`,
        );
        all.push(...page.messages);
        outboxCursor = page.next;
        if (page.messages.length < 500) return all;
      }
    };

    const steps = weeks * 7 * 24;
    for (let step = 1; step <= steps; step++) {
      const t = START + step * HOUR;
      engine.clock.set(t);
      const inbound: Message[] = [];
      const signedUp: Customer[] = [];
      for (const c of customers) {
        const shopper = shoppers[c.index]!;
        if (c.signUpAt > t - HOUR && c.signUpAt <= t) {
          inbound.push(...signUpEvents(c, shopper, c.signUpAt));
          signedUp.push(c);
        }
        const { events, later } = shopHour(c, shopper, t, c.signUpAt <= t - HOUR);
        inbound.push(...events);
        if (later) queue.push(later);
      }
      const reports: { id: string; status: string; at: number }[] = [];
      for (const due of queue.popUntil(t)) {
        const c = customers[due.customer]!;
        const shopper = shoppers[due.customer]!;
        if (due.kind === 'report') reports.push({ id: due.messageId, status: due.status, at: due.at });
        else if (due.kind === 'unsubscribe') {
          if (shopper.unsubscribed.has(due.channel)) continue;
          inbound.push(unsubscribeEvent(c, shopper, due.at, due.channel));
          reports.push({ id: due.messageId, status: 'unsubscribed', at: due.at });
        } else {
          // A cart bought since is not bought twice; a click on a cart reminder buys the newest open cart, if any.
          const cartId = due.cause === 'cart' ? (shopper.openCarts[shopper.openCarts.length - 1] ?? null) : due.cartId;
          if ((due.cause === 'cart' || due.cartId !== null) && (cartId === null || !shopper.openCarts.includes(cartId))) continue;
          inbound.push(orderEvent(c, shopper, due.at, { cartId, amount: due.amount, category: due.category }));
          if (due.cause !== 'organic') result.messageOrders[due.cause] = (result.messageOrders[due.cause] ?? 0) + 1;
        }
      }
      await timed('track', () => track(inbound));
      await timed('reports', async () => {
        for (const r of reports) await engine.api('POST', `/api/messages/${r.id}/events`, { status: r.status, at: new Date(r.at).toISOString() });
      });
      await engine.settle(timings);
      await timed('lookup', () => lookUp(signedUp));
      const out = await timed('outbox', readOutbox);
      for (const m of out) {
        const c = customerOf.get(m.profileId);
        const kind = m.contentId === null ? undefined : brand.kindOf.get(m.contentId);
        if (!c || !kind) throw new Error(`a message the simulation cannot place: ${JSON.stringify(m)}`);
        const shopper = shoppers[c.index]!;
        const sentAt = Date.parse(m.updatedAt);
        const week = Math.floor((sentAt - START) / WEEK);
        if (week >= 0 && week < weeks) weekly[c.index]![week]!++;
        result.sent++;
        result.byChannel[m.channel] = (result.byChannel[m.channel] ?? 0) + 1;
        const journey = (m.journeyId && brand.journeyName.get(m.journeyId)) ?? 'none';
        result.byJourney[journey] = (result.byJourney[journey] ?? 0) + 1;
        if (!shopper.unsubscribed.has(m.channel)) {
          const recent = recentCount(shopper.received, sentAt);
          for (const r of react(c, { messageId: m.id, channel: m.channel, kind, sentAt }, recent)) queue.push(r);
        }
        shopper.received.push(sentAt);
        if (shopper.received.length > 64) shopper.received.splice(0, shopper.received.length - 64);
      }
      if (step % 24 === 0) options.progress?.(step / 24);
    }

    const stats = await timed('stats', async () => {
      const suppressed: Record<string, number> = {};
      const byJourney: ArmResult['byJourney'] = {};
      let requested = 0;
      let goals = 0;
      for (const id of brand.journeyName.keys()) {
        const { stats } = await engine.api<{
          stats: { converted: number; messages: { requested: number; suppressed: Record<string, number>; byStatus: Record<string, number> } };
        }>('GET', `/api/journeys/${id}/stats`);
        requested += stats.messages.requested;
        goals += stats.converted;
        const notSent = { ...stats.messages.suppressed };
        if (stats.messages.byStatus.deferred) notSent['(still deferred)'] = stats.messages.byStatus.deferred;
        for (const [reason, n] of Object.entries(notSent)) suppressed[reason] = (suppressed[reason] ?? 0) + n;
        byJourney[brand.journeyName.get(id)!] = { requested: stats.messages.requested, notSent };
      }
      return { suppressed, byJourney, requested, goals };
    });

    const perCustomerWeek: number[] = [];
    for (const c of customers) {
      const from = Math.max(0, Math.floor((c.signUpAt - START) / WEEK));
      for (let w = from; w < weeks; w++) perCustomerWeek.push(weekly[c.index]![w]!);
    }
    const share = POLICY.controlGroup.share;
    const groups = { treated: 0, treatedConverted: 0, treatedOrders: 0, control: 0, controlConverted: 0, controlOrders: 0 };
    for (const c of customers) {
      const profileId = profileOf[c.index];
      if (!profileId) throw new Error(`customer ${c.userId} has no profile`);
      const inControl = controlDraw(profileId, POLICY.controlGroup.salt) < share;
      const orders = shoppers[c.index]!.orders;
      if (inControl) {
        groups.control++;
        groups.controlOrders += orders;
        if (orders > 0) groups.controlConverted++;
      } else {
        groups.treated++;
        groups.treatedOrders += orders;
        if (orders > 0) groups.treatedConverted++;
      }
    }
    return {
      arm,
      customers: customers.length,
      weeks,
      perCustomerWeek,
      sent: result.sent,
      sentByChannel: result.byChannel,
      sentByJourney: result.byJourney,
      suppressed: stats.suppressed,
      byJourney: stats.byJourney,
      requested: stats.requested,
      unsubscribes: shoppers.reduce((n, s) => n + s.unsubscribed.size, 0),
      unsubscribedCustomers: shoppers.filter((s) => s.unsubscribed.size > 0).length,
      orders: shoppers.reduce((n, s) => n + s.orders, 0),
      revenue: Math.round(shoppers.reduce((n, s) => n + s.revenue, 0)),
      messageOrders: result.messageOrders,
      groups,
      goals: stats.goals,
      timings,
    };
  } finally {
    await engine.dispose();
  }
}
