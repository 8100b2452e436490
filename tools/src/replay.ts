/**
 * Re-publishes a service's events from its outbox history so a new subscriber can backfill.
 *   npm run replay -- --service deliberation --from 2026-11-01 --to 2026-11-30 [--community <id>] [--topic <topic>]
 * Reads the service's database (DATABASE_URL, default sqlite:.data/<service>.sqlite) and
 * publishes to KAFKA_BROKERS (default 127.0.0.1:9092). Events keep their CloudEvents ids:
 * consumers that have them already dedupe them.
 */
import { parseArgs } from 'node:util';
import { SERVICES, type ServiceName } from '@cdp/contracts';
import { MESSAGING_ENTITIES, openDatabase, replayOutbox } from '@cdp/platform';
import { cliKafka, cliLogger, fail } from './kafka-cli';

function date(v: string | undefined, name: string, endOfDay: boolean): Date {
  if (!v) fail(`--${name} is required (YYYY-MM-DD or an ISO date-time)`);
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}+08:00` : v);
  if (Number.isNaN(d.getTime())) fail(`--${name}: not a date: ${v}`);
  return d;
}

export async function main(argv = process.argv.slice(2)): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { service: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, community: { type: 'string' }, topic: { type: 'string', multiple: true }, 'database-url': { type: 'string' } },
  });
  const service = values.service as ServiceName;
  if (!SERVICES.includes(service)) fail(`--service must be one of ${SERVICES.join(', ')}`);
  const from = date(values.from, 'from', false);
  const to = date(values.to, 'to', true);
  const url = values['database-url'] ?? process.env.DATABASE_URL ?? `sqlite:.data/${service}.sqlite`;
  const orm = await openDatabase({ url, entities: MESSAGING_ENTITIES, logger: cliLogger(), updateSchema: false });
  try {
    const n = await replayOutbox(orm, cliKafka(`cdp-replay-${service}`), { from, to, communityId: values.community, topics: values.topic });
    process.stderr.write(`replayed ${n} event(s) of ${service} from ${from.toISOString()} to ${to.toISOString()}${values.community ? ` for community ${values.community}` : ''}\n`);
    return n;
  } finally {
    await orm.close(true);
  }
}

if (require.main === module) void main().then(() => process.exit(0), (e: Error) => fail(`replay: ${e.message}`));
