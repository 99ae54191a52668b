/** What a step, an entry and a goal say, in a few words, for the diagram. */
import { stepKind } from './flow-layout.js';
import type { Definition, Step } from './types.js';

export const KIND_LABELS: Record<string, string> = {
  wait: 'Wait',
  waitUntil: 'Wait until',
  waitFor: 'Wait for event',
  branch: 'Branch',
  split: 'Split',
  send: 'Send',
  setTrait: 'Set trait',
  webhook: 'Webhook',
  exit: 'Exit',
};

export function duration(d: Record<string, number> | undefined): string {
  if (!d) return '';
  const parts = [d.days && `${d.days} d`, d.hours && `${d.hours} h`, d.minutes && `${d.minutes} min`].filter(Boolean);
  return parts.join(' ') || '0';
}

const names = (n: unknown) => (Array.isArray(n) ? n.join(' or ') : String(n ?? ''));

export function stepSummary(step: Step): string {
  const body = step[stepKind(step)] as Record<string, unknown>;
  switch (stepKind(step)) {
    case 'wait':
      return duration(body as Record<string, number>);
    case 'waitUntil':
      return `${String(body.localTime)} local time`;
    case 'waitFor':
      return `${names(body.event)}, up to ${duration(body.timeout as Record<string, number>)}`;
    case 'branch':
      return conditionText(body);
    case 'split':
      return `${(step.split as unknown[]).length} arms`;
    case 'send':
      return `${String(body.channel)} · ${String(body.content)}`;
    case 'setTrait':
      return `${String(body.name)} = ${JSON.stringify(body.value)}`;
    case 'webhook':
      return `${String(body.method ?? 'POST')} ${hostOf(String(body.url))}`;
    case 'exit':
      return 'leaves the journey';
    default:
      return '';
  }
}

const OPS: Record<string, string> = {
  eq: 'is',
  neq: 'is not',
  in: 'is one of',
  not_in: 'is none of',
  contains: 'contains',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  before: 'before',
  after: 'after',
  within_last_days: 'within the last days:',
  more_than_days_ago: 'more than days ago:',
};

const valueText = (v: unknown): string => (Array.isArray(v) ? v.map((x) => valueText(x)).join(', ') : typeof v === 'string' ? v : JSON.stringify(v));

function test(subject: string, c: Record<string, unknown>): string {
  if (c.op === 'exists') return `${subject} is set`;
  if (c.op === 'not_exists') return `${subject} is not set`;
  return `${subject} ${OPS[String(c.op)] ?? String(c.op)} ${valueText(c.value)}`;
}

function eventText(c: Record<string, unknown>): string {
  const times =
    c.atMost === 0 ? 'no ' : c.atMost !== undefined ? `≤${String(c.atMost)}× ` : c.atLeast !== undefined && c.atLeast !== 1 ? `≥${String(c.atLeast)}× ` : '';
  const where =
    Array.isArray(c.where) && c.where.length > 0
      ? ` where ${(c.where as Record<string, unknown>[]).map((f) => test(String(f.property), f)).join(' and ')}`
      : '';
  const within = c.withinDays === undefined ? '' : ` in last ${String(c.withinDays)} d`;
  return `${times}${names(c.event)}${where}${within}`;
}

/** A condition of the segment language in a few plain words (docs/segments.md), as short as the box allows. */
export function conditionText(condition: unknown): string {
  const c = (condition ?? {}) as Record<string, unknown>;
  if (Array.isArray(c.all)) return c.all.map((x) => conditionText(x)).join(' and ');
  if (Array.isArray(c.any)) return `either ${c.any.map((x) => conditionText(x)).join(' or ')}`;
  if ('not' in c) return `not (${conditionText(c.not)})`;
  if ('event' in c) return eventText(c);
  if ('trait' in c) return test(String(c.trait), c);
  if ('computedTrait' in c) return test(String(c.computedTrait), c);
  if ('profile' in c) return test(String(c.profile), c);
  if ('channel' in c) return `${String(c.op).replace('_', ' ')} ${String(c.channel)}`;
  if ('channelCount' in c) return test('channels used', c.channelCount as Record<string, unknown>);
  if ('stage' in c) return `at stage ${names(c.stage)}`;
  if ('segment' in c) return `${c.member === false ? 'not in' : 'in'} segment ${String(c.segment)}`;
  if ('household' in c) return c.household === 'any' ? 'in a household' : c.household === 'none' ? 'in no household' : `in household ${String(c.household)}`;
  if ('consent' in c) {
    const k = c.consent as Record<string, unknown>;
    return `${String(k.channel)}${k.purpose ? ` ${String(k.purpose)}` : ''} consent ${String(k.is).replace('_', ' ')}`;
  }
  return JSON.stringify(condition).replace(/"(\w+)":/g, '$1: ');
}

const hostOf = (url: string) => url.replace(/^https?:\/\//, '').split('/')[0] ?? url;

export function entryText(def: Definition): string {
  const [kind, body] = Object.entries(def.entry)[0] ?? ['?', {}];
  switch (kind) {
    case 'event':
      return `Event ${names(body.name)}`;
    case 'segment':
      return `${body.on === 'exited' ? 'Leaves' : 'Enters'} segment ${String(body.name)}`;
    case 'stage':
      return `Stage ${String(body.from ?? 'any')} → ${String(body.to ?? 'any')}`;
    case 'schedule':
      return `Scheduled: segment ${String(body.segment)}${body.repeat ? `, ${String(body.repeat)}` : ''}`;
    default:
      return kind;
  }
}

export function goalText(def: Definition): string | undefined {
  return def.goal && `${names(def.goal.event)} within ${duration(def.goal.within)}`;
}
