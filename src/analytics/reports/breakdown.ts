/**
 * Breakdowns: which groups a customer falls in for a report. By the channel
 * a funnel started on, by segment (members now), by lifecycle stage (at the
 * moment that matters, from the event-time stage history), or by first
 * touch: the source (web shop, POS...) and the campaign of the customer's
 * first event.
 */
import type { ActivityEvent } from '../../profiles/index.js';
import { ReportParameterError } from './errors.js';
import { loadStageTimelines, stageAt } from './stage-timeline.js';
import type { ReportPorts } from './types.js';

export const BREAKDOWNS = ['none', 'channel', 'segment', 'stage', 'source', 'campaign'] as const;
export type Breakdown = (typeof BREAKDOWNS)[number];

export const NO_GROUP = { segment: '(no segment)', stage: '(no stage)', campaign: '(no campaign)', source: '(unknown source)', channel: '(none)' };

/** The groups of one customer: `at` is the moment that matters (the funnel's start), `channel` the channel it happened on. */
export type GroupsOf = (profileId: string, events: readonly ActivityEvent[], at: number, channel: string | null) => string[];

export async function prepareBreakdown(by: Breakdown, ports: ReportPorts, segmentNames?: readonly string[]): Promise<GroupsOf> {
  switch (by) {
    case 'none':
      return () => ['(all)'];
    case 'channel':
      return (_p, _e, _at, channel) => [channel ?? NO_GROUP.channel];
    case 'segment': {
      const names = segmentNames ?? (await ports.segmentNames());
      const members: [string, Set<string>][] = [];
      for (const name of names) {
        const set = await ports.segmentMembers(name);
        if (!set) throw new ReportParameterError('segments', `no segment is named "${name}".`);
        members.push([name, set]);
      }
      return (profileId) => {
        const groups = members.filter(([, set]) => set.has(profileId)).map(([name]) => name);
        return groups.length > 0 ? groups : [NO_GROUP.segment];
      };
    }
    case 'stage': {
      const timelines = await loadStageTimelines(ports);
      return (profileId, _e, at) => [stageAt(timelines, profileId, at) ?? NO_GROUP.stage];
    }
    case 'source': {
      const names = await ports.sourceNames();
      return (_p, events) => [events[0] ? (names.get(events[0].sourceId) ?? NO_GROUP.source) : NO_GROUP.source];
    }
    case 'campaign':
      return (_p, events) => [events[0]?.campaign ?? NO_GROUP.campaign];
  }
}
