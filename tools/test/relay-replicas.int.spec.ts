import { randomUUID } from 'node:crypto';
import { motionProposed } from '@cdp/contracts';
import { createKafka, createLogger, MESSAGING_ENTITIES, openDatabase, OutboxRelay, recordEvent, type Em, type Orm } from '@cdp/platform';
import { collectEvents, createTestDatabase, eventually, startMokapi, type EventCollector, type MokapiBroker, type TestDatabase } from '@cdp/devkit';

/**
 * Two replicas of a service on one PostgreSQL database: both write to the outbox concurrently and
 * both run a relay. The relays take turns under a transaction-scoped advisory lock and publish a
 * row only once every older transaction has finished: nothing lost, nothing twice, and every
 * community's events in the order they were committed. Always on PostgreSQL — the case only
 * exists there (SQLite is one process's file).
 */
let broker: MokapiBroker;
let db: TestDatabase;
const orms: Orm[] = [];
const relays: OutboxRelay[] = [];
let events: EventCollector;

beforeAll(async () => {
  broker = await startMokapi();
  db = await createTestDatabase('relays', 'postgresql');
  const logger = createLogger('deliberation', process.env.TEST_LOG_LEVEL ?? 'silent');
  for (let i = 0; i < 2; i += 1) {
    const orm = await openDatabase({ url: db.url, entities: MESSAGING_ENTITIES, logger });
    orms.push(orm);
    relays.push(
      new OutboxRelay({
        orm,
        databaseUrl: db.url,
        kafka: createKafka({ brokers: broker.brokers, clientId: `replica-${i}`, logger }),
        service: 'deliberation',
        logger,
        intervalMs: 20,
        batchSize: 25,
        maxBackoffMs: 500,
      }),
    );
  }
  events = await collectEvents(broker.brokers, [motionProposed.topic]);
});

afterAll(async () => {
  await events?.stop();
  for (const r of relays) await r.stop();
  for (const o of orms) await o.close(true);
  await db?.drop();
  await broker?.stop();
});

describe('outbox relays on two replicas (PostgreSQL)', () => {
  it('publish every row exactly once, in commit order per community, while both replicas keep writing', async () => {
    const communities = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const PER_COMMUNITY = 40;
    for (const r of relays) r.start();

    // each community gets a numbered series; the writers of a community alternate between the
    // replicas and several communities are written at once
    const write = async (community: string, n: number) => {
      const orm = orms[n % 2]!;
      await orm.em.fork().transactional(async (tx) => {
        recordEvent(tx as Em, 'deliberation', motionProposed, {
          motionId: randomUUID(),
          communityId: community,
          title: `#${String(n).padStart(3, '0')}`,
          major: false,
          proposedOn: '2026-11-26',
        });
        // hold some transactions open a little, so commits interleave
        if (n % 3 === 0) await new Promise((r) => setTimeout(r, 5));
      });
    };
    await Promise.all(
      communities.map(async (c) => {
        for (let n = 1; n <= PER_COMMUNITY; n += 1) await write(c, n);
      }),
    );

    const total = communities.length * PER_COMMUNITY;
    const mine = () => events.events.filter((e) => communities.includes(e.key ?? ''));
    await eventually(() => mine().length >= total, { timeoutMs: 60000, intervalMs: 200, what: `${total} events` });
    await new Promise((r) => setTimeout(r, 1000)); // anything extra would show up now

    const got = mine();
    expect(got).toHaveLength(total); // nothing twice
    expect(new Set(got.map((e) => e.id)).size).toBe(total);
    for (const c of communities) {
      const titles = got.filter((e) => e.key === c).map((e) => (e.data as { title: string }).title);
      expect(titles).toEqual(Array.from({ length: PER_COMMUNITY }, (_x, i) => `#${String(i + 1).padStart(3, '0')}`));
    }
    const stats = await Promise.all(relays.map((r) => r.stats()));
    expect(stats.every((s) => s.pending === 0)).toBe(true);
    // together the two relays published each row once
    expect(stats.map((s) => s.publishedTotal).reduce((a, b) => a + b, 0)).toBe(total);
  });
});
