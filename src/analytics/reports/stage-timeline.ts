/** Each customer's stage over time, from the stage changes (event time), for reports that break down by stage. */
import type { ReportPorts, StageChange } from './types.js';

export type StageTimelines = Map<string, { at: number; id: number; to: string | null }[]>;

/** Every stage change, in pages, in the order recorded; resolves to how many were read. */
export async function forEachStageChange(ports: ReportPorts, visit: (change: StageChange & { id: number }) => void): Promise<number> {
  const PAGE = 10_000;
  let read = 0;
  for (let after = 0; ; ) {
    const page = await ports.stageChanges(after, PAGE);
    for (const change of page) visit(change);
    read += page.length;
    if (page.length < PAGE) return read;
    after = page[page.length - 1]!.id;
  }
}

export async function loadStageTimelines(ports: ReportPorts): Promise<StageTimelines> {
  const timelines: StageTimelines = new Map();
  await forEachStageChange(ports, (c) => {
    const list = timelines.get(c.profileId) ?? timelines.set(c.profileId, []).get(c.profileId)!;
    list.push({ at: c.at, id: c.id, to: c.to });
  });
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
