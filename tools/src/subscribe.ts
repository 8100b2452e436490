/**
 * A reference subscriber: prints every event of the given topics as one JSON line.
 *   npm run subscribe -- --topics deliberation.resolution.adopted.v1,disclosure.notice.published.v1
 *   options: --group <consumer group> (default: a new one, reading from the beginning)
 *            --latest (a new group starts at the end instead of the beginning)
 * What another team copies from it: decode with the CloudEvents SDK's Kafka binding (binary
 * mode), dedupe on (ce_source, ce_id) because delivery is at least once, rely on order per key
 * (community id) only, commit offsets after the work is done.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { CATALOGUE } from '@cdp/contracts';
import { ResilientConsumer, decodeKafkaMessage } from '@cdp/platform';
import { cliKafka, cliLogger, fail } from './kafka-cli';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { topics: { type: 'string' }, group: { type: 'string' }, latest: { type: 'boolean', default: false } } });
  const topics = (values.topics ?? '').split(',').map((t) => t.trim()).filter(Boolean);
  if (!topics.length) fail(`--topics is required; known topics:\n  ${CATALOGUE.map((c) => c.topic).join('\n  ')}`);
  const seen = new Set<string>();
  const consumer = new ResilientConsumer({
    kafka: cliKafka('cdp-subscribe'),
    groupId: values.group ?? `cdp-subscribe-${randomUUID()}`,
    topics,
    fromBeginning: !values.latest,
    logger: cliLogger(),
    handle: async ({ topic, partition, offset, message }) => {
      const ev = decodeKafkaMessage(message);
      const dedupeKey = `${ev.source} ${ev.id}`;
      if (seen.has(dedupeKey)) return; // a redelivery or a replay: already handled
      seen.add(dedupeKey);
      process.stdout.write(`${JSON.stringify({ topic, partition, offset, key: ev.key, id: ev.id, source: ev.source, type: ev.type, subject: ev.subject, time: ev.time, data: ev.data })}\n`);
    },
    onPoison: async ({ topic, offset }, error) => {
      process.stderr.write(`skipped ${topic}@${offset}: ${error.message}\n`);
    },
  });
  const stop = async () => {
    await consumer.stop();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  await consumer.start();
}

void main();
