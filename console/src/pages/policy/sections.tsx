/** The policy document read as sections: what each part makes Touchpoint do. */
import { Card, formatPercent } from '../../components/ui.js';
import type { Cap, PolicyDocument } from './types.js';

const hours = (h: number) => (h % 24 === 0 ? `${h / 24} day${h === 24 ? '' : 's'}` : `${h} hours`);

function capText(cap: Cap): string {
  const where = cap.channel && cap.channel !== 'all' ? `on ${cap.channel}` : 'across all channels';
  const purpose = cap.purpose && cap.purpose !== 'marketing' ? `${cap.purpose} ` : 'marketing ';
  const below = cap.belowPriority === undefined ? '' : `, holding journeys of priority below ${cap.belowPriority}`;
  return `At most ${cap.max} ${purpose}message${cap.max === 1 ? '' : 's'} ${where} in any ${hours(cap.withinHours)}${below}.`;
}

export function PolicySections(props: { policy: PolicyDocument }) {
  const p = props.policy;
  return (
    <div class="grid policy-sections">
      <Card title="Consent">
        <p>
          Always applied: no message without an address and the customer’s consent for the channel and purpose. Purposes that bypass the rest of the policy
          (never a denial): <strong>{p.transactionalPurposes.join(', ') || 'none'}</strong>.
        </p>
      </Card>
      <Card title="Frequency caps">
        {p.caps.length === 0 ? (
          <p class="empty">No cap: any number of messages.</p>
        ) : (
          <ul>
            {p.caps.map((cap, i) => (
              <li key={i}>{capText(cap)}</li>
            ))}
          </ul>
        )}
      </Card>
      <Card title="Quiet hours">
        {p.quietHours ? (
          <p>
            Marketing messages asked for between <strong>{p.quietHours.start}</strong> and <strong>{p.quietHours.end}</strong> (the customer’s time) wait until{' '}
            {p.quietHours.end}
            {p.quietHours.channels ? `, on ${p.quietHours.channels.join(', ')}` : ', on every channel'}.
          </p>
        ) : (
          <p class="empty">None: messages go at any hour.</p>
        )}
      </Card>
      <Card title="Arbitration and priorities">
        {p.arbitration ? (
          <p>
            Requests for one customer compete by{' '}
            <strong>{p.arbitration.mode === 'learned' ? 'learned propensity × value × weight' : 'journey priority'}</strong>
            {p.arbitration.windowMinutes > 0 ? `, gathered over ${p.arbitration.windowMinutes} minutes` : ', when decided together'}; the losers wait or are
            dropped as their journey says, never longer than {hours(p.deferLimitHours)}.
          </p>
        ) : (
          <p class="empty">None: each request is decided on its own.</p>
        )}
      </Card>
      <Card title="Control group">
        {p.controlGroup ? (
          <p>
            <strong>{formatPercent(p.controlGroup.share)}</strong> of customers get no marketing message (salt “{p.controlGroup.salt}”): the comparison group
            for incrementality.
          </p>
        ) : (
          <p class="empty">None: nobody is held out.</p>
        )}
      </Card>
      <Card title="Fatigue">
        {p.fatigue ? (
          <p>
            A {p.fatigue.by} ignored <strong>{p.fatigue.ignoredInARow}</strong> times in a row (no response within {p.fatigue.respondWithinHours} hours) is not
            sent to that customer for <strong>{p.fatigue.suppressForDays} days</strong>.
          </p>
        ) : (
          <p class="empty">None.</p>
        )}
      </Card>
    </div>
  );
}
