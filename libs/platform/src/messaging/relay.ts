import { createHash } from 'node:crypto';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Logger } from '../logger';
import { databaseKind, type Em, type Orm } from '../orm';
import { OutboxMessage } from './entities';
import { encodeOutboxMessage } from './cloudevents';

export interface RelayOptions {
  orm: Orm;
  databaseUrl: string;
  kafka: Kafka;
  service: string;
  logger: Logger;
  intervalMs: number;
  batchSize: number;
  maxBackoffMs: number;
  /** test hook: runs after the broker acknowledged a batch, before the rows are marked published */
  afterSend?: (rows: OutboxMessage[]) => Promise<void> | void;
}

export interface RelayStats {
  /** rows written but not yet acknowledged by the broker */
  pending: number;
  /** age of the oldest pending row, seconds (0 when none) */
  oldestPendingAgeSeconds: number;
  publishedTotal: number;
  failedAttemptsTotal: number;
  brokerReachable: boolean;
  lastError: string | null;
  lastPublishedAt: string | null;
}

/**
 * Publishes the outbox to Kafka, oldest first. A batch is marked published only after the
 * broker acknowledged it (acks = all), so a crash in between re-sends it — delivery is at least
 * once and consumers dedupe. While the broker is unreachable the relay backs off exponentially
 * (up to `maxBackoffMs`) and never drops a row.
 *
 * On PostgreSQL several replicas may run: each batch is taken under a transaction-scoped
 * advisory lock (one per service), so only one relay publishes at a time and rows leave in
 * `seq` order. On SQLite the database is single-writer and one process owns it.
 */
export class OutboxRelay {
  private producer: Producer | null = null;
  private connected = false;
  private running = false;
  private loopDone: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;
  private backoffMs = 0;
  private readonly kind;
  private readonly lockKey: string;
  private readonly counters = { publishedTotal: 0, failedAttemptsTotal: 0, lastError: null as string | null, lastPublishedAt: null as string | null };

  constructor(private readonly opts: RelayOptions) {
    this.kind = databaseKind(opts.databaseUrl);
    // a stable signed 64-bit advisory lock key per service
    this.lockKey = BigInt.asIntN(64, BigInt('0x' + createHash('sha256').update(`outbox:${opts.service}`).digest('hex').slice(0, 16))).toString();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.producer = this.opts.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
      maxInFlightRequests: 1,
      retry: { retries: 2, initialRetryTime: 200, maxRetryTime: 1000 },
    });
    this.loopDone = this.loop();
  }

  /** Publish now instead of at the next interval (called after a commit that wrote outbox rows). */
  wake(): void {
    // while backing off from a broker failure, a new row waits for the next retry
    if (this.backoffMs === 0 || !this.running) this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loopDone;
    if (this.producer && this.connected) await this.producer.disconnect().catch(() => undefined);
    this.connected = false;
  }

  /** Publishes one batch; returns how many rows were published. Exposed for tests and tools. */
  async publishOnce(): Promise<number> {
    if (!this.producer) throw new Error('relay not started');
    if (!this.connected) {
      await this.producer.connect();
      this.connected = true;
    }
    if (this.kind === 'postgresql') {
      return this.opts.orm.em.fork().transactional(async (tx) => {
        const res = await (tx as Em).execute<{ locked: boolean }[]>('select pg_try_advisory_xact_lock(?) as locked', [this.lockKey]);
        if (!res[0]?.locked) return 0;
        return this.publishBatch(tx as Em);
      });
    }
    return this.publishBatch(this.opts.orm.em.fork() as Em);
  }

  /**
   * The next rows to publish, oldest first. On PostgreSQL a row is taken only when its
   * transaction is older than every transaction still running: a transaction that inserted an
   * earlier `seq` but commits later cannot be overtaken by the rows committed after it.
   */
  private async nextRows(em: Em): Promise<OutboxMessage[]> {
    if (this.kind !== 'postgresql') return em.find(OutboxMessage, { publishedAt: null }, { orderBy: { seq: 'asc' }, limit: this.opts.batchSize });
    // em.execute runs inside the relay's transaction (connection.execute would not)
    const seqs = await em.execute<{ seq: string }[]>(
        'select "seq" from "outbox" where "published_at" is null and "txid" < pg_snapshot_xmin(pg_current_snapshot())::text::bigint order by "seq" limit ?',
        [this.opts.batchSize],
      );
    if (!seqs.length) return [];
    return em.find(OutboxMessage, { seq: { $in: seqs.map((r) => Number(r.seq)) } }, { orderBy: { seq: 'asc' } });
  }

  private async publishBatch(em: Em): Promise<number> {
    const rows = await this.nextRows(em);
    if (rows.length === 0) return 0;
    const byTopic = new Map<string, ReturnType<typeof encodeOutboxMessage>[]>();
    for (const row of rows) {
      const list = byTopic.get(row.topic) ?? [];
      list.push(encodeOutboxMessage(row));
      byTopic.set(row.topic, list);
    }
    try {
      await this.producer!.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    } catch (e) {
      const message = (e as Error).message;
      await em.nativeUpdate(OutboxMessage, { seq: rows[0]!.seq }, { attempts: rows[0]!.attempts + 1, lastError: message.slice(0, 1000) });
      throw e;
    }
    await this.opts.afterSend?.(rows);
    await em.nativeUpdate(OutboxMessage, { seq: { $in: rows.map((r) => r.seq) } }, { publishedAt: new Date(), lastError: null });
    this.counters.publishedTotal += rows.length;
    this.counters.lastPublishedAt = new Date().toISOString();
    this.opts.logger.debug({ published: rows.length }, 'outbox batch published');
    return rows.length;
  }

  private async loop(): Promise<void> {
    while (this.running) {
      let published = 0;
      try {
        published = await this.publishOnce();
        this.backoffMs = 0;
        this.counters.lastError = null;
      } catch (e) {
        this.counters.failedAttemptsTotal += 1;
        this.counters.lastError = (e as Error).message;
        this.backoffMs = Math.min(this.opts.maxBackoffMs, this.backoffMs ? this.backoffMs * 2 : this.opts.intervalMs * 2);
        this.opts.logger.warn({ err: (e as Error).message, retryInMs: this.backoffMs }, 'outbox relay could not publish; will retry');
        if (this.connected) {
          await this.producer!.disconnect().catch(() => undefined);
          this.connected = false;
        }
      }
      if (!this.running) break;
      if (published === this.opts.batchSize && this.backoffMs === 0) continue;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, this.backoffMs || this.opts.intervalMs);
        this.wakeUp = () => {
          clearTimeout(t);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  async stats(): Promise<RelayStats> {
    const em = this.opts.orm.em.fork();
    const pending = await em.count(OutboxMessage, { publishedAt: null });
    let oldest = 0;
    if (pending > 0) {
      const first = await em.findOne(OutboxMessage, { publishedAt: null }, { orderBy: { seq: 'asc' } });
      if (first) oldest = Math.max(0, (Date.now() - first.occurredAt.getTime()) / 1000);
    }
    return {
      pending,
      oldestPendingAgeSeconds: Math.round(oldest * 1000) / 1000,
      publishedTotal: this.counters.publishedTotal,
      failedAttemptsTotal: this.counters.failedAttemptsTotal,
      brokerReachable: this.connected && this.counters.lastError === null,
      lastError: this.counters.lastError,
      lastPublishedAt: this.counters.lastPublishedAt,
    };
  }
}
