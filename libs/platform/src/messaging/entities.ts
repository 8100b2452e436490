import { BigIntType, Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * Transactional outbox (in the spirit of Debezium's outbox event router): a row is written in
 * the same transaction as the state change it announces, and the relay publishes it afterwards.
 * `seq` orders rows; `id` is the CloudEvents id.
 */
@Entity({ tableName: 'outbox' })
@Index({ properties: ['publishedAt', 'seq'] })
export class OutboxMessage {
  [OptionalProps]?: 'seq' | 'attempts' | 'publishedAt' | 'lastError' | 'txid';

  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  seq!: number;

  /** CloudEvents `id` (uuid) */
  @Property({ type: 'uuid' })
  @Unique()
  id!: string;

  @Property({ type: 'string', length: 200 })
  topic!: string;

  /** CloudEvents `type` */
  @Property({ type: 'string', length: 200 })
  type!: string;

  /** CloudEvents `source` */
  @Property({ type: 'string', length: 200 })
  source!: string;

  /** CloudEvents `subject`: id of the aggregate */
  @Property({ type: 'string', length: 100 })
  subject!: string;

  @Property({ type: 'string', length: 100 })
  aggregateType!: string;

  /** Kafka key */
  @Property({ type: 'string', length: 100 })
  @Index()
  communityId!: string;

  /** The validated payload, serialised */
  @Property({ type: 'text' })
  payload!: string;

  /** CloudEvents `time` */
  @Property({ type: 'datetime' })
  occurredAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  publishedAt?: Date | null;

  /**
   * PostgreSQL only: the id of the inserting transaction (column default
   * `pg_current_xact_id()`), so the relay publishes a row only once every transaction that
   * could still commit an earlier row has finished. Null on SQLite (single writer).
   */
  @Property({ type: new BigIntType('number'), nullable: true })
  txid?: number | null;

  @Property({ type: 'integer' })
  attempts: number = 0;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null;
}

/**
 * Idempotent consumer ("processed messages" table): the (consumer, source, id) of every event a
 * consumer applied, inserted in the same transaction as the effect. A second delivery hits the
 * primary key and changes nothing.
 */
@Entity({ tableName: 'inbox' })
export class InboxEntry {
  @PrimaryKey({ type: 'string', length: 100 })
  consumer!: string;

  @PrimaryKey({ type: 'string', length: 200 })
  source!: string;

  @PrimaryKey({ type: 'string', length: 100 })
  eventId!: string;

  @Property({ type: 'string', length: 200 })
  topic!: string;

  @Property({ type: 'datetime' })
  processedAt!: Date;
}

export const MESSAGING_ENTITIES = [OutboxMessage, InboxEntry];
