/**
 * Checking a journey definition, with no I/O: its shape (the schema), then
 * what the schema cannot say (step ids unique and known, no cycle, every step
 * reachable, durations longer than zero, a key only for event entries). Every
 * problem names the JSON pointer of the part at fault. What the definition
 * refers to elsewhere (content, segments, stages) is listed for the caller to
 * look up (definitions.ts).
 */
import { validateCondition, schemaProblems } from '../standing/index.js';
import {
  ENTRY_KINDS,
  entryVariants,
  ShallowDefinitionSchema,
  shallowStepVariants,
  STEP_KINDS,
  type Duration,
  type JourneyDefinition,
  type Step,
} from './schema.js';
import { durationMs, isTimeZone } from './timing.js';

export interface References {
  content: { at: string; name: string; channel: string }[];
  segments: { at: string; name: string }[];
  stages: { at: string; name: string }[];
  /** Configured channels named by send steps, with the variant the step sends. */
  channels: { at: string; name: string; channel: string }[];
  /** Webhook steps' templates (url, body, headers), to check that they parse. */
  calls: { at: string; templates: unknown }[];
}

export type Checked = { ok: true; definition: JourneyDefinition; references: References } | { ok: false; problems: string[] };

/** Where each step may go next, with the pointer of the field that says so. */
export function edges(step: Step, at: string): { to: string; at: string }[] {
  const out: { to: string; at: string }[] = [];
  const add = (to: string | undefined, field: string) => to !== undefined && out.push({ to, at: `${at}/${field}` });
  if ('next' in step) add(step.next, 'next');
  if ('onTimeout' in step) add(step.onTimeout, 'onTimeout');
  if ('branch' in step) {
    add(step.then, 'then');
    add(step.else, 'else');
  }
  if ('split' in step) for (const [i, arm] of step.split.entries()) add(arm.next, `split/${i}/next`);
  return out;
}

function durationProblems(definition: JourneyDefinition): string[] {
  const durations: [Duration | undefined, string][] = [
    [definition.goal?.within, '/goal/within'],
    [definition.reentry?.after, '/reentry/after'],
    ...definition.steps.flatMap((s, i): [Duration | undefined, string][] => [
      ['wait' in s ? s.wait : undefined, `/steps/${i}/wait`],
      ['waitFor' in s ? s.waitFor.timeout : undefined, `/steps/${i}/waitFor/timeout`],
    ]),
  ];
  return durations.filter(([d]) => d !== undefined && durationMs(d) <= 0).map(([, at]) => `${at}: must be longer than zero`);
}

/** A webhook step's URL may hold Liquid in its path and query, but its scheme and host are written out: where it calls is the journey's choice, not the customer data's. */
function callProblems(definition: JourneyDefinition): string[] {
  return definition.steps.flatMap((s, i) =>
    'webhook' in s && !/^https?:\/\/[^\s/{}?#%]+(?:[/?#]|$)/.test(s.webhook.url)
      ? [`/steps/${i}/webhook/url: must start with http:// or https:// and a host written out (no Liquid before the path)`]
      : [],
  );
}

function entryProblems(definition: JourneyDefinition): string[] {
  const problems: string[] = [];
  const entry = definition.entry;
  if (definition.key !== undefined && !('event' in entry)) problems.push('/key: only a journey entered by an event can be keyed');
  if ('schedule' in entry && !Number.isFinite(Date.parse(entry.schedule.at))) problems.push('/entry/schedule/at: must be an ISO 8601 date-time');
  if (definition.reentry?.mode === 'after' && !definition.reentry.after) problems.push('/reentry/after: re-entry "after" needs a period');
  if (definition.timezone !== undefined && !isTimeZone(definition.timezone))
    problems.push(`/timezone: ${JSON.stringify(definition.timezone)} is not an IANA time zone`);
  return problems;
}

function graphProblems(steps: readonly Step[]): string[] {
  const problems: string[] = [];
  const index = new Map<string, number>();
  steps.forEach((s, i) => {
    if (index.has(s.id)) problems.push(`/steps/${i}/id: the id ${JSON.stringify(s.id)} is taken by /steps/${index.get(s.id)}`);
    else index.set(s.id, i);
  });
  steps.forEach((s, i) => {
    for (const edge of edges(s, `/steps/${i}`)) if (!index.has(edge.to)) problems.push(`${edge.at}: no step has the id ${JSON.stringify(edge.to)}`);
  });
  if (problems.length > 0) return problems;
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (i: number): string | undefined => {
    const step = steps[i]!;
    state.set(step.id, 'visiting');
    for (const edge of edges(step, `/steps/${i}`)) {
      const seen = state.get(edge.to);
      if (seen === 'visiting') return `${edge.at}: going to ${JSON.stringify(edge.to)} makes a cycle; journeys run forward only (use re-entry to start again)`;
      const found = seen === undefined ? visit(index.get(edge.to)!) : undefined;
      if (found) return found;
    }
    state.set(step.id, 'done');
    return undefined;
  };
  const cycle = visit(0);
  if (cycle) return [cycle];
  steps.forEach((s, i) => {
    if (!state.has(s.id)) problems.push(`/steps/${i}: no step leads to ${JSON.stringify(s.id)} (customers start at the first step)`);
  });
  return problems;
}

function references(definition: JourneyDefinition): References {
  const refs: References = { content: [], segments: [], stages: [], channels: [], calls: [] };
  const entry = definition.entry;
  if ('segment' in entry) refs.segments.push({ at: '/entry/segment/name', name: entry.segment.name });
  if ('schedule' in entry) refs.segments.push({ at: '/entry/schedule/segment', name: entry.schedule.segment });
  if ('stage' in entry) {
    if (entry.stage.from) refs.stages.push({ at: '/entry/stage/from', name: entry.stage.from });
    if (entry.stage.to) refs.stages.push({ at: '/entry/stage/to', name: entry.stage.to });
  }
  definition.steps.forEach((s, i) => {
    if ('webhook' in s)
      refs.calls.push({ at: `/steps/${i}/webhook`, templates: { url: s.webhook.url, body: s.webhook.body ?? null, headers: s.webhook.headers ?? {} } });
    if (!('send' in s)) return;
    if (s.send.via !== undefined) refs.channels.push({ at: `/steps/${i}/send/via`, name: s.send.via, channel: s.send.channel });
    for (const channel of [s.send.channel, ...(s.send.fallback ?? [])]) refs.content.push({ at: `/steps/${i}/send/content`, name: s.send.content, channel });
  });
  return refs;
}

const HERE = { place: 'here', listAllowed: true };
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An object whose kind is the one key of `kinds` it holds, checked against that kind's schema. */
function partProblems(
  value: unknown,
  at: string,
  kinds: readonly string[],
  schemas: Record<string, import('@sinclair/typebox').TSchema>,
  what: string,
): string[] {
  if (!isObject(value)) return [`${at}: ${what} must be an object`];
  const present = kinds.filter((k) => k in value);
  if (present.length !== 1) return [`${at}: ${what} needs exactly one of ${kinds.join(', ')}${present.length > 1 ? ` (it has ${present.join(' and ')})` : ''}`];
  return schemaProblems(schemas[present[0]!]!, value, at, HERE);
}

export function checkDefinition(input: unknown): Checked {
  const outline = schemaProblems(ShallowDefinitionSchema, input, '', HERE);
  if (outline.length > 0) return { ok: false, problems: outline };
  const raw = input as { entry: unknown; steps: unknown[] };
  const shape = [
    ...partProblems(raw.entry, '/entry', ENTRY_KINDS, entryVariants, 'an entry'),
    ...raw.steps.flatMap((step, i) => partProblems(step, `/steps/${i}`, STEP_KINDS, shallowStepVariants, 'a step')),
  ];
  if (shape.length > 0) return { ok: false, problems: shape };
  const definition = input as JourneyDefinition;
  const problems = [
    ...entryProblems(definition),
    ...definition.steps.flatMap((s, i) => ('branch' in s ? validateCondition(s.branch, `/steps/${i}/branch`) : [])),
    ...durationProblems(definition),
    ...callProblems(definition),
    ...graphProblems(definition.steps),
  ];
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, definition, references: references(definition) };
}
