/** "What would happen?": a made-up request for a customer, decided by the policy now, rule by rule. Nothing is written. */
import { useCallback, useState } from 'preact/hooks';
import { post } from '../../api.js';
import { type ProfileSummary, ProfilePicker } from '../../components/profile-picker.js';
import { Table } from '../../components/table.js';
import { Card, ErrorBox, formatTime } from '../../components/ui.js';
import { useAction, useApi } from '../../hooks.js';
import { MESSAGE_CHANNELS } from './types.js';

interface Simulation {
  decision: { kind: 'allow' | 'reroute' | 'defer' | 'suppress'; reason: string; channel?: string; from?: string; until?: string };
  trace: { rule: string; outcome: string; channel?: string; reason?: string; detail?: string }[];
  policyVersion: number;
  at: string;
  zone: string;
  stage: string | null;
}

const KIND_CLASS = { allow: 'ok', reroute: 'warn', defer: 'warn', suppress: 'bad' };
const OUTCOME_CLASS: Record<string, string> = { pass: 'ok', choose: 'ok', skip: 'warn', defer: 'warn', suppress: 'bad' };

export function Simulator() {
  const [profile, setProfile] = useState<ProfileSummary>();
  const [channel, setChannel] = useState('email');
  const [fallback, setFallback] = useState<string[]>([]);
  const [purpose, setPurpose] = useState('marketing');
  const [content, setContent] = useState('');
  const [journey, setJourney] = useState('');
  const contents = useApi<{ content: { id: string; name: string }[] }>('/api/content', { limit: 1000 });
  const journeys = useApi<{ journeys: { id: string; name: string }[] }>('/api/journeys');
  const simulate = useAction(
    useCallback(
      () =>
        post<Simulation>('/api/policy/simulate', {
          profileId: profile?.id ?? '',
          channel,
          ...(fallback.length > 0 && { fallback: fallback.filter((c) => c !== channel) }),
          purpose: purpose.trim() || 'marketing',
          ...(content && { content }),
          ...(journey && { journey }),
        }),
      [profile, channel, fallback, purpose, content, journey],
    ),
  );
  const toggle = (c: string) => setFallback(fallback.includes(c) ? fallback.filter((x) => x !== c) : [...fallback, c]);
  return (
    <Card title="What would happen?" class="simulator">
      <form
        class="stack"
        aria-label="Simulate a contact request"
        onSubmit={(e) => {
          e.preventDefault();
          simulate.run();
        }}
      >
        <ProfilePicker value={profile} onChange={setProfile} />
        <div class="row">
          <label>
            Channel
            <select value={channel} onChange={(e) => setChannel(e.currentTarget.value)}>
              {MESSAGE_CHANNELS.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
          </label>
          <fieldset class="inline">
            <legend>Fallback</legend>
            {MESSAGE_CHANNELS.filter((c) => c !== channel).map((c) => (
              <label key={c} class="check">
                <input type="checkbox" checked={fallback.includes(c)} onChange={() => toggle(c)} /> {c}
              </label>
            ))}
          </fieldset>
          <label>
            Purpose
            <input value={purpose} onInput={(e) => setPurpose(e.currentTarget.value)} />
          </label>
          <label>
            Content
            <select value={content} onChange={(e) => setContent(e.currentTarget.value)}>
              <option value="">(none)</option>
              {contents.data?.content.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Journey
            <select value={journey} onChange={(e) => setJourney(e.currentTarget.value)}>
              <option value="">(none)</option>
              {journeys.data?.journeys.map((j) => (
                <option key={j.id} value={j.id}>
                  {j.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div class="row">
          <button type="submit" class="primary" disabled={!profile || simulate.busy}>
            {simulate.busy ? 'Deciding…' : 'Simulate'}
          </button>
          {!profile && <span class="hint">Choose a customer first.</span>}
        </div>
      </form>
      <ErrorBox error={simulate.error} />
      {simulate.result && <Outcome simulation={simulate.result} />}
    </Card>
  );
}

function Outcome(props: { simulation: Simulation }) {
  const { decision: d, trace } = props.simulation;
  const where = d.kind === 'reroute' ? ` to ${d.channel} (asked: ${d.from})` : d.channel ? ` on ${d.channel}` : '';
  return (
    <section class="decision" aria-label="Decision">
      <p class="decision-line">
        <span class={`badge big ${KIND_CLASS[d.kind]}`}>{d.kind}</span> <strong>{d.reason}</strong>
        {where}
        {d.until && `, until ${formatTime(d.until)}`}
      </p>
      <p class="hint">
        Policy version {props.simulation.policyVersion}, as of {formatTime(props.simulation.at)} in {props.simulation.zone}; stage{' '}
        {props.simulation.stage ?? 'none'}.
      </p>
      <Table
        caption="Rule by rule"
        columns={[
          { key: 'rule', label: 'Rule' },
          {
            key: 'outcome',
            label: 'Outcome',
            render: (t) => <span class={`badge ${OUTCOME_CLASS[t.outcome] ?? ''}`}>{t.outcome}</span>,
          },
          { key: 'channel', label: 'Channel' },
          { key: 'reason', label: 'Reason' },
          { key: 'detail', label: 'Detail' },
        ]}
        rows={trace}
      />
    </section>
  );
}
