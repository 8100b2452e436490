import { randomUUID } from 'node:crypto';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import {
  communityRegistered,
  dlqTopic,
  eventSource,
  eventType,
  representativeElected,
  representativeTermEnded,
  resolutionAdopted,
  type PayloadOf,
} from '@cdp/contracts';
import { deliberationModule, MeetingEntity, MotionEntity } from '@cdp/deliberation-service';
import { disclosureModule, NoticeEntity } from '@cdp/disclosure-service';
import { InboxEntry, OutboxMessage, type EventHandler, type ServiceModule } from '@cdp/platform';
import { collectEvents, errorCode, eventually, publishTestEvent, startMokapi, startTestService, type EventCollector, type MokapiBroker, type TestService } from '@cdp/devkit';
import { ResolutionEntity } from '@cdp/deliberation-service';
import { runDlq } from '../src/dlq';
import { main as replayCli } from '../src/replay';

/**
 * Delivery guarantees against a real broker (Mokapi): deliberation publishes, disclosure
 * consumes. Each test asserts counts.
 */
const MAX_ATTEMPTS = 3;
let broker: MokapiBroker;
let delib: TestService;
let discl: TestService;
let events: EventCollector;
const control = { crashAfterSend: false, crashed: 0, poison: true };

/** disclosure, with a handler that fails on purpose for resolutions titled “POISON …” */
const disclosureWithPoison: ServiceModule<any> = {
  ...disclosureModule,
  handlers: disclosureModule.handlers!.map((h): EventHandler =>
    h.contract.topic !== resolutionAdopted.topic
      ? h
      : {
          contract: h.contract,
          handle: async (em, p, meta, deps) => {
            if (control.poison && (p as { title: string }).title.startsWith('POISON')) throw new Error('handler failed on purpose');
            return h.handle(em, p, meta, deps);
          },
        },
  ),
};

const env = { CONSUMER_MAX_ATTEMPTS: String(MAX_ATTEMPTS), CONSUMER_RETRY_BACKOFF_MS: '50' };

beforeAll(async () => {
  broker = await startMokapi();
  delib = await startTestService(deliberationModule, {
    brokers: broker.brokers,
    env,
    start: {
      // the relay "dies" after the broker acknowledged a batch, before it marks the rows
      relayAfterSend: (rows) => {
        if (control.crashAfterSend && rows.some((r) => r.topic === resolutionAdopted.topic)) {
          control.crashAfterSend = false;
          control.crashed += 1;
          throw new Error('relay killed after the broker acknowledged');
        }
      },
    },
  });
  discl = await startTestService(disclosureWithPoison, { brokers: broker.brokers, env });
});

afterAll(async () => {
  await events?.stop();
  await discl?.close();
  await delib?.close();
  await broker?.stop();
});

/** communities created by the tests; the clerk acts in all of them */
const known: string[] = [];
const clerk = () => ({ sub: 'clerk', roles: ['STAFF' as const], communities: [...known] });
const ok = async (svc: TestService, query: string, variables: Record<string, unknown> = {}) => {
  const r = await svc.as(clerk())(query, variables);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data as any;
};

const TERM = { termStart: '2025-01-01', termEnd: '2027-12-31' };

async function community(): Promise<{ communityId: string; reps: string[] }> {
  const communityId = randomUUID();
  known.push(communityId);
  await publishTestEvent(broker.brokers, communityRegistered, { communityId, districtId: randomUUID(), street: '测试街道', name: `社区${communityId.slice(0, 4)}`, registeredAt: new Date().toISOString() });
  const reps = [randomUUID(), randomUUID(), randomUUID()];
  for (const r of reps) await publishTestEvent(broker.brokers, representativeElected, { representativeId: r, residentId: randomUUID(), communityId, groupId: randomUUID(), ...TERM });
  await eventually(
    async () => {
      const d = await ok(delib, `query($r:[_Any!]!){ _entities(representations:$r) { ... on Community { assemblyRoll { id } } } }`, { r: [{ __typename: 'Community', id: communityId }] });
      return d._entities[0].assemblyRoll.length === 3;
    },
    { timeoutMs: 30000, what: 'roll in deliberation' },
  );
  return { communityId, reps };
}

const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

async function propose(communityId: string, title: string): Promise<string> {
  return (await ok(delib, `mutation($i:ProposeMotionInput!){ proposeMotion(input:$i) { id } }`, { i: { communityId, title } })).proposeMotion.id;
}

const meetingQuery = `mutation($i:RecordMeetingInput!){ recordMeeting(input:$i) { id resolutions { id status } } }`;
const meetingInput = (communityId: string, reps: string[], motionId: string) => ({
  i: { communityId, heldOn: today(), attendeeIds: reps, votes: reps.map((r, i) => ({ motionId, representativeId: r, choice: i < 2 ? 'FOR' : 'AGAINST' })) },
});

async function decide(communityId: string, reps: string[], motionId: string): Promise<string> {
  const d = await ok(delib, meetingQuery, meetingInput(communityId, reps, motionId));
  expect(d.recordMeeting.resolutions[0].status).toBe('ADOPTED');
  return d.recordMeeting.resolutions[0].id;
}

/** Collects what deliberation publishes and the dead letters (started after the broker restart of the first test). */
async function collector(): Promise<EventCollector> {
  events ??= await collectEvents(broker.brokers, [resolutionAdopted.topic, 'deliberation.meeting.held.v1', dlqTopic(resolutionAdopted.topic)]);
  return events;
}

const noticesOf = async (communityId: string) => discl.orm.em.fork().find(NoticeEntity, { communityId });

describe(`delivery guarantees (${process.env.TEST_DATABASE ?? 'sqlite'})`, () => {
  it('broker stopped; 50 mutations that each emit an event; broker restarted → every event arrives, each applied once: exactly 50 notices', async () => {
    const { communityId, reps } = await community();
    const motions: string[] = [];
    for (let i = 0; i < 50; i += 1) motions.push(await propose(communityId, `停机期间的议案 ${i + 1}`));
    await eventually(async () => (await delib.relay.stats()).pending === 0, { what: 'proposals published' });

    await broker.stop();
    for (const m of motions) await decide(communityId, reps, m);
    // the relay keeps every row and says how far behind it is
    const health = await eventually(
      async () => {
        const h = (await (await fetch(delib.url.replace('/graphql', '/health'))).json()) as any;
        return h.checks.outbox.pending >= 100 && h.checks.outbox.brokerReachable === false ? h : null;
      },
      { timeoutMs: 20000, what: 'relay lag in /health' },
    );
    expect(health.checks.outbox.oldestPendingAgeSeconds).toBeGreaterThan(0);
    const metrics = await (await fetch(delib.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toMatch(/outbox_pending_rows\{service="deliberation"\} (\d{3,})/);

    await broker.start();
    await collector();
    await eventually(async () => (await noticesOf(communityId)).length === 50, { timeoutMs: 90000, intervalMs: 250, what: '50 notices' });
    await new Promise((r) => setTimeout(r, 1000));
    const notices = await noticesOf(communityId);
    expect(notices).toHaveLength(50);
    expect(new Set(notices.map((n) => n.sourceId)).size).toBe(50);
    expect(await delib.orm.em.fork().count(OutboxMessage, { communityId, publishedAt: null })).toBe(0);
    // the collector is a separate consumer group: it may still be catching up
    const adoptedIds = () => new Set(events.events.filter((e) => e.topic === resolutionAdopted.topic && e.key === communityId).map((e) => e.id));
    await eventually(() => adoptedIds().size >= 50, { timeoutMs: 30000, what: '50 adopted events at the collector' });
    expect(adoptedIds().size).toBe(50);
  });

  it('the relay killed after the broker acknowledged, before it marked the row → the event is sent again; 0 duplicate effects', async () => {
    await collector();
    const { communityId, reps } = await community();
    const motion = await propose(communityId, '重复发送的决议');
    const duplicatesBefore = discl.consumer.counts.duplicate;
    control.crashAfterSend = true;
    const resolutionId = await decide(communityId, reps, motion);
    const sent = await eventually(
      () => {
        const copies = events.events.filter((e) => e.topic === resolutionAdopted.topic && (e.data as { resolutionId: string }).resolutionId === resolutionId);
        return copies.length >= 2 ? copies : null;
      },
      { timeoutMs: 30000, what: 'the event delivered twice' },
    );
    expect(control.crashed).toBe(1);
    expect(new Set(sent.map((e) => e.id)).size).toBe(1); // the same CloudEvent, twice
    await eventually(() => discl.consumer.counts.duplicate > duplicatesBefore, { timeoutMs: 30000, what: 'disclosure saw the duplicate' });
    expect((await noticesOf(communityId)).filter((n) => n.sourceId === resolutionId)).toHaveLength(1);
  });

  it('a mutation that fails after writing → 0 outbox rows, 0 events', async () => {
    await collector();
    const { communityId, reps } = await community();
    const motion = await propose(communityId, '写入后失败的会议');
    const em = () => delib.orm.em.fork();
    const before = { outbox: await em().count(OutboxMessage), meetings: await em().count(MeetingEntity), resolutions: await em().count(ResolutionEntity) };
    let armed = true;
    delib.orm.em.getEventManager().registerSubscriber({
      getSubscribedEntities: () => [ResolutionEntity],
      afterCreate: () => {
        if (armed) {
          armed = false;
          throw new Error('disk full (simulated) after the resolution row was written');
        }
      },
    });
    const r = await delib.as(clerk())(meetingQuery, meetingInput(communityId, reps, motion));
    expect(errorCode(r)).toBe('INTERNAL_SERVER_ERROR');
    expect(armed).toBe(false);
    expect({ outbox: await em().count(OutboxMessage), meetings: await em().count(MeetingEntity), resolutions: await em().count(ResolutionEntity) }).toEqual(before);
    expect((await em().findOneOrFail(MotionEntity, { id: motion })).status).toBe('PROPOSED');

    // a later change of the same community is published; the failed one never is
    const resolutionId = await decide(communityId, reps, motion);
    await eventually(() => events.events.some((e) => (e.data as { resolutionId?: string }).resolutionId === resolutionId), { timeoutMs: 30000, what: 'the later event' });
    const held = () => events.events.filter((e) => e.topic === 'deliberation.meeting.held.v1' && e.key === communityId);
    // meeting.held is another topic: wait for the later meeting's, then make sure no second one follows
    await eventually(() => held().length >= 1, { timeoutMs: 30000, what: 'meeting.held of the later meeting' });
    await new Promise((r) => setTimeout(r, 1000));
    expect(held()).toHaveLength(1);
  });

  it('the same event delivered twice and out of order → state unchanged by the repeat', async () => {
    const communityId = randomUUID();
    known.push(communityId);
    const rep = randomUUID();
    const deliver = async <C extends typeof representativeElected | typeof representativeTermEnded>(svc: TestService, contract: C, data: PayloadOf<C>, id: string) =>
      svc.consumer.process(contract.topic, { id, source: eventSource(contract.producer), type: eventType(contract.topic), specversion: '1.0', data });
    const elected = { representativeId: rep, residentId: randomUUID(), communityId, groupId: randomUUID(), ...TERM };
    const ended = { representativeId: rep, communityId, endedOn: '2026-06-30', reason: 'MOVED_OUT' as const };
    const [electedId, endedId] = [randomUUID(), randomUUID()];
    // the end arrives before the election, then both again
    expect(await deliver(delib, representativeTermEnded, ended, endedId)).toBe('applied');
    expect(await deliver(delib, representativeElected, elected, electedId)).toBe('applied');
    const roll = async (on: string) =>
      (await ok(delib, `query($r:[_Any!]!,$on:LocalDate){ _entities(representations:$r) { ... on Community { assemblyRoll(on:$on) { id } } } }`, { r: [{ __typename: 'Community', id: communityId }], on }))._entities[0].assemblyRoll;
    const state = async () => ({ before: await roll('2026-06-30'), after: await roll('2026-07-01'), inbox: await delib.orm.em.fork().count(InboxEntry, { eventId: { $in: [electedId, endedId] } }) });
    const first = await state();
    expect(first).toEqual({ before: [{ id: rep }], after: [], inbox: 2 });
    expect(await deliver(delib, representativeElected, elected, electedId)).toBe('duplicate');
    expect(await deliver(delib, representativeTermEnded, ended, endedId)).toBe('duplicate');
    expect(await state()).toEqual(first);
  });

  it('a handler that keeps failing: after the configured attempts the message goes to <topic>.dlq with the error and its origin; the consumer moves on; redrive applies it once fixed', async () => {
    await collector();
    const { communityId, reps } = await community();
    const poison = await decide(communityId, reps, await propose(communityId, 'POISON 处理失败的决议'));
    const healthy = await decide(communityId, reps, await propose(communityId, '之后的正常决议'));
    // the consumer moved on: the next resolution is drafted
    await eventually(async () => (await noticesOf(communityId)).some((n) => n.sourceId === healthy), { timeoutMs: 30000, what: 'the next notice' });
    const letter = await eventually(() => events.events.find((e) => e.topic === dlqTopic(resolutionAdopted.topic) && (e.data as any)?.value?.includes(poison)), {
      timeoutMs: 30000,
      what: 'the dead letter',
    });
    expect(letter.data).toMatchObject({
      error: 'handler failed on purpose',
      attempts: MAX_ATTEMPTS,
      consumer: 'disclosure',
      origin: { topic: resolutionAdopted.topic, key: communityId },
    });
    expect((await noticesOf(communityId)).map((n) => n.sourceId)).toEqual([healthy]);

    const listed = await runDlq({ command: 'list', topic: resolutionAdopted.topic, brokers: broker.brokers.join(',') });
    expect(listed.letters.filter((l) => l.value?.includes(poison))).toHaveLength(1);

    control.poison = false; // the bug is fixed
    const redriven = await runDlq({ command: 'redrive', topic: resolutionAdopted.topic, brokers: broker.brokers.join(',') });
    expect(redriven.redriven).toBeGreaterThanOrEqual(1);
    await eventually(async () => (await noticesOf(communityId)).some((n) => n.sourceId === poison), { timeoutMs: 30000, what: 'the redriven notice' });
    expect((await noticesOf(communityId)).filter((n) => n.sourceId === poison)).toHaveLength(1);
  });

  it('replay republishes a community’s history from the outbox; consumers dedupe it', async () => {
    await collector();
    const { communityId, reps } = await community();
    const from = new Date(Date.now() - 1000);
    await decide(communityId, reps, await propose(communityId, '回放的决议'));
    await eventually(async () => (await noticesOf(communityId)).length === 1, { timeoutMs: 30000, what: 'notice' });
    await eventually(async () => (await delib.relay.stats()).pending === 0, { what: 'all published' });
    // the collector is its own consumer group and may lag behind disclosure: wait for both originals
    const idsBefore = await eventually(
      () => {
        const seen = events.events.filter((e) => e.key === communityId);
        return seen.some((e) => e.topic === resolutionAdopted.topic) && seen.some((e) => e.topic === 'deliberation.meeting.held.v1') ? seen.map((e) => e.id) : null;
      },
      { timeoutMs: 30000, what: 'the originals reached the collector' },
    );
    const duplicatesBefore = discl.consumer.counts.duplicate;

    process.env.KAFKA_BROKERS = broker.brokers.join(',');
    const n = await replayCli(['--service', 'deliberation', '--from', from.toISOString(), '--to', new Date().toISOString(), '--community', communityId, '--database-url', delib.db.url]);
    delete process.env.KAFKA_BROKERS;
    // motion.proposed, meeting.held, resolution.adopted
    expect(n).toBe(3);
    await eventually(() => events.events.filter((e) => e.key === communityId && e.topic === resolutionAdopted.topic).length === 2, { timeoutMs: 30000, what: 'replayed event' });
    const replayed = events.events.filter((e) => e.key === communityId).map((e) => e.id);
    expect(new Set(replayed)).toEqual(new Set(idsBefore)); // same ids: a subscriber dedupes
    await eventually(() => discl.consumer.counts.duplicate > duplicatesBefore, { timeoutMs: 30000, what: 'disclosure deduped the replay' });
    expect(await noticesOf(communityId)).toHaveLength(1);
  });
});

describe('a message that breaks its contract', () => {
  it('is dead-lettered by the consumer, which moves on (a broker that does not validate, like Kafka)', async () => {
    // Mokapi refuses invalid messages at the door; this one is configured to let them in
    const lax = await startMokapi({
      transform: (doc) => {
        doc.components.messages.ResolutionAdopted.payload = { type: 'object' };
      },
    });
    const svc = await startTestService(disclosureModule, { brokers: lax.brokers, env });
    const collector = await collectEvents(lax.brokers, [dlqTopic(resolutionAdopted.topic)]);
    try {
      const communityId = randomUUID();
      const producer = new Kafka({ brokers: lax.brokers, clientId: 'bad-producer', logLevel: logLevel.NOTHING }).producer({ createPartitioner: Partitioners.DefaultPartitioner });
      await producer.connect();
      const id = randomUUID();
      await producer.send({
        topic: resolutionAdopted.topic,
        messages: [
          {
            key: communityId,
            value: JSON.stringify({ communityId, title: 'no ids, no counts' }),
            headers: { ce_id: id, ce_source: eventSource('deliberation'), ce_type: eventType(resolutionAdopted.topic), ce_specversion: '1.0', ce_time: new Date().toISOString(), ce_subject: 'x', 'content-type': 'application/json' },
          },
        ],
      });
      await producer.disconnect();
      const good = { ...resolutionAdopted.example, communityId, resolutionId: randomUUID() };
      await publishTestEvent(lax.brokers, resolutionAdopted, good);

      await eventually(async () => (await svc.orm.em.fork().count(NoticeEntity, { sourceId: good.resolutionId })) === 1, { timeoutMs: 30000, what: 'the valid event applied' });
      const letter = await eventually(() => collector.events.find((e) => (e.data as any).headers?.ce_id === id), { timeoutMs: 30000, what: 'dead letter' });
      expect((letter.data as any).error).toMatch(/^breaks deliberation\.resolution\.adopted\.v1/);
      expect((letter.data as any).origin.topic).toBe(resolutionAdopted.topic);
      expect(await svc.orm.em.fork().count(NoticeEntity, { communityId })).toBe(1);
    } finally {
      await collector.stop();
      await svc.close();
      await lax.stop();
    }
  });
});
