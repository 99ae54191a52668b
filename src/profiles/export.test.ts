import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { LoggedEvent } from '../log/index.js';
import { createProfileExporter, type ProfileStanding, type ProfileView } from './export.js';
import type { TimelineEntry } from './reader.js';

const standing: ProfileStanding = {
  stage: { stage: 'purchase', since: 1000 },
  history: [{ from: null, to: 'purchase', at: 1000, trigger: 'event', seq: 2, recordedAt: 1500 }],
  segments: [{ id: 'seg_1', name: 'Buyers', since: 1000 }],
};

function exporter(profiles: Record<string, ProfileView>) {
  const timeline: TimelineEntry[] = [2, 1].map((seq) => ({ seq, timestamp: seq * 100, channel: 'web', type: 'track', event: 'E', sourceId: 'src_1' }));
  const asked: string[] = [];
  const exports = createProfileExporter({
    views: { view: async (id) => profiles[id] },
    reader: { timeline: async () => timeline },
    log: {
      get: async (seqs) =>
        seqs.map((seq) => ({ seq, sourceId: 'src_1', channel: 'web', timestamp: seq * 100, payload: JSON.stringify({ n: seq }) }) as LoggedEvent),
    },
    standingOf: async (id) => {
      asked.push(id);
      return standing;
    },
    now: () => 42,
  });
  return { exports, asked };
}

it('exports the profile, where it stands (asked of the function given at wiring) and its events in log order', async () => {
  const view = { id: 'prof_1' } as ProfileView;
  const { exports, asked } = exporter({ prof_1: view });
  assert.deepEqual(await exports.export('prof_1'), {
    exportedAt: 42,
    profile: view,
    standing,
    events: [
      { seq: 1, sourceId: 'src_1', channel: 'web', timestamp: 100, message: { n: 1 } },
      { seq: 2, sourceId: 'src_1', channel: 'web', timestamp: 200, message: { n: 2 } },
    ],
  });
  assert.deepEqual(asked, ['prof_1']);
});

it('exports nothing for an id no profile has', async () => {
  const { exports } = exporter({});
  assert.equal(await exports.export('prof_gone'), undefined);
  assert.equal(await exports.withStanding('prof_gone'), undefined);
});
