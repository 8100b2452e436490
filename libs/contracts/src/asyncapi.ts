import { z } from 'zod';
import { CATALOGUE } from './catalogue';
import type { EventContract } from './define';
import { deadLetterSchema, dlqTopic } from './dlq';
import { CE_HEADERS, CLOUDEVENTS_SPECVERSION, EVENT_CONTENT_TYPE, eventSource, eventType } from './envelope';

/** Partitions per topic; the key (community id) picks the partition, so order holds per community. */
export const TOPIC_PARTITIONS = 3;

export interface AsyncApiOptions {
  /** host:port of the Kafka server the document describes (Mokapi serves it there) */
  kafkaHost: string;
  /** version of the document; bump when the catalogue changes */
  version?: string;
}

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { target: 'draft-7', io: 'output' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

function channelId(c: EventContract): string {
  return c.topic.replace(/[.-](\w)/g, (_m, ch: string) => ch.toUpperCase());
}

function headersSchema(c: EventContract): Record<string, unknown> {
  return {
    type: 'object',
    description: 'CloudEvents 1.0 context attributes, Kafka protocol binding, binary mode',
    required: [CE_HEADERS.id, CE_HEADERS.source, CE_HEADERS.type, CE_HEADERS.specversion, CE_HEADERS.time, CE_HEADERS.subject],
    properties: {
      [CE_HEADERS.id]: { type: 'string', format: 'uuid', description: 'Event id; unique together with ce_source. Dedupe on (ce_source, ce_id).' },
      [CE_HEADERS.source]: { type: 'string', const: eventSource(c.producer), description: 'The publishing service' },
      [CE_HEADERS.type]: { type: 'string', const: eventType(c.topic), description: 'Event type, equal to the topic' },
      [CE_HEADERS.specversion]: { type: 'string', const: CLOUDEVENTS_SPECVERSION },
      [CE_HEADERS.time]: { type: 'string', format: 'date-time', description: 'When the change happened (committed)' },
      [CE_HEADERS.subject]: { type: 'string', description: `Id of the ${c.aggregate} the event is about` },
      [CE_HEADERS.contentType]: { type: 'string', const: EVENT_CONTENT_TYPE },
    },
  };
}

/**
 * The AsyncAPI 3.0 document of every topic, derived from the contracts. Operations are the
 * platform's `send`s; which services consume a topic is stated in `x-consumers` (and the
 * channel description) rather than as `receive` operations — Mokapi treats a `receive`
 * operation as a constraint on consumer groups and then stalls other groups' offset fetches.
 */
export function buildAsyncApi(opts: AsyncApiOptions): Record<string, unknown> {
  const channels: Record<string, unknown> = {};
  const operations: Record<string, unknown> = {};
  const messages: Record<string, unknown> = {};

  for (const c of CATALOGUE) {
    const id = channelId(c);
    messages[c.name] = {
      name: c.name,
      title: c.summary,
      summary: c.summary,
      description: c.description,
      contentType: EVENT_CONTENT_TYPE,
      headers: headersSchema(c),
      payload: jsonSchema(c.schema),
      correlationId: { description: 'CloudEvents id', location: `$message.header#/${CE_HEADERS.id}` },
      bindings: {
        kafka: {
          key: { type: 'string', format: 'uuid', description: 'Community 社区 id: events of one community keep their order' },
          bindingVersion: '0.5.0',
        },
      },
      examples: [
        {
          name: 'example',
          headers: {
            [CE_HEADERS.id]: '00000000-0000-4000-8000-000000000001',
            [CE_HEADERS.source]: eventSource(c.producer),
            [CE_HEADERS.type]: eventType(c.topic),
            [CE_HEADERS.specversion]: CLOUDEVENTS_SPECVERSION,
            [CE_HEADERS.time]: '2026-11-10T08:00:00.000Z',
            [CE_HEADERS.subject]: c.subject(c.example),
            [CE_HEADERS.contentType]: EVENT_CONTENT_TYPE,
          },
          payload: c.example,
        },
      ],
      'x-producer': c.producer,
      'x-consumers': c.consumers,
    };
    channels[id] = {
      address: c.topic,
      title: c.topic,
      summary: c.summary,
      description: `${c.description}\n\nPublished by **${c.producer}**; consumed by ${c.consumers.length ? c.consumers.map((s) => `**${s}**`).join(', ') : 'no service of the platform (outside subscribers only)'}. Key: community id.`,
      messages: { [c.name]: { $ref: `#/components/messages/${c.name}` } },
      bindings: { kafka: { partitions: TOPIC_PARTITIONS, replicas: 1, bindingVersion: '0.5.0' } },
    };
    operations[`${c.producer}Publishes${c.name}`] = {
      action: 'send',
      title: `${c.producer} publishes ${c.name}`,
      channel: { $ref: `#/channels/${id}` },
      messages: [{ $ref: `#/channels/${id}/messages/${c.name}` }],
      'x-service': c.producer,
      'x-consumers': c.consumers,
    };
  }

  // one dead-letter topic per topic (R: poison messages never block a consumer)
  messages.DeadLetter = {
    name: 'DeadLetter',
    title: 'A message a consumer gave up on',
    summary: 'Dead letter: the original message, the error and its origin',
    contentType: EVENT_CONTENT_TYPE,
    payload: jsonSchema(deadLetterSchema),
    bindings: { kafka: { key: { type: 'string', description: 'The original key (community id), when there was one' }, bindingVersion: '0.5.0' } },
  };
  for (const c of CATALOGUE) {
    const id = `${channelId(c)}Dlq`;
    channels[id] = {
      address: dlqTopic(c.topic),
      title: dlqTopic(c.topic),
      summary: `Dead letters of ${c.topic}`,
      description: `Messages of \`${c.topic}\` that a consumer could not process after its retries (invalid, or its handler kept failing). \`npm run dlq -- list|redrive\`.`,
      messages: { DeadLetter: { $ref: '#/components/messages/DeadLetter' } },
      bindings: { kafka: { partitions: 1, replicas: 1, bindingVersion: '0.5.0' } },
    };
    operations[`deadLetters${c.name}`] = {
      action: 'send',
      title: `consumers of ${c.topic} dead-letter what they give up on`,
      channel: { $ref: `#/channels/${id}` },
      messages: [{ $ref: `#/channels/${id}/messages/DeadLetter` }],
      'x-service': c.consumers,
    };
  }

  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Community democracy platform events 社区民主决策、民主管理事件',
      version: opts.version ?? '1.0.0',
      description:
        'Every event the platform publishes. Generated from libs/contracts — do not edit by hand (`npm run asyncapi`). ' +
        'Envelope: CloudEvents 1.0, Kafka protocol binding, binary mode. Key: community id; order holds per community. ' +
        'Delivery is at least once: dedupe by (ce_source, ce_id). A breaking change gets a new `.vN+1` topic.',
    },
    defaultContentType: EVENT_CONTENT_TYPE,
    servers: {
      local: { host: opts.kafkaHost, protocol: 'kafka', description: 'Mokapi locally and in tests; any Kafka cluster in production' },
    },
    channels,
    operations,
    components: { messages },
  };
}
