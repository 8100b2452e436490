import type { ServiceName } from './define';

/**
 * Events travel as CloudEvents 1.0 in the Kafka protocol binding's **binary mode**: the Kafka
 * value is the event data (JSON, the contract's payload), the Kafka key is the community id,
 * and the context attributes are headers `ce_id`, `ce_source`, `ce_type`, `ce_specversion`,
 * `ce_time`, `ce_subject` plus `content-type: application/json`.
 * Binary mode keeps the value equal to the payload schema, which is what the AsyncAPI document
 * (and so Mokapi) validates. `source` + `id` is unique per event: dedupe on it.
 */
export const CLOUDEVENTS_SPECVERSION = '1.0';
export const EVENT_CONTENT_TYPE = 'application/json';

/** CloudEvents `source` of everything a service publishes. */
export function eventSource(service: ServiceName): string {
  return `/community-platform/${service}`;
}

/** CloudEvents `type`: the topic name, which already carries service, aggregate, event and version. */
export function eventType(topic: string): string {
  return topic;
}

/** Header names of the binary mode, as they appear on Kafka. */
export const CE_HEADERS = {
  id: 'ce_id',
  source: 'ce_source',
  type: 'ce_type',
  specversion: 'ce_specversion',
  time: 'ce_time',
  subject: 'ce_subject',
  contentType: 'content-type',
} as const;
