/**
 * Arbitration, with no I/O: the requests for one customer that are decided
 * together compete. They are decided in priority order (the journeys' fixed
 * priorities, or the learned propensity x value x weight), each counting the
 * messages allowed before it against the caps; when the policy asks for
 * arbitration, the first one allowed wins and the others lose: deferred to
 * when the caps have room again, or dropped, as their journey says. With an
 * arbitration window, a new request first waits for the window to close so
 * that what arrives meanwhile can compete with it.
 */
import { candidates, decideContact, learnedScore, openChannels } from './decide.js';
import { defer, sends, suppress, type ContactRequest, type Customer, type Decision, type MessageChannel, type TraceStep } from './decision.js';
import { bypasses, capsRoomAt, HOUR, type PastMessage, type PolicyContext } from './rules.js';

const MINUTE = 60_000;

interface Ranked {
  index: number;
  priority: number;
  tie: number;
  draws?: Map<MessageChannel, number>;
}

function rank(requests: readonly ContactRequest[], indexes: number[], customer: Customer, ctx: PolicyContext): Ranked[] {
  const learned = ctx.policy.arbitration?.mode === 'learned';
  const ranked = indexes.map((index): Ranked => {
    const r = requests[index]!;
    const tie = (r.value ?? 1) * (r.weight ?? 1);
    if (!learned) return { index, priority: r.priority ?? 0, tie };
    const { open } = openChannels(r, customer, false);
    const draws = new Map((open.length > 0 ? open : candidates(r, customer)).map((c) => [c, learnedScore(r, customer, c, ctx)] as const));
    return { index, priority: Math.max(...draws.values()), tie, draws };
  });
  // Stable: equal priorities keep the order the requests came in.
  return ranked.sort((a, b) => b.priority - a.priority || b.tie - a.tie || a.index - b.index);
}

/** When the window that a new request joins closes: the one already open for this customer, or a new one. */
function windowCloses(ctx: PolicyContext, minutes: number): number {
  const open = ctx.history.find((m) => m.status === 'deferred' && m.reason === 'arbitration' && (m.deferredUntil ?? 0) > ctx.now);
  return open?.deferredUntil ?? ctx.now + minutes * MINUTE;
}

function lose(request: ContactRequest, channel: MessageChannel, ctx: PolicyContext): Decision {
  if (request.onConflict === 'drop') return suppress('arbitration_lost');
  const window = (ctx.policy.arbitration?.windowMinutes ?? 0) * MINUTE;
  const until = Math.max(capsRoomAt({ channel, purpose: request.purpose, priority: request.priority }, ctx), ctx.now + Math.max(window, HOUR));
  const deadline = (request.requestedAt ?? ctx.now) + ctx.policy.deferLimitHours * HOUR;
  return until > deadline ? suppress('expired') : defer(until, 'arbitration_lost', channel);
}

const sentNow = (request: ContactRequest, channel: MessageChannel, now: number): PastMessage => ({
  channel,
  purpose: request.purpose,
  contentId: request.contentId ?? null,
  journeyId: request.journeyId ?? null,
  status: 'sent',
  at: now,
  sentAt: now,
});

/**
 * Decides the requests for one customer that came together; the decisions
 * come back in the requests' order, each with the trace of its rules.
 */
export function arbitrate(requests: readonly ContactRequest[], customer: Customer, ctx: PolicyContext): { decision: Decision; trace: TraceStep[] }[] {
  const arbitration = ctx.policy.arbitration;
  const history = [...ctx.history];
  const live: PolicyContext = { ...ctx, history };
  const out: { decision: Decision; trace: TraceStep[] }[] = requests.map(() => ({ decision: suppress('profile_gone'), trace: [] }));
  const competing: number[] = [];
  for (const [i, r] of requests.entries()) {
    const competedBefore = r.waited?.some((w) => w === 'arbitration' || w === 'arbitration_lost');
    const waits = arbitration && arbitration.windowMinutes > 0 && !competedBefore && !bypasses(r.purpose, ctx.policy);
    if (!waits) {
      competing.push(i);
      continue;
    }
    // A new request waits for the window to close, unless the policy stops it already.
    const first = decideContact(r, customer, live, out[i]!.trace);
    out[i]!.decision = sends(first) || first.kind === 'defer' ? defer(windowCloses(live, arbitration.windowMinutes), 'arbitration', first.channel) : first;
  }
  let won = false;
  for (const { index, draws } of rank(requests, competing, customer, live)) {
    const r = requests[index]!;
    const trace = out[index]!.trace;
    const contends = arbitration !== undefined && !bypasses(r.purpose, ctx.policy);
    // A loser is judged as if the winner had not been sent: what stops it is the competition, not the cap the winner filled.
    const decision = decideContact(r, customer, contends && won ? ctx : live, trace, draws);
    if (contends && won && (sends(decision) || decision.kind === 'defer')) {
      const lost = lose(r, decision.channel, live);
      trace.push({
        rule: 'arbitration',
        outcome: lost.kind === 'defer' ? 'defer' : 'suppress',
        reason: lost.reason,
        detail: 'a request of higher priority won',
      });
      out[index]!.decision = lost;
      continue;
    }
    if (sends(decision)) {
      history.push(sentNow(r, decision.channel, ctx.now));
      if (contends) won = true;
    }
    out[index]!.decision = decision;
  }
  return out;
}
