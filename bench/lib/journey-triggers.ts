/**
 * The journeys bench's trigger client, in a worker thread so that it shares
 * neither the server's event loop nor the load generator's: it sends trigger
 * requests at a fixed rate, one message each, and reads the outbox every few
 * milliseconds, noting when each trigger was acknowledged and when its
 * message was first seen. Both times come from this thread's clock.
 */
import { Agent, request } from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';

export type TriggerKind = 'event' | 'segment' | 'timer';

export interface TriggerJob {
  url: string;
  writeKey: string;
  adminToken: string;
  /** Trigger requests of each kind per second (event and segment); timers go at `timersPerSecond`. */
  perSecond: number;
  timersPerSecond: number;
  seconds: number;
  /** How long to keep reading the outbox after the last trigger for messages still to come. */
  graceMs: number;
  pollMs: number;
  /** The users a kind's triggers go to, in order; each is triggered once. */
  users: Record<TriggerKind, string[]>;
  /** Journey id of each kind, to tell its messages apart. */
  journeys: Record<TriggerKind, string>;
  /** Profile id of every user. */
  profiles: Record<string, string>;
}

export interface Trigger {
  kind: TriggerKind;
  userId: string;
  profileId: string;
  /** Wall-clock ms (timeOrigin + performance.now()). */
  ackedAt: number;
  ackMs: number;
  /** When its message was first seen in the outbox; undefined: never. */
  seenAt?: number;
  status?: string;
  requestedAt?: number;
}

export interface TriggerResult {
  triggers: Trigger[];
  failed: number;
  polls: number;
  pollMs: number[];
}

const job = workerData as TriggerJob;
const agent = new Agent({ keepAlive: true, maxSockets: 64 });
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function call(method: 'GET' | 'POST', path: string, auth: string, body?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { authorization: auth };
    if (body !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    const req = request(new URL(path, job.url), { method, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (res.statusCode === 200) resolve(text);
        else reject(new Error(`${method} ${path}: status ${res.statusCode} ${text}`));
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const writeAuth = `Basic ${Buffer.from(`${job.writeKey}:`).toString('base64')}`;
const adminAuth = `Bearer ${job.adminToken}`;
const message: Record<TriggerKind, (userId: string) => Record<string, unknown>> = {
  event: (userId) => ({ type: 'track', userId, event: 'Bench Trigger', properties: { at: Date.now() } }),
  segment: (userId) => ({ type: 'identify', userId, traits: { tier: 'platinum' } }),
  timer: (userId) => ({ type: 'track', userId, event: 'Bench Timer' }),
};

const result: TriggerResult = { triggers: [], failed: 0, polls: 0, pollMs: [] };
/** Triggers by journey and profile, to match messages. */
const pending = new Map<string, Trigger>();
/** Messages read before their trigger's acknowledgement was (both were in flight): matched when it comes. */
const early = new Map<string, Pick<Trigger, 'seenAt' | 'status' | 'requestedAt'>>();

async function fire(kind: TriggerKind, userId: string): Promise<void> {
  const started = performance.now();
  try {
    await call('POST', '/v1/batch', writeAuth, JSON.stringify({ batch: [message[kind](userId)] }));
    const trigger: Trigger = { kind, userId, profileId: job.profiles[userId]!, ackedAt: now(), ackMs: performance.now() - started };
    result.triggers.push(trigger);
    const key = `${job.journeys[kind]}:${trigger.profileId}`;
    if (early.has(key)) Object.assign(trigger, early.get(key));
    else pending.set(key, trigger);
  } catch {
    result.failed++;
  }
}

/** Each kind at its own steady rate, for `seconds`. */
async function sendTriggers(): Promise<void> {
  const inFlight = new Set<Promise<void>>();
  const plan: { at: number; kind: TriggerKind; userId: string }[] = [];
  for (const kind of ['event', 'segment', 'timer'] as const) {
    const rate = kind === 'timer' ? job.timersPerSecond : job.perSecond;
    const count = Math.min(job.users[kind].length, Math.round(rate * job.seconds));
    for (let i = 0; i < count; i++) plan.push({ at: (i / rate) * 1000 + (kind === 'segment' ? 500 / rate : 0), kind, userId: job.users[kind][i]! });
  }
  plan.sort((a, b) => a.at - b.at);
  const started = performance.now();
  for (const p of plan) {
    const wait = started + p.at - performance.now();
    if (wait > 0) await sleep(wait);
    const sent = fire(p.kind, p.userId).finally(() => inFlight.delete(sent));
    inFlight.add(sent);
  }
  await Promise.all(inFlight);
}

let sending = true;
let cursor: string | undefined;
async function pollOutbox(): Promise<void> {
  let lastMatch = now();
  for (;;) {
    const started = performance.now();
    const page = JSON.parse(await call('GET', `/api/outbox?limit=500${cursor ? `&after=${cursor}` : ''}`, adminAuth)) as {
      messages: { profileId: string; journeyId: string | null; status: string; requestedAt: string }[];
      next: string;
    };
    const seenAt = now();
    result.polls++;
    result.pollMs.push(performance.now() - started);
    cursor = page.next;
    for (const m of page.messages) {
      const key = `${m.journeyId}:${m.profileId}`;
      const seen = { seenAt, status: m.status, requestedAt: Date.parse(m.requestedAt) };
      const trigger = pending.get(key);
      if (trigger) {
        pending.delete(key);
        Object.assign(trigger, seen);
        lastMatch = seenAt;
      } else early.set(key, seen);
    }
    if (!sending && (pending.size === 0 || now() - lastMatch > job.graceMs)) return;
    // A full page means more is waiting: read on at once.
    if (page.messages.length < 500) await sleep(job.pollMs);
  }
}

const polling = pollOutbox();
await sendTriggers();
sending = false;
await polling;
parentPort!.postMessage(result);
agent.destroy();
