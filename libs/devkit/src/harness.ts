import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import type { EventContract, PayloadOf } from '@cdp/contracts';
import { eventSource, eventType, isDlqTopic } from '@cdp/contracts';
import { DEV_GATEWAY_SECRET, GATEWAY_SECRET_HEADER, ResilientConsumer, createLogger, signDevToken, decodeKafkaMessage, encodeOutboxMessage, loadServiceConfig, startService, type DecodedEvent, type OutboxMessage, type RunningService, type ServiceModule, type StartOptions } from '@cdp/platform';
import type { Actor } from '@cdp/util';
import { createTestDatabase, type TestDatabase } from './database';
import { graphql, type GraphQLResponse } from './graphql';

export interface TestService extends RunningService {
  db: TestDatabase;
  /** POST a GraphQL operation to this subgraph (with the gateway credential, as the gateway would) */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
  /** the same, as this caller (a development token is signed for it) */
  as(actor: Actor): <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) => Promise<GraphQLResponse<T>>;
  /** stop the service and drop its database */
  close(): Promise<void>;
}

/**
 * Starts one service in-process on a fresh database (SQLite, or PostgreSQL when
 * TEST_DATABASE=postgres) against a real broker, on a free port.
 */
export async function startTestService<L>(
  mod: ServiceModule<L>,
  opts: { brokers: string[]; env?: Record<string, string>; db?: TestDatabase; start?: StartOptions },
): Promise<TestService> {
  const db = opts.db ?? (await createTestDatabase(mod.name));
  const config = loadServiceConfig(
    {
      PORT: '0',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: opts.brokers.join(','),
      KAFKA_CLIENT_ID: `${mod.name}-test`,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
      RELAY_INTERVAL_MS: '50',
      RELAY_MAX_BACKOFF_MS: '1000',
      NODE_ENV: 'test',
      ...opts.env,
    },
    {},
  );
  const logger = createLogger(mod.name, config.LOG_LEVEL);
  const running = await startService(mod, config, { logger, ...opts.start });
  return {
    ...running,
    db,
    gql: (query, variables = {}, headers = {}) => graphql(running.url, query, variables, { [GATEWAY_SECRET_HEADER]: DEV_GATEWAY_SECRET, ...headers }),
    as: (actor) => async (query, variables = {}) =>
      graphql(running.url, query, variables, { [GATEWAY_SECRET_HEADER]: DEV_GATEWAY_SECRET, authorization: `Bearer ${await signDevToken(actor)}` }),
    async close() {
      await running.stop();
      await db.drop();
    },
  };
}

function testKafka(brokers: string[]): Kafka {
  return new Kafka({ brokers, clientId: `test-${randomUUID().slice(0, 8)}`, logLevel: logLevel.NOTHING, retry: { retries: 3 } });
}

/**
 * Publishes an event as another service would (CloudEvents binary mode, key = community id),
 * straight to the broker. Returns the CloudEvents id.
 */
export async function publishTestEvent<C extends EventContract>(
  brokers: string[],
  contract: C,
  payload: PayloadOf<C>,
  opts: { id?: string; time?: Date } = {},
): Promise<string> {
  const id = opts.id ?? randomUUID();
  const row = {
    id,
    topic: contract.topic,
    type: eventType(contract.topic),
    source: eventSource(contract.producer),
    subject: contract.subject(payload),
    communityId: contract.key(payload),
    payload: JSON.stringify(payload),
    occurredAt: opts.time ?? new Date(),
  } as OutboxMessage;
  const producer = testKafka(brokers).producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  try {
    await producer.send({ topic: contract.topic, acks: -1, messages: [encodeOutboxMessage(row)] });
  } finally {
    await producer.disconnect();
  }
  return id;
}

export interface EventCollector {
  /** every event received so far, decoded with the CloudEvents SDK, with its topic */
  readonly events: (DecodedEvent & { topic: string })[];
  /** messages that could not be decoded even after re-fetching */
  readonly undecodable: { topic: string; offset: string; error: string }[];
  stop(): Promise<void>;
}

/**
 * Subscribes (from the beginning, own consumer group) and collects what arrives, decoded with
 * the CloudEvents SDK as an outside consumer would (dead-letter topics: their JSON envelope).
 */
export async function collectEvents(brokers: string[], topics: string[]): Promise<EventCollector> {
  const events: (DecodedEvent & { topic: string })[] = [];
  const undecodable: { topic: string; offset: string; error: string }[] = [];
  const consumer = new ResilientConsumer({
    kafka: testKafka(brokers),
    groupId: `collector-${randomUUID()}`,
    topics,
    logger: createLogger('collector', process.env.TEST_LOG_LEVEL ?? 'silent'),
    maxAttempts: 5,
    retryBackoffMs: 50,
    handle: async ({ topic, message }) => {
      if (isDlqTopic(topic)) {
        // dead letters are plain JSON envelopes, not CloudEvents
        const data = JSON.parse(message.value?.toString('utf8') ?? 'null') as unknown;
        events.push({ id: '', source: '', type: 'dead-letter', specversion: '', data, key: message.key?.toString('utf8'), topic });
        return;
      }
      events.push({ ...decodeKafkaMessage(message), topic });
    },
    onPoison: async ({ topic, offset }, error) => {
      undecodable.push({ topic, offset, error: error.message });
    },
  });
  await consumer.start();
  await new Promise<void>((resolve, reject) => {
    const t0 = Date.now();
    const tick = setInterval(() => {
      if (consumer.joined) {
        clearInterval(tick);
        resolve();
      } else if (Date.now() - t0 > 30000) {
        clearInterval(tick);
        reject(new Error('collector did not join its group in 30 s'));
      }
    }, 50);
  });
  return { events, undecodable, stop: () => consumer.stop() };
}
