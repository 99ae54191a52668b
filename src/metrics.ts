/**
 * Prometheus instruments, created once in main.ts and passed to the modules that
 * count. No default global registry: two Touchpoints in one process (tests) do
 * not share counters.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  registry: Registry;
  eventsAccepted: Counter<'channel'>;
  eventsDuplicate: Counter;
  eventsRejected: Counter<'code'>;
  eventsErased: Counter;
  ackLatency: Histogram;
  commitSize: Histogram;
  pipelineEvents: Counter<'outcome' | 'stage'>;
  pipelineLagEvents: Gauge;
  pipelineLagSeconds: Gauge;
  deliveries: Counter<'channel' | 'outcome'>;
  deliverySeconds: Histogram<'channel'>;
  previewEventsRead: Counter;
}

export function createMetrics(options: { processMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'touchpoint_' });
  return {
    registry,
    eventsAccepted: new Counter({
      name: 'touchpoint_events_accepted_total',
      help: 'Events durably appended to the event log, by channel.',
      labelNames: ['channel'],
      registers: [registry],
    }),
    eventsDuplicate: new Counter({
      name: 'touchpoint_events_duplicate_total',
      help: 'Events acknowledged but not stored again because their messageId was seen before.',
      registers: [registry],
    }),
    eventsRejected: new Counter({
      name: 'touchpoint_events_rejected_total',
      help: 'Events or requests rejected, by error code.',
      labelNames: ['code'],
      registers: [registry],
    }),
    eventsErased: new Counter({
      name: 'touchpoint_events_erased_total',
      help: 'Events acknowledged but not stored because they carry an identifier of an erased person.',
      registers: [registry],
    }),
    ackLatency: new Histogram({
      name: 'touchpoint_ack_latency_seconds',
      help: 'Time from a tracking request being parsed to its events being durable.',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    commitSize: new Histogram({
      name: 'touchpoint_log_commit_events',
      help: 'Events written per event-log commit (group commit).',
      buckets: [1, 10, 50, 100, 250, 500, 1000, 2500, 5000, 10000],
      registers: [registry],
    }),
    pipelineEvents: new Counter({
      name: 'touchpoint_pipeline_events_total',
      help: 'Events processed by the pipeline, by outcome (applied, skipped, dropped, dead_letter) and the stage that decided.',
      labelNames: ['outcome', 'stage'],
      registers: [registry],
    }),
    pipelineLagEvents: new Gauge({
      name: 'touchpoint_pipeline_lag_events',
      help: 'Events in the log not yet processed by the pipeline.',
      registers: [registry],
    }),
    pipelineLagSeconds: new Gauge({
      name: 'touchpoint_pipeline_lag_seconds',
      help: 'Age of the oldest event not yet processed by the pipeline.',
      registers: [registry],
    }),
    deliveries: new Counter({
      name: 'touchpoint_deliveries_total',
      help: 'Delivery tries by channel and outcome: sent, retry (another try is due), failed (refused for good or out of tries: a dead letter).',
      labelNames: ['channel', 'outcome'],
      registers: [registry],
    }),
    deliverySeconds: new Histogram({
      name: 'touchpoint_delivery_seconds',
      help: 'Time one delivery try took (the provider\u2019s answer), by channel.',
      labelNames: ['channel'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    previewEventsRead: new Counter({
      name: 'touchpoint_segment_preview_events_read_total',
      help: 'Events segment previews read from customers\u2019 timelines to count event conditions no saved segment counts yet.',
      registers: [registry],
    }),
  };
}
