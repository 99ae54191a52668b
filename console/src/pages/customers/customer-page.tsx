/**
 * Customer 360: who the customer is (traits, identities, household, consent),
 * where they stand (lifecycle, segments, journeys), and one timeline of every
 * touchpoint. A merged-away id opens the customer it was merged into.
 */
import { useEffect, useMemo } from 'preact/hooks';
import { ChannelIcon } from '../../components/channel-icon.js';
import { Card, ErrorBox, Loading, Page, Stat, formatNumber, formatTime } from '../../components/ui.js';
import { useApi } from '../../hooks.js';
import { href } from '../../router.js';
import { ConsentCard, HouseholdCard, IdentitiesCard, JourneysCard, LifecycleCard, SegmentsCard, TraitsCard } from './profile-cards.js';
import { Timeline } from './timeline.js';
import type { Enrolment, Profile } from './types.js';

export function CustomerPage(props: { id: string }) {
  // fetch follows the API's redirect from a merged-away id: the answer is the survivor.
  const profile = useApi<Profile>(`/api/profiles/${encodeURIComponent(props.id)}`);
  const liveId = profile.data?.id;
  const merged = liveId !== undefined && liveId !== props.id;
  useEffect(() => {
    if (merged) history.replaceState(null, '', href(`/customers/${encodeURIComponent(liveId)}`));
  }, [merged, liveId]);
  const enrolments = useApi<{ enrolments: Enrolment[] }>(liveId ? '/api/enrolments' : null, { profileId: liveId });
  const journeyNames = useMemo(() => new Map((enrolments.data?.enrolments ?? []).map((e) => [e.journeyId, e.journeyName])), [enrolments.data]);
  const p = profile.data;
  const title = p ? p.name || p.email || p.id : 'Customer';
  return (
    <Page title={title} actions={<a href={href('/customers')}>All customers</a>}>
      <ErrorBox error={profile.error} />
      {!p && !profile.error && <Loading what="the customer" />}
      {p && (
        <div class="customer-360">
          {merged && (
            <p class="notice" role="status">
              {props.id} was merged into this customer.
            </p>
          )}
          <Card>
            <div class="stats">
              <Stat label="Stage" value={p.stage?.name ?? '–'} />
              <Stat label="Orders" value={formatNumber(p.orders.count)} />
              <Stat label="Revenue" value={formatNumber(p.orders.revenue)} />
              <Stat label="Events" value={formatNumber(p.eventCount)} />
              <Stat label="First seen" value={formatTime(p.firstSeen)} />
              <Stat label="Last seen" value={formatTime(p.lastSeen)} />
            </div>
            <p class="channel-list">
              <span class="sr-only">Channels used: </span>
              {p.channels.map((c) => (
                <ChannelIcon key={c} channel={c} label />
              ))}
            </p>
          </Card>
          <div class="customer-columns">
            <div>
              <Card title="Timeline">
                <Timeline profileId={p.id} journeyNames={journeyNames} />
              </Card>
            </div>
            <div>
              <LifecycleCard profile={p} />
              <SegmentsCard profile={p} />
              <JourneysCard enrolments={enrolments.data?.enrolments} />
              <TraitsCard profile={p} />
              <IdentitiesCard profile={p} />
              <HouseholdCard profile={p} />
              <ConsentCard profile={p} />
            </div>
          </div>
        </div>
      )}
    </Page>
  );
}
