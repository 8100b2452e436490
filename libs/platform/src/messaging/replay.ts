import { Partitioners, type Kafka } from 'kafkajs';
import type { Em, Orm } from '../orm';
import { OutboxMessage } from './entities';
import { encodeOutboxMessage } from './cloudevents';

export interface ReplayOptions {
  /** first `occurredAt` included */
  from: Date;
  /** last `occurredAt` included */
  to: Date;
  /** only this community's events */
  communityId?: string;
  /** only these topics */
  topics?: string[];
  batchSize?: number;
}

/**
 * Re-publishes already-published events from the outbox history, in their original order and
 * with their original CloudEvents ids, so a new subscriber can backfill. Consumers dedupe them by
 * (source, id) like any redelivery. Returns how many were sent.
 */
export async function replayOutbox(orm: Orm, kafka: Kafka, opts: ReplayOptions): Promise<number> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, allowAutoTopicCreation: false, maxInFlightRequests: 1 });
  await producer.connect();
  let sent = 0;
  try {
    let after = 0;
    for (;;) {
      const em = orm.em.fork() as Em;
      const rows = await em.find(
        OutboxMessage,
        {
          seq: { $gt: after },
          publishedAt: { $ne: null },
          occurredAt: { $gte: opts.from, $lte: opts.to },
          ...(opts.communityId ? { communityId: opts.communityId } : {}),
          ...(opts.topics?.length ? { topic: { $in: opts.topics } } : {}),
        },
        { orderBy: { seq: 'asc' }, limit: opts.batchSize ?? 500 },
      );
      if (!rows.length) break;
      const byTopic = new Map<string, ReturnType<typeof encodeOutboxMessage>[]>();
      for (const r of rows) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), encodeOutboxMessage(r)]);
      await producer.sendBatch({ acks: -1, topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
      sent += rows.length;
      after = rows[rows.length - 1]!.seq;
    }
  } finally {
    await producer.disconnect();
  }
  return sent;
}
