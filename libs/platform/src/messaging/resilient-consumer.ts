import { Partitioners, type Admin, type Consumer, type EachBatchPayload, type Kafka, type KafkaMessage } from 'kafkajs';
import type { Logger } from '../logger';

export interface Delivered {
  topic: string;
  partition: number;
  offset: string;
  message: KafkaMessage;
}

export interface ResilientConsumerOptions {
  kafka: Kafka;
  groupId: string;
  topics: string[];
  logger: Logger;
  /** start a new group at the earliest offset (default true) */
  fromBeginning?: boolean;
  /** deliveries of one message before it is given up as poison (default 5) */
  maxAttempts?: number;
  /** first retry delay; doubles per attempt (default 250 ms) */
  retryBackoffMs?: number;
  /** process one message; throw to have it fetched and delivered again */
  handle(m: Delivered, attempt: number): Promise<void>;
  /** called once a message failed `maxAttempts` times; then the consumer moves on */
  onPoison(m: Delivered, error: Error, attempts: number): Promise<void>;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;
const next = (offset: string) => (BigInt(offset) + 1n).toString();

/**
 * A kafkajs consumer that does not trust the broker's fetch responses blindly and never skips a
 * message silently:
 *  - it knows the next offset it expects per partition (from the group's committed offsets at
 *    every join where the broker answers an admin OffsetFetch, else from what this process
 *    processed) and re-fetches when a batch does not continue exactly there;
 *  - a record whose key does not belong to the partition it came in on is re-fetched;
 *  - a message whose handling throws is re-fetched with exponential back-off, and after
 *    `maxAttempts` deliveries handed to `onPoison` (the dead-letter topic) and passed;
 *  - a crash that kafkajs would not restart from (a non-retriable protocol error) restarts the
 *    consumer from the last committed offset.
 * Offsets are committed only for processed messages: at least once, never at most once.
 * (Mokapi, our local broker, occasionally garbles fetch responses when several groups read the
 * same records at once; this is what keeps the services correct on it. On Kafka it costs one
 * comparison per message.)
 */
export class ResilientConsumer {
  private consumer: Consumer | null = null;
  private admin: Admin | null = null;
  private running = false;
  private joinedFlag = false;
  private restartTimer: NodeJS.Timeout | null = null;
  private readonly expected = new Map<string, string>();
  private readonly attempts = new Map<string, { offset: string; count: number }>();
  private partitionsOf = new Map<string, number>();
  private positionsReady: Promise<void> = Promise.resolve();
  readonly stats = { refetches: 0, restarts: 0, poisoned: 0 };

  constructor(private readonly opts: ResilientConsumerOptions) {}

  get joined(): boolean {
    return this.joinedFlag;
  }

  async start(): Promise<void> {
    this.running = true;
    await this.startOnce();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    await this.consumer?.disconnect().catch(() => undefined);
    await this.admin?.disconnect().catch(() => undefined);
    this.consumer = null;
    this.admin = null;
    this.joinedFlag = false;
  }

  private async startOnce(): Promise<void> {
    const { kafka, groupId, topics, logger } = this.opts;
    // local references: stop() clears the fields while a start may still be under way
    const admin = kafka.admin();
    this.admin = admin;
    const consumer = kafka.consumer({
      groupId,
      sessionTimeout: 30000,
      heartbeatInterval: 3000,
      maxWaitTimeInMs: 1000,
      // kafkajs restarts a crashed consumer by itself, even one whose join was still under way
      // when it was disconnected: that restart would retry a stopped broker forever and keep the
      // process alive. Once stopped, nothing restarts.
      retry: { retries: 8, initialRetryTime: 300, maxRetryTime: 10000, restartOnFailure: async () => this.running },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      this.joinedFlag = true;
      // after a join the group's committed offsets are the truth, not what this process saw
      // before (the broker's log may even have been reset, as when Mokapi restarts)
      for (const [topic, partitions] of Object.entries(e.payload.memberAssignment)) for (const p of partitions) this.expected.delete(key(topic, p));
      this.positionsReady = this.loadPositions(e.payload.memberAssignment).catch((err: Error) => {
        // Mokapi answers no admin OffsetFetch: then the positions this process already knows are
        // kept, and a partition it has not read yet is checked from its second message on
        logger.debug({ err: err.message }, 'committed offsets not readable; using the positions known to this process');
      });
      logger.info({ groupId, topics, durationMs: e.payload.duration }, 'consumer joined its group');
    });
    consumer.on(consumer.events.CRASH, (e) => {
      this.joinedFlag = false;
      logger.warn({ err: e.payload.error?.message, restart: e.payload.restart }, 'consumer crashed');
      if (!e.payload.restart && this.running) this.scheduleRestart();
    });
    // connect, subscribe and run as one step: any of them can meet a broker that is not (yet) there
    await connectWithRetry(
      async () => {
        // stop() may come while a step is under way: check after each one, so a consumer stopped
        // during its start does not connect and run afterwards
        const stillRunning = () => {
          if (!this.running) throw new StoppedWhileStarting();
        };
        try {
          await admin.connect();
          stillRunning();
          await consumer.connect();
          stillRunning();
          await consumer.subscribe({ topics, fromBeginning: this.opts.fromBeginning ?? true });
          stillRunning();
          await consumer.run({ eachBatchAutoResolve: false, autoCommit: true, eachBatch: (p) => this.onBatch(p) });
          stillRunning();
        } catch (e) {
          await consumer.disconnect().catch(() => undefined);
          await admin.disconnect().catch(() => undefined);
          throw e;
        }
      },
      logger,
      () => this.running,
    );
  }

  private scheduleRestart(): void {
    this.stats.restarts += 1;
    const delay = Math.min(10000, 500 * 2 ** Math.min(this.stats.restarts, 5));
    this.restartTimer = setTimeout(() => {
      void (async () => {
        await this.consumer?.disconnect().catch(() => undefined);
        await this.admin?.disconnect().catch(() => undefined);
        if (!this.running) return;
        this.opts.logger.info({ delay }, 'restarting consumer from the last committed offsets');
        await this.startOnce().catch((err: Error) => {
          this.opts.logger.error({ err: err.message }, 'consumer restart failed');
          if (this.running) this.scheduleRestart();
        });
      })();
    }, delay);
  }

  /** Next expected offset per assigned partition: the committed offset, or the earliest. */
  private async loadPositions(assignment: Record<string, number[]>): Promise<void> {
    const admin = this.admin;
    const topics = Object.keys(assignment);
    if (!admin || !topics.length) return; // stopped meanwhile, or nothing assigned
    const meta = await admin.fetchTopicMetadata({ topics });
    this.partitionsOf = new Map(meta.topics.map((t) => [t.name, t.partitions.length]));
    const committed = await admin.fetchOffsets({ groupId: this.opts.groupId, topics });
    for (const { topic, partitions } of committed) {
      const assigned = new Set(assignment[topic] ?? []);
      const needEarliest = partitions.some((p) => assigned.has(p.partition) && p.offset === '-1');
      const earliest = needEarliest ? await admin.fetchTopicOffsets(topic) : [];
      for (const p of partitions) {
        if (!assigned.has(p.partition)) continue;
        const offset = p.offset !== '-1' ? p.offset : (earliest.find((e) => e.partition === p.partition)?.low ?? '0');
        this.expected.set(key(topic, p.partition), offset);
      }
    }
  }

  private keyBelongs(topic: string, partition: number, message: KafkaMessage): boolean {
    const n = this.partitionsOf.get(topic);
    if (!n || !message.key) return true;
    const partitionMetadata = Array.from({ length: n }, (_, i) => ({ partitionId: i, leader: 0, partitionErrorCode: 0, replicas: [], isr: [] }));
    return Partitioners.DefaultPartitioner()({ topic, partitionMetadata, message: { key: message.key, value: null } }) === partition;
  }

  private async onBatch({ batch, resolveOffset, heartbeat, isRunning, isStale, commitOffsetsIfNecessary }: EachBatchPayload): Promise<void> {
    await this.positionsReady;
    const { topic, partition } = batch;
    const tp = key(topic, partition);
    for (const message of batch.messages) {
      if (!isRunning() || isStale()) return;
      const expected = this.expected.get(tp);
      if (expected !== undefined && BigInt(message.offset) < BigInt(expected)) continue; // already processed
      if (expected !== undefined && message.offset !== expected) {
        this.refetch(topic, partition, expected, `offset ${message.offset} where ${expected} was expected`);
        return;
      }
      const delivered: Delivered = { topic, partition, offset: message.offset, message };
      const seen = this.attempts.get(tp);
      const attempt = seen && seen.offset === message.offset ? seen.count + 1 : 1;
      this.attempts.set(tp, { offset: message.offset, count: attempt });
      try {
        if (!this.keyBelongs(topic, partition, message)) throw new Error(`key ${message.key?.toString()} does not belong to partition ${partition}`);
        await this.opts.handle(delivered, attempt);
      } catch (e) {
        const err = e as Error;
        const max = this.opts.maxAttempts ?? 5;
        if (attempt < max) {
          const wait = (this.opts.retryBackoffMs ?? 250) * 2 ** (attempt - 1);
          this.opts.logger.warn({ topic, partition, offset: message.offset, attempt, retryInMs: wait, err: err.message }, 'message not processed; fetching it again');
          await sleepWithHeartbeat(wait, heartbeat);
          this.refetch(topic, partition, message.offset, err.message);
          return;
        }
        this.stats.poisoned += 1;
        await this.opts.onPoison(delivered, err, attempt);
      }
      this.attempts.delete(tp);
      resolveOffset(message.offset);
      this.expected.set(tp, next(message.offset));
      await heartbeat();
    }
    await commitOffsetsIfNecessary();
  }

  private refetch(topic: string, partition: number, offset: string, reason: string): void {
    this.stats.refetches += 1;
    this.opts.logger.debug({ topic, partition, offset, reason }, 'fetching again');
    this.consumer?.seek({ topic, partition, offset });
  }
}

async function sleepWithHeartbeat(ms: number, heartbeat: () => Promise<void>): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    await new Promise((r) => setTimeout(r, Math.min(1000, end - Date.now())));
    await heartbeat().catch(() => undefined);
  }
}

class StoppedWhileStarting extends Error {}

async function connectWithRetry(connect: () => Promise<void>, logger: Logger, keepTrying: () => boolean): Promise<void> {
  for (let attempt = 1; keepTrying(); attempt += 1) {
    try {
      await connect();
      return;
    } catch (e) {
      if (e instanceof StoppedWhileStarting) return;
      const wait = Math.min(10000, 250 * 2 ** attempt);
      logger.warn({ err: (e as Error).message, attempt, retryInMs: wait }, 'broker not reachable; consumer retrying');
      await new Promise((r) => setTimeout(r, wait));
    }
  }
}
