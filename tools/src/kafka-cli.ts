import { Kafka, logLevel } from 'kafkajs';
import { createLogger } from '@cdp/platform';

/** Kafka connection for the command-line tools: KAFKA_BROKERS (default 127.0.0.1:9092). */
export function cliKafka(clientId: string, brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:9092'): Kafka {
  return new Kafka({ clientId, brokers: brokers.split(',').map((b) => b.trim()), logLevel: logLevel.NOTHING, retry: { retries: 5 } });
}

export const cliLogger = () => createLogger('cli', process.env.LOG_LEVEL ?? 'warn');

export function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}
