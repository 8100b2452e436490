import { Kafka, logLevel, type LogEntry } from 'kafkajs';
import type { Logger } from '../logger';

/** A kafkajs client whose logs go to our structured logger. */
export function createKafka(opts: { brokers: string[]; clientId: string; logger: Logger }): Kafka {
  const log = opts.logger.child({ component: 'kafkajs' });
  return new Kafka({
    clientId: opts.clientId,
    brokers: opts.brokers,
    connectionTimeout: 3000,
    requestTimeout: 10000,
    retry: { initialRetryTime: 200, retries: 3, maxRetryTime: 2000 },
    logLevel: opts.logger.isLevelEnabled('debug') ? logLevel.INFO : logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }: LogEntry) => {
        const { message, ...rest } = entry;
        // Mokapi answers an admin's OffsetFetch with UNKNOWN_MEMBER_ID; the consumer expects it
        const expected = typeof rest.error === 'string' && rest.error.includes('not aware of this member') && message.startsWith('Response OffsetFetch');
        const fn = expected ? log.debug.bind(log) : level <= logLevel.ERROR ? log.warn.bind(log) : level === logLevel.WARN ? log.info.bind(log) : log.debug.bind(log);
        fn({ kafka: rest }, message);
      },
  });
}
