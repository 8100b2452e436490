import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { Partitioners, type Kafka, type KafkaMessage, type Producer } from 'kafkajs';
import { contractForTopic, dlqTopic, eventType, type DeadLetter, type EventContract, type PayloadOf } from '@cdp/contracts';
import { WorkingDayCalendar } from '@cdp/util';
import type { Logger } from '../logger';
import type { Em, Orm } from '../orm';
import { InboxEntry } from './entities';
import { decodeKafkaMessage, type DecodedEvent } from './cloudevents';
import { ResilientConsumer, type Delivered } from './resilient-consumer';

export interface EventMeta {
  id: string;
  source: string;
  time?: string;
  topic: string;
  partition: number;
  offset: string;
}

/** What a handler may use besides the transaction: the calendar and the logger. */
export interface HandlerDeps {
  calendar: WorkingDayCalendar;
  logger: Logger;
}

export interface EventHandler<C extends EventContract = EventContract> {
  contract: C;
  /** Applies the effect. Runs inside the transaction that records the event as processed. */
  handle(em: Em, payload: PayloadOf<C>, meta: EventMeta, deps: HandlerDeps): Promise<void>;
}

/** Declares a handler for one contract (keeps the payload typed). */
export function on<C extends EventContract>(contract: C, handle: (em: Em, payload: PayloadOf<C>, meta: EventMeta, deps: HandlerDeps) => Promise<void>): EventHandler {
  return { contract, handle } as unknown as EventHandler;
}

export type ProcessOutcome = 'applied' | 'duplicate';

export class InvalidEvent extends Error {}

export interface ConsumerOptions {
  orm: Orm;
  kafka: Kafka;
  /** consumer group id and inbox consumer name, e.g. `disclosure` */
  groupId: string;
  handlers: EventHandler[];
  logger: Logger;
  calendar?: WorkingDayCalendar;
  /** deliveries before a message goes to `<topic>.dlq` (default 5) */
  maxAttempts?: number;
  /** first retry delay, doubling (default 250 ms) */
  retryBackoffMs?: number;
}

/**
 * Idempotent consumer. For each message: decode the CloudEvent (the `cloudevents` SDK's Kafka
 * binding), validate the payload against its contract, then in ONE transaction insert
 * (consumer, source, id) into the inbox and apply the handler. A repeated event fails the
 * inbox insert and changes nothing; the Kafka offset is committed only after the transaction,
 * so a crash re-delivers rather than loses. A message that stays invalid, or whose handler keeps
 * failing, is retried `maxAttempts` times and then published to `<topic>.dlq` with the error and
 * its origin; the consumer moves on.
 */
export class EventConsumer {
  private consumer: ResilientConsumer | null = null;
  private dlqProducer: Producer | null = null;
  private readonly handlers = new Map<string, EventHandler>();
  readonly counts = { applied: 0, duplicate: 0, retried: 0, deadLettered: 0 };
  private readonly deps: HandlerDeps;

  constructor(private readonly opts: ConsumerOptions) {
    this.deps = { calendar: opts.calendar ?? new WorkingDayCalendar(), logger: opts.logger };
    for (const h of opts.handlers) {
      if (this.handlers.has(h.contract.topic)) throw new Error(`two handlers for ${h.contract.topic}`);
      this.handlers.set(h.contract.topic, h);
    }
  }

  get topics(): string[] {
    return [...this.handlers.keys()];
  }

  /** True once the consumer joined its group (readiness). */
  get ready(): boolean {
    return this.handlers.size === 0 || (this.consumer?.joined ?? false);
  }

  async start(): Promise<void> {
    if (this.handlers.size === 0) return;
    this.dlqProducer = this.opts.kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false });
    this.consumer = new ResilientConsumer({
      kafka: this.opts.kafka,
      groupId: this.opts.groupId,
      topics: this.topics,
      logger: this.opts.logger,
      maxAttempts: this.opts.maxAttempts,
      retryBackoffMs: this.opts.retryBackoffMs,
      handle: async ({ topic, message }, attempt) => {
        if (attempt > 1) this.counts.retried += 1;
        const outcome = await this.process(topic, decodeOrThrow(message));
        this.counts[outcome] += 1;
      },
      onPoison: (m, error, attempts) => this.deadLetter(m, error, attempts),
    });
    await this.consumer.start();
  }

  async stop(): Promise<void> {
    await this.consumer?.stop();
    await this.dlqProducer?.disconnect().catch(() => undefined);
    this.consumer = null;
  }

  private async deadLetter({ topic, partition, offset, message }: Delivered, error: Error, attempts: number): Promise<void> {
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(message.headers ?? {})) if (v !== undefined) headers[k] = Array.isArray(v) ? v.map(String).join(',') : v.toString();
    const letter: DeadLetter = {
      error: error.message.slice(0, 2000),
      attempts,
      consumer: this.opts.groupId,
      failedAt: new Date().toISOString(),
      origin: { topic, partition, offset, key: message.key?.toString('utf8') ?? null, timestamp: message.timestamp ?? null },
      headers,
      value: message.value?.toString('utf8') ?? null,
    };
    await this.dlqProducer!.connect();
    await this.dlqProducer!.send({ topic: dlqTopic(topic), acks: -1, messages: [{ key: letter.origin.key, value: JSON.stringify(letter) }] });
    this.counts.deadLettered += 1;
    this.opts.logger.error({ topic, partition, offset, attempts, err: error.message, dlq: dlqTopic(topic) }, 'message dead-lettered; moving on');
  }

  /**
   * Validates and applies one decoded event. Exposed so tests (and replay tools) can feed events
   * in any order without a broker. Throws InvalidEvent when it breaks its contract.
   */
  async process(topic: string, event: DecodedEvent): Promise<ProcessOutcome> {
    const handler = this.handlers.get(topic);
    const contract = contractForTopic(topic);
    if (!handler || !contract) throw new InvalidEvent(`no handler for ${topic}`);
    if (event.type !== eventType(topic)) throw new InvalidEvent(`CloudEvents type ${event.type} does not match topic ${topic}`);
    const parsed = contract.schema.safeParse(event.data);
    if (!parsed.success) throw new InvalidEvent(`breaks ${topic}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    const meta: EventMeta = { id: event.id, source: event.source, time: event.time, topic, partition: -1, offset: '-1' };
    let inserted = false;
    try {
      await this.opts.orm.em.fork().transactional(async (tx) => {
        await (tx as Em).insert(InboxEntry, { consumer: this.opts.groupId, source: event.source, eventId: event.id, topic, processedAt: new Date() });
        inserted = true;
        await handler.handle(tx as Em, parsed.data as never, meta, this.deps);
      });
    } catch (e) {
      if (!inserted && e instanceof UniqueConstraintViolationException) return 'duplicate';
      throw e;
    }
    return 'applied';
  }
}

function decodeOrThrow(message: KafkaMessage): DecodedEvent {
  try {
    return decodeKafkaMessage(message);
  } catch (e) {
    throw new InvalidEvent((e as Error).message);
  }
}
