/**
 * The demo's history, made through the real engine: the brand is set up
 * through the management API, then the window is walked a few hours at a
 * time on a manual clock — the step's events go in through the collect
 * door, the pipeline and the journeys runner catch up (timers fire and
 * messages go out at their time), and customers answer the messages in the
 * outbox (opens, clicks, orders) when their time comes.
 */
import type { PlannedEvent } from './activity.js';
import { DAY_MS } from './activity.js';
import { SOURCES, type SourceKey } from './brand.js';
import type { DemoPlan } from './plan.js';
import { planDay } from './plan.js';
import { answer } from './responses.js';
import { CONTENT, JOURNEYS, LIFECYCLE, POLICY, SEGMENTS } from './setup.js';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** The engine the demo drives: built by the caller over an opened Touchpoint on a manual clock. */
export interface DemoEngine {
  setTime(ms: number): void;
  /** The management API with an admin token; throws on anything but 2xx. */
  api<T>(method: Method, url: string, body?: unknown): Promise<T>;
  /** Messages of a source, through the collect door (validated, appended to the log). */
  ingest(sourceId: string, messages: Record<string, unknown>[]): Promise<void>;
  /** Background jobs, the pipeline and the journeys runner catch up with the clock. */
  settle(timings: Record<string, number>): Promise<void>;
  /** Answers to messages of one delivery channel, in order, as its provider's callbacks report them. */
  respond(delivery: string, answers: DemoAnswer[]): Promise<void>;
  /** Records each segment's size for the clock's day, as a server's scheduler does once a day. */
  recordSizes(): Promise<void>;
  /** Identifiers of profiles (userId, anonymousId), to act as the customer. */
  whoIs(profileIds: string[]): Promise<Map<string, Record<string, string>>>;
}

export interface DemoAnswer {
  messageId: string;
  status: 'delivered' | 'opened' | 'clicked';
  at: number;
}

export interface DemoSource {
  key: SourceKey;
  id: string;
  name: string;
  channel: string;
  writeKey: string;
}

export interface DemoProgress {
  phase: string;
  day: number;
  days: number;
  events: number;
}

export interface GenerationSummary {
  events: number;
  messages: number;
  answers: number;
  timings: Record<string, number>;
}

/** Sources, lifecycle model, segments, content, policy and live journeys, through the management API. */
export async function setUpBrand(engine: DemoEngine, options: { journeys?: boolean } = {}): Promise<DemoSource[]> {
  const sources: DemoSource[] = [];
  for (const s of SOURCES) {
    const created = await engine.api<{ id: string; writeKey: string }>('POST', '/api/sources', { name: s.name, channel: s.channel });
    sources.push({ key: s.key, id: created.id, name: s.name, channel: s.channel, writeKey: created.writeKey });
  }
  if (options.journeys === false) return sources;
  await engine.api('PUT', '/api/lifecycle', LIFECYCLE);
  for (const segment of SEGMENTS) await engine.api('POST', '/api/segments', segment);
  for (const item of CONTENT) await engine.api('POST', '/api/content', item);
  await engine.api('PUT', '/api/policy', POLICY);
  for (const journey of JOURNEYS) {
    const created = await engine.api<{ id: string }>('POST', '/api/journeys', journey);
    await engine.api('POST', `/api/journeys/${created.id}/status`, { status: 'live' });
  }
  return sources;
}

/** Something a customer does later: an answer to a message, or events (an order after a click). */
type Pending = { at: number; answer: DemoAnswer & { delivery: string } } | { at: number; run(): Promise<void> };

interface OutboxPage {
  messages: { id: string; profileId: string; channel: string; delivery: string | null; journeyId: string | null; updatedAt: string }[];
  next: string;
}

export interface GenerateOptions {
  /** Steps the clock takes per day (the pipeline and journeys catch up after each). */
  stepsPerDay: number;
  /** Answer the outbox's messages (off for a baseline of events alone). */
  answers: boolean;
  onProgress?(progress: DemoProgress): void;
}

/** Walks the plan's window, step by step. The engine's clock ends at the window's end. */
export async function generateHistory(engine: DemoEngine, plan: DemoPlan, sources: DemoSource[], options: GenerateOptions): Promise<GenerationSummary> {
  const sourceId = new Map(sources.map((s) => [s.key, s.id]));
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, work: () => Promise<T> | T): Promise<T> => {
    const began = performance.now();
    try {
      return await work();
    } finally {
      timings[name] = (timings[name] ?? 0) + (performance.now() - began) / 1000;
    }
  };
  const summary: GenerationSummary = { events: 0, messages: 0, answers: 0, timings };
  const cpuBefore = process.cpuUsage();
  let pending: Pending[] = [];
  const later = (item: Pending) => pending.push(item);
  let outboxCursor: string | undefined;

  const ingest = async (events: PlannedEvent[]) => {
    // Runs of one source, submitted together: the log's group commit makes them one transaction, in this order.
    const calls: Promise<void>[] = [];
    for (let i = 0; i < events.length; ) {
      let j = i + 1;
      while (j < events.length && events[j]!.source === events[i]!.source && j - i < 2000) j++;
      calls.push(
        engine.ingest(
          sourceId.get(events[i]!.source)!,
          events.slice(i, j).map((e) => e.message),
        ),
      );
      i = j;
    }
    await Promise.all(calls);
    summary.events += events.length;
  };

  const readOutbox = async () => {
    for (;;) {
      const page = await engine.api<OutboxPage>('GET', `/api/outbox?limit=500${outboxCursor ? `&after=${outboxCursor}` : ''}`);
      outboxCursor = page.next;
      const who = await engine.whoIs([...new Set(page.messages.map((m) => m.profileId))]);
      for (const m of page.messages) {
        summary.messages++;
        const sentAt = Date.parse(m.updatedAt);
        const { answers, orderAt } = answer(plan.seed, { id: m.id, channel: m.channel, sentAt });
        for (const a of answers) later({ at: a.at, answer: { messageId: m.id, delivery: m.delivery ?? 'outbox', status: a.status, at: a.at } });
        const ids = who.get(m.profileId);
        if (orderAt !== undefined && ids) later({ at: orderAt, run: () => ingest([clickOrder(plan, m.id, m.journeyId, m.channel, ids, orderAt)]) });
      }
      if (page.messages.length < 500) return;
    }
  };

  /** The step's answers, a channel's in one call (one transaction), in time order; then the orders that follow clicks, together. */
  const answerDue = async (due: Pending[]) => {
    const byDelivery = new Map<string, DemoAnswer[]>();
    for (const p of due) {
      if (!('answer' in p)) continue;
      const { delivery, ...answer } = p.answer;
      const list = byDelivery.get(delivery) ?? [];
      list.push(answer);
      byDelivery.set(delivery, list);
      summary.answers++;
    }
    for (const [delivery, answers] of byDelivery) await engine.respond(delivery, answers);
    const runs = due.flatMap((p) => ('run' in p ? [p.run] : []));
    for (let i = 0; i < runs.length; i += 200) await Promise.all(runs.slice(i, i + 200).map((run) => run()));
  };

  options.onProgress?.({ phase: 'history', day: 0, days: plan.days, events: 0 });
  for (let day = 0; day < plan.days; day++) {
    const dayEvents = await timed('plan', () => planDay(plan, day));
    let next = 0;
    for (let step = 1; step <= options.stepsPerDay; step++) {
      const stepEnd = plan.start + day * DAY_MS + Math.round((step * DAY_MS) / options.stepsPerDay);
      let end = next;
      while (end < dayEvents.length && dayEvents[end]!.at < stepEnd) end++;
      // The day's segment sizes, before its last step takes the clock to the next day (the chart of sizes per day).
      if (step === options.stepsPerDay) await engine.recordSizes();
      engine.setTime(stepEnd);
      const due = pending.filter((p) => p.at < stepEnd).sort((a, b) => a.at - b.at);
      pending = pending.filter((p) => p.at >= stepEnd);
      await timed('ingest', () => ingest(dayEvents.slice(next, end)));
      next = end;
      await timed('answers', () => answerDue(due));
      await engine.settle(timings);
      if (options.answers) await timed('outbox', readOutbox);
    }
    // A review or referral late in the evening falls on the next day: it goes in with that day's first step.
    for (const e of dayEvents.slice(next)) later({ at: e.at, run: () => ingest([e]) });
    options.onProgress?.({ phase: 'history', day: day + 1, days: plan.days, events: summary.events });
  }
  const cpu = process.cpuUsage(cpuBefore);
  // CPU seconds of this thread's process: on a shared machine, wall time says more about the neighbours.
  timings.cpu = (cpu.user + cpu.system) / 1e6;
  return summary;
}

/** An order that follows a click on a message: on the web shop, with the message's campaign. */
function clickOrder(plan: DemoPlan, messageId: string, journeyId: string | null, channel: string, ids: Record<string, string>, at: number): PlannedEvent {
  const revenue = 40 + (Number.parseInt(messageId.replace(/\D/g, '').slice(-3) || '0', 10) % 120);
  return {
    source: 'web',
    at,
    message: {
      messageId: `click-order-${plan.seed}-${messageId}`,
      timestamp: new Date(at).toISOString(),
      type: 'track',
      event: 'Order Completed',
      ...ids,
      properties: {
        order_id: `click-${messageId}`,
        revenue,
        currency: 'EUR',
        products: [{ product_id: 'acc-04', category: 'Accessories', price: revenue, quantity: 1 }],
      },
      context: { campaign: { name: journeyId ?? 'touchpoint', source: 'touchpoint', medium: channel } },
    },
  };
}
