import { CloudEvent, Kafka as CloudEventsKafka } from 'cloudevents';
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { EVENT_CONTENT_TYPE } from '@cdp/contracts';
import type { OutboxMessage } from './entities';

export interface EncodedMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
  timestamp: string;
}

/**
 * Encodes an outbox row as a CloudEvents 1.0 Kafka message in binary mode, using the
 * `cloudevents` SDK's Kafka binding: attributes in `ce_*` headers, the payload as the value,
 * the community id as the key (`partitionkey` extension).
 */
export function encodeOutboxMessage(row: OutboxMessage): EncodedMessage {
  const event = new CloudEvent({
    id: row.id,
    source: row.source,
    type: row.type,
    subject: row.subject,
    time: row.occurredAt.toISOString(),
    datacontenttype: EVENT_CONTENT_TYPE,
    data: JSON.parse(row.payload) as object,
    partitionkey: row.communityId,
  });
  const msg = CloudEventsKafka.binary(event);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(msg.headers)) if (v !== undefined && v !== null) headers[k] = String(v);
  return { key: row.communityId, value: JSON.stringify(msg.value), headers, timestamp: String(row.occurredAt.getTime()) };
}

export interface DecodedEvent {
  id: string;
  source: string;
  type: string;
  subject?: string;
  time?: string;
  specversion: string;
  data: unknown;
  key?: string;
}

export class UndecodableMessage extends Error {}

/** Decodes a Kafka message with the SDK's binding, as any outside consumer would. */
export function decodeKafkaMessage(message: Pick<KafkaMessage, 'headers' | 'key' | 'value'>): DecodedEvent {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries((message.headers ?? {}) as IHeaders)) {
    if (v === undefined) continue;
    headers[k] = Array.isArray(v) ? v.map(String).join(',') : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  }
  if (!message.value) throw new UndecodableMessage('message has no value');
  try {
    const ev = CloudEventsKafka.toEvent({ headers, key: message.key?.toString('utf8'), value: message.value } as never) as CloudEvent<unknown>;
    let data: unknown = ev.data;
    if (typeof data === 'string') data = JSON.parse(data);
    if (Buffer.isBuffer(data)) data = JSON.parse(data.toString('utf8'));
    return { id: ev.id, source: ev.source, type: ev.type, subject: ev.subject, time: ev.time, specversion: ev.specversion, data, key: message.key?.toString('utf8') };
  } catch (e) {
    throw new UndecodableMessage(`not a CloudEvents message: ${(e as Error).message}`);
  }
}
