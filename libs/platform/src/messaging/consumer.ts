import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { Consumer, EachMessagePayload, Kafka } from 'kafkajs';
import { contractForTopic, type EventContract, type PayloadOf } from '@cdp/contracts';
import { WorkingDayCalendar } from '@cdp/util';
import type { Logger } from '../logger';
import type { Em, Orm } from '../orm';
import { InboxEntry } from './entities';
import { decodeKafkaMessage, type DecodedEvent } from './cloudevents';

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

export type ProcessOutcome = 'applied' | 'duplicate' | 'invalid';

export interface ConsumerOptions {
  orm: Orm;
  kafka: Kafka;
  /** consumer group id and inbox consumer name, e.g. `disclosure` */
  groupId: string;
  handlers: EventHandler[];
  logger: Logger;
  calendar?: WorkingDayCalendar;
}

/**
 * Idempotent consumer. For each message: decode the CloudEvent, validate the payload against
 * its contract, then in ONE transaction insert (consumer, source, id) into the inbox and apply
 * the handler. A repeated event fails the inbox insert and changes nothing; the Kafka offset is
 * committed only after the transaction, so a crash re-delivers rather than loses.
 */
export class EventConsumer {
  private consumer: Consumer | null = null;
  private readonly handlers = new Map<string, EventHandler>();
  private joined = false;
  readonly counts = { applied: 0, duplicate: 0, invalid: 0, failed: 0 };
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
    return this.handlers.size === 0 || this.joined;
  }

  async start(): Promise<void> {
    if (this.handlers.size === 0) return;
    const consumer = this.opts.kafka.consumer({
      groupId: this.opts.groupId,
      sessionTimeout: 30000,
      heartbeatInterval: 3000,
      retry: { retries: 10, initialRetryTime: 300, maxRetryTime: 10000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
    });
    consumer.on(consumer.events.CRASH, (e) => {
      this.joined = false;
      this.opts.logger.error({ err: e.payload.error?.message, restart: e.payload.restart }, 'consumer crashed');
    });
    await connectWithRetry(() => consumer.connect(), this.opts.logger);
    await consumer.subscribe({ topics: this.topics, fromBeginning: true });
    await consumer.run({ eachMessage: (p) => this.onMessage(p) });
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = null;
    this.joined = false;
  }

  private async onMessage({ topic, partition, message }: EachMessagePayload): Promise<void> {
    let event: DecodedEvent;
    try {
      event = decodeKafkaMessage(message);
    } catch (e) {
      this.counts.invalid += 1;
      this.opts.logger.error({ topic, partition, offset: message.offset, err: (e as Error).message }, 'undecodable message skipped');
      return;
    }
    try {
      const outcome = await this.process(topic, event, { partition, offset: message.offset });
      this.counts[outcome] += 1;
    } catch (e) {
      this.counts.failed += 1;
      this.opts.logger.error({ topic, partition, offset: message.offset, eventId: event.id, err: (e as Error).message }, 'event handler failed; will be retried');
      throw e;
    }
  }

  /**
   * Validates and applies one decoded event. Exposed so tests (and replay tools) can feed events
   * in any order without a broker.
   */
  async process(topic: string, event: DecodedEvent, at: { partition: number; offset: string } = { partition: -1, offset: '-1' }): Promise<ProcessOutcome> {
    const handler = this.handlers.get(topic);
    const contract = contractForTopic(topic);
    if (!handler || !contract) return 'invalid';
    const parsed = contract.schema.safeParse(event.data);
    if (!parsed.success) {
      this.opts.logger.error({ topic, eventId: event.id, issues: parsed.error.issues }, 'event breaks its contract; skipped');
      return 'invalid';
    }
    const meta: EventMeta = { id: event.id, source: event.source, time: event.time, topic, partition: at.partition, offset: at.offset };
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

async function connectWithRetry(connect: () => Promise<void>, logger: Logger): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await connect();
      return;
    } catch (e) {
      const wait = Math.min(10000, 250 * 2 ** attempt);
      logger.warn({ err: (e as Error).message, attempt, retryInMs: wait }, 'broker not reachable; consumer retrying');
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
