/** Each customer's stage over time, from the stage changes (event time), for reports that break down by stage. */
import type { ReportPorts } from './types.js';

export type StageTimelines = Map<string, { at: number; id: number; to: string | null }[]>;

export async function loadStageTimelines(ports: ReportPorts): Promise<StageTimelines> {
  const timelines: StageTimelines = new Map();
  for (let after = 0; ; ) {
    const page = await ports.stageChanges(after, 10_000);
    for (const c of page) {
      const list = timelines.get(c.profileId) ?? timelines.set(c.profileId, []).get(c.profileId)!;
      list.push({ at: c.at, id: c.id, to: c.to });
    }
    if (page.length < 10_000) break;
    after = page[page.length - 1]!.id;
  }
  for (const list of timelines.values()) list.sort((a, b) => a.at - b.at || a.id - b.id);
  return timelines;
}

/** The stage a customer was in at `at` (null: none yet). */
export function stageAt(timelines: StageTimelines, profileId: string, at: number): string | null {
  const list = timelines.get(profileId);
  let stage: string | null = null;
  if (!list) return null;
  for (const change of list) {
    if (change.at > at) break;
    stage = change.to;
  }
  return stage;
}
