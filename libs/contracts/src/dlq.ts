import { z } from 'zod';

/**
 * Dead letters: a message a consumer could not process after its retries (it breaks its
 * contract, or its handler kept failing) is published to `<topic>.dlq` wrapped in this envelope,
 * and the consumer moves on. `npm run dlq -- list|redrive` reads and re-publishes them.
 */
export const DLQ_SUFFIX = '.dlq';

export function dlqTopic(topic: string): string {
  return `${topic}${DLQ_SUFFIX}`;
}

export function isDlqTopic(topic: string): boolean {
  return topic.endsWith(DLQ_SUFFIX);
}

export function originTopic(dlq: string): string {
  return dlq.slice(0, -DLQ_SUFFIX.length);
}

export const deadLetterSchema = z
  .object({
    error: z.string().max(2000).describe('Why the message was given up'),
    attempts: z.number().int().min(1).describe('Deliveries tried before giving up'),
    consumer: z.string().describe('Consumer group that gave up'),
    failedAt: z.iso.datetime().describe('When it was given up'),
    origin: z
      .object({
        topic: z.string(),
        partition: z.number().int().min(0),
        offset: z.string().regex(/^\d+$/),
        key: z.string().nullable(),
        timestamp: z.string().nullable(),
      })
      .describe('Where the message came from'),
    headers: z.record(z.string(), z.string()).describe('The original Kafka headers (CloudEvents attributes), as UTF-8'),
    value: z.string().nullable().describe('The original Kafka value, as UTF-8'),
  })
  .describe('A message a consumer gave up on, with the error and its origin');

export type DeadLetter = z.output<typeof deadLetterSchema>;
