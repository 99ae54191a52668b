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

/** A condition in one line: its JSON without quotes around keys, as short as the box allows. */
export const conditionText = (c: unknown) => JSON.stringify(c).replace(/"(\w+)":/g, '$1: ');

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
