/** One channel's variant rendered for a customer (and a sample event): email in a sandboxed frame, SMS with its size, push and webhook as JSON. */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, post } from '../../api.js';
import { useDebounced } from '../../components/debounce.js';
import { type ProfileSummary, ProfilePicker } from '../../components/profile-picker.js';
import { ProblemList } from '../../components/problems.js';
import { Loading } from '../../components/ui.js';
import { smsSize } from './sms.js';
import type { ContentChannel, Preview } from './types.js';

export function PreviewPanel(props: { contentId: string; channel: ContentChannel }) {
  const [profile, setProfile] = useState<ProfileSummary>();
  const [eventText, setEventText] = useState('');
  const event = useDebounced(eventText, 400);
  const [state, setState] = useState<{ busy: boolean; preview?: Preview; error?: ApiError }>({ busy: false });
  const round = useRef(0);
  // A preview needs a stored customer: start with the one seen last, then let the person choose.
  useEffect(() => {
    get<{ profiles: ProfileSummary[] }>('/api/profiles', { limit: 1 }).then(
      (r) => setProfile((p) => p ?? r.profiles[0]),
      () => undefined,
    );
  }, []);
  useEffect(() => {
    if (!profile) return;
    const mine = ++round.current;
    let sample: unknown;
    try {
      sample = event.trim() ? JSON.parse(event) : undefined;
    } catch {
      setState({ busy: false, error: new ApiError(0, 'NOT_JSON', 'The sample event is not JSON yet.') });
      return;
    }
    setState((s) => ({ ...s, busy: true }));
    post<Preview>(`/api/content/${encodeURIComponent(props.contentId)}/preview`, {
      profileId: profile.id,
      channel: props.channel,
      ...(sample !== undefined && { event: sample }),
    }).then(
      (preview) => mine === round.current && setState({ busy: false, preview }),
      (error: unknown) =>
        mine === round.current && setState({ busy: false, error: error instanceof ApiError ? error : new ApiError(0, 'NETWORK', String(error)) }),
    );
  }, [profile, props.channel, props.contentId, event]);
  return (
    <section class="card content-preview" aria-label={`Preview of the ${props.channel} variant`}>
      <h2>Preview</h2>
      <ProfilePicker value={profile} onChange={setProfile} label="Preview for customer" />
      <details>
        <summary>Sample triggering event</summary>
        <label>
          Event (JSON, seen as <code>event</code>)
          <textarea
            rows={5}
            value={eventText}
            placeholder='{"event": "Order Completed", "properties": {"total": 42}}'
            onInput={(e) => setEventText(e.currentTarget.value)}
          />
        </label>
      </details>
      <ProblemList error={state.error} />
      {state.busy && !state.preview && <Loading what="the preview" />}
      {!profile && <p class="empty">No customer to preview for yet.</p>}
      {state.preview && !state.error && <Rendered preview={state.preview} />}
    </section>
  );
}

const str = (v: unknown) => (v === undefined || v === null ? '' : String(v));

function Rendered(props: { preview: Preview }) {
  const { channel, rendered: r, missing } = props.preview;
  return (
    <div class={`rendered rendered-${channel}`}>
      {channel === 'email' && <EmailPreview rendered={r} />}
      {channel === 'sms' && <SmsPreview text={str(r.text)} />}
      {channel === 'push' && (
        <div class="push-card" role="note" aria-label="Push notification">
          <strong>{str(r.title)}</strong>
          <p>{str(r.body)}</p>
          {r.deepLink !== undefined && <span class="muted">→ {str(r.deepLink)}</span>}
        </div>
      )}
      {(channel === 'push' || channel === 'webhook') && <pre class="json">{JSON.stringify(channel === 'webhook' ? r.payload : r, null, 2)}</pre>}
      {missing.length > 0 ? (
        <p class="hint">
          Missing (rendered empty): <code>{missing.join(', ')}</code>
        </p>
      ) : (
        <p class="hint">Every variable had a value.</p>
      )}
    </div>
  );
}

function EmailPreview(props: { rendered: Record<string, unknown> }) {
  const r = props.rendered;
  return (
    <>
      <dl class="email-head">
        <dt>Subject</dt>
        <dd class="subject">{str(r.subject)}</dd>
        {r.preheader !== undefined && (
          <>
            <dt>Preheader</dt>
            <dd>{str(r.preheader)}</dd>
          </>
        )}
      </dl>
      {/* sandbox="" : the email's HTML runs no script, submits no form and cannot reach the console. */}
      <iframe class="email-frame" title="Email body" sandbox="" srcdoc={str(r.html)} />
      <details>
        <summary>Plain-text part</summary>
        <pre>{str(r.text)}</pre>
      </details>
    </>
  );
}

function SmsPreview(props: { text: string }) {
  const size = smsSize(props.text);
  return (
    <>
      <div class="sms-bubble">{props.text}</div>
      <p class="hint sms-size">
        {size.length} characters ({size.encoding}), {size.parts} SMS part{size.parts === 1 ? '' : 's'}
      </p>
    </>
  );
}
