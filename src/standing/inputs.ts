/**
 * What conditions read, and what an event changed, as the same keys, with no
 * I/O: an event evaluates only the conditions that read something it changed.
 *
 * Keys: `trait:<name>`, `computed:<name>` (the hidden counters of event
 * conditions are computed traits too), `builtin:<name>`, `channels`,
 * `consent`, `household`, `stage`, `segment:<id or name>`.
 */
import type { Facts } from './fold.js';
import { counterName } from './context.js';
import type { Condition } from './schema.js';

/** The inputs of a condition owned by `owner` (whose event conditions read the owner's counters). */
export function inputsOf(condition: Condition, owner: string, at = ''): string[] {
  if ('all' in condition) return condition.all.flatMap((c, i) => inputsOf(c, owner, `${at}/all/${i}`));
  if ('any' in condition) return condition.any.flatMap((c, i) => inputsOf(c, owner, `${at}/any/${i}`));
  if ('not' in condition) return inputsOf(condition.not, owner, `${at}/not`);
  if ('trait' in condition) return [`trait:${condition.trait}`];
  if ('computedTrait' in condition) return [`computed:${condition.computedTrait}`];
  if ('profile' in condition) return [`builtin:${condition.profile}`];
  if ('event' in condition) return [`computed:${counterName(owner, at)}`];
  if ('channel' in condition || 'channelCount' in condition) return ['channels'];
  if ('stage' in condition) return ['stage'];
  if ('consent' in condition) return ['consent'];
  if ('household' in condition) return ['household'];
  return [`segment:${condition.segment}`];
}

/** What an event changed in a profile, as input keys. */
export function changedInputs(before: Facts, after: Facts, traitNames: ReadonlyMap<string, string>): Set<string> {
  const changed = new Set<string>();
  const [a, b] = [before.state, after.state];
  if (a !== b) {
    for (const [name, trait] of Object.entries(b.traits)) if (a.traits[name]?.value !== trait.value) changed.add(`trait:${name}`);
    if (a.orders !== b.orders) changed.add('builtin:orders.count').add('builtin:orders.revenue');
    if (a.eventCount !== b.eventCount) changed.add('builtin:eventCount');
    if (a.firstSeen !== b.firstSeen) changed.add('builtin:firstSeen');
    if (a.lastSeen !== b.lastSeen) changed.add('builtin:lastSeen');
    if (Object.keys(a.channels).length !== Object.keys(b.channels).length) changed.add('channels');
    if (a.consent !== b.consent) changed.add('consent');
    if (a.household?.value !== b.household?.value) changed.add('household');
  }
  for (const [id, state] of after.traits) if (before.traits.get(id) !== state) changed.add(`computed:${traitNames.get(id) ?? id}`);
  return changed;
}
