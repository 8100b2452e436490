import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one service (prom-client: the maintained Node client). */
export function createMetrics(service: string) {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    outboxPending: new Gauge({ name: 'outbox_pending_rows', help: 'Outbox rows not yet acknowledged by the broker', registers: [registry] }),
    outboxOldestAge: new Gauge({ name: 'outbox_oldest_pending_age_seconds', help: 'Age of the oldest unpublished outbox row', registers: [registry] }),
    outboxPublished: new Gauge({ name: 'outbox_published_total', help: 'Outbox rows published since start', registers: [registry] }),
    outboxFailures: new Gauge({ name: 'outbox_failed_attempts_total', help: 'Failed publish attempts since start', registers: [registry] }),
    consumed: new Gauge({ name: 'events_consumed_total', help: 'Events handled since start, by outcome', labelNames: ['outcome'] as const, registers: [registry] }),
  };
}
export type Metrics = ReturnType<typeof createMetrics>;
