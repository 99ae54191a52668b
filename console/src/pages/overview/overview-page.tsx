/** Overview: where customers stand, which channels they use, and what the brand sent or held back, over 30 or 90 days. */
import type { EChartsCoreOption } from 'echarts/core';
import { useMemo } from 'preact/hooks';
import { Chart } from '../../components/chart.js';
import { Card, ErrorBox, Loading, Page, Stat, formatNumber, formatPercent } from '../../components/ui.js';
import { useApi } from '../../hooks.js';
import { navigate } from '../../router.js';
import { type Activity, type MessageSummary, type ReportTable, channelRingOption, outcomesOption, reasonsOption, stagesOption } from './charts.js';

const DAY = 86_400_000;
export const PERIODS = [30, 90] as const;

/** The period's ends: to the next whole hour, so that the query stays the same while the page is open. */
function periodOf(days: number) {
  const to = Math.ceil(Date.now() / 3_600_000) * 3_600_000;
  return { from: new Date(to - days * DAY).toISOString(), to: new Date(to).toISOString() };
}

export function OverviewPage(props: { days: number }) {
  const period = useMemo(() => periodOf(props.days), [props.days]);
  const activity = useApi<Activity>('/api/activity', period);
  const messages = useApi<MessageSummary>('/api/messages/summary', period);
  const flow = useApi<{ tables: ReportTable[] }>('/api/reports/lifecycle-flow', { ...period, interval: props.days > 45 ? 'week' : 'day' });
  // Another period's figures stay up, dimmed, until this one's are in.
  const busy = activity.loading || messages.loading || flow.loading;
  const shown = activity.data !== undefined || messages.data !== undefined;
  return (
    <Page title="Overview" actions={<PeriodPicker days={props.days} />}>
      {busy && shown && <Loading what={`the last ${props.days} days`} />}
      <div class={busy && shown ? 'stale' : undefined} aria-busy={busy ? 'true' : 'false'}>
        <Headline activity={activity.data} messages={messages.data} />
        <ErrorBox error={activity.error ?? messages.error} />
        <div class="grid wide overview">
          <Card title="Lifecycle stages over time">
            <ErrorBox error={flow.error} />
            {flow.data ? (
              <Chart option={stagesOption(flow.data.tables[0]!)} label="Customers per lifecycle stage over the period, stacked" />
            ) : (
              !flow.error && <Loading what="the lifecycle" />
            )}
          </Card>
          <ChartCard
            title="Messages sent and held back"
            data={messages.data}
            what="messages"
            option={outcomesOption}
            label="Messages per day: sent, suppressed, deferred and pending"
          />
          <ChartCard
            title="Inbound events by channel"
            data={activity.data}
            what="events"
            option={(a) =>
              channelRingOption(
                'Inbound events',
                a.channels.map((c) => ({ channel: c.channel, value: c.events })),
              )
            }
            label="Share of customers' events per channel"
          />
          <ChartCard
            title="Messages sent by channel"
            data={messages.data}
            what="messages"
            option={(m) =>
              channelRingOption(
                'Messages sent',
                m.channels.map((c) => ({ channel: c.channel, value: c.sent })),
              )
            }
            label="Share of messages sent per channel"
          />
          <Card title="Why messages were held back">
            {messages.data && messages.data.reasons.length === 0 && <p class="empty">No message was held back in this period.</p>}
            {messages.data && messages.data.reasons.length > 0 && (
              <Chart
                option={reasonsOption(messages.data)}
                label="Messages suppressed or deferred, by reason"
                height={Math.max(160, 28 * Math.min(10, messages.data.reasons.length) + 40)}
              />
            )}
          </Card>
        </div>
      </div>
    </Page>
  );
}

function Headline(props: { activity?: Activity; messages?: MessageSummary }) {
  const { activity, messages } = props;
  const held = messages ? messages.outcomes.suppressed + messages.outcomes.deferred : undefined;
  return (
    <Card>
      <div class="stats">
        <Stat label="Customers" value={formatNumber(activity?.customers)} />
        <Stat label="Events" value={formatNumber(activity?.events)} hint="inbound, in the period" />
        <Stat label="Orders" value={formatNumber(activity?.orders)} hint="Order Completed, every channel" />
        <Stat label="Messages sent" value={formatNumber(messages?.outcomes.sent)} />
        <Stat
          label="Held back"
          value={formatNumber(held)}
          hint={messages && messages.total > 0 ? `${formatPercent((held ?? 0) / messages.total)} of messages` : undefined}
        />
      </div>
    </Card>
  );
}

function PeriodPicker(props: { days: number }) {
  return (
    <fieldset class="period-picker">
      <legend class="sr-only">Period</legend>
      {PERIODS.map((days) => (
        <button type="button" key={days} aria-pressed={props.days === days} onClick={() => navigate('/', { days: String(days) })}>
          Last {days} days
        </button>
      ))}
    </fieldset>
  );
}

/** A card with a chart of data once it is in, and what is loading until then. */
function ChartCard<T>(props: { title: string; data: T | undefined; what: string; option(data: T): EChartsCoreOption; label: string }) {
  return (
    <Card title={props.title}>
      {props.data === undefined ? <Loading what={props.what} /> : <Chart option={props.option(props.data)} label={props.label} />}
    </Card>
  );
}
