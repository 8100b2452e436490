/**
 * `npm run topics`: creates every topic of the catalogue on a real Kafka cluster (Mokapi serves
 * them from the AsyncAPI document and needs nothing). Idempotent.
 *   KAFKA_BROKERS=kafka-1:9092 npm run topics -- [--replication 3]
 */
import { Kafka, logLevel } from 'kafkajs';
import { CATALOGUE, TOPIC_PARTITIONS } from '@cdp/contracts';

async function main(): Promise<void> {
  const brokers = (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
  const i = process.argv.indexOf('--replication');
  const replicationFactor = i > 0 ? Number(process.argv[i + 1]) : 1;
  const admin = new Kafka({ brokers, clientId: 'cdp-topics', logLevel: logLevel.WARN }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = CATALOGUE.map((c) => c.topic).filter((t) => !existing.has(t));
    if (missing.length) await admin.createTopics({ waitForLeaders: true, topics: missing.map((topic) => ({ topic, numPartitions: TOPIC_PARTITIONS, replicationFactor })) });
    process.stdout.write(`${missing.length} topic(s) created, ${CATALOGUE.length - missing.length} already present\n`);
  } finally {
    await admin.disconnect();
  }
}

main().catch((e: Error) => {
  process.stderr.write(`topics: ${e.message}\n`);
  process.exit(1);
});
