import { createHash, randomUUID } from 'node:crypto';
import { bodyMemberAppointed, communityRegistered, noticePublished, resolutionAdopted, resolutionRejected, type PayloadOf } from '@cdp/contracts';
import { collectEvents, errorCode, eventually, publishTestEvent, startMokapi, startTestService, type EventCollector, type MokapiBroker, type TestService } from '@cdp/devkit';
import { countQueries, KnownCommunity, OutboxMessage } from '@cdp/platform';
import { chinaCivilDate, WorkingDayCalendar } from '@cdp/util';
import { disclosureModule } from '../src';
import { DisclosureSettingsEntity, NoticeEntity, SupervisorSeatEntity } from '../src';

// jest-circus takes the timeout from the global config only, so the integration project's
// `testTimeout` does not apply; stopping a service with a Kafka consumer alone takes ~4 s
jest.setTimeout(60_000);

let broker: MokapiBroker;
let svc: TestService;

beforeAll(async () => {
  broker = await startMokapi();
  svc = await startTestService(disclosureModule, { brokers: broker.brokers });
});
afterAll(async () => {
  await svc?.close();
  await broker?.stop();
});

async function ok<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await svc.gql<T>(query, variables);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data as T;
}

const calendar = new WorkingDayCalendar();
const today = chinaCivilDate(new Date());
const shift = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86400_000).toISOString().slice(0, 10);
const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

const counts = async () => {
  const em = svc.orm.em.fork();
  return {
    notices: await em.count(NoticeEntity),
    published: await em.count(NoticeEntity, { status: 'PUBLISHED' }),
    seats: await em.count(SupervisorSeatEntity),
    settings: await em.count(DisclosureSettingsEntity),
    outbox: await em.count(OutboxMessage),
  };
};

/** membership announces a community; waits until disclosure knows it. */
async function registerCommunity(name: string): Promise<string> {
  const communityId = randomUUID();
  await publishTestEvent(broker.brokers, communityRegistered, { communityId, districtId: randomUUID(), street: '花园路街道', name, registeredAt: new Date().toISOString() });
  await eventually(() => svc.orm.em.fork().count(KnownCommunity, { id: communityId }), { what: `community ${name} known` });
  return communityId;
}

/** membership appoints a resident to a body; waits until the event was consumed. Returns the resident id. */
async function appoint(communityId: string, body: PayloadOf<typeof bodyMemberAppointed>['body'] = 'SUPERVISION_COMMITTEE', dates: { startedOn?: string; endsOn?: string } = {}): Promise<string> {
  const residentId = randomUUID();
  const before = svc.consumer.counts.applied;
  await publishTestEvent(broker.brokers, bodyMemberAppointed, { membershipId: randomUUID(), residentId, communityId, body, startedOn: dates.startedOn ?? shift(today, -60), ...(dates.endsOn ? { endsOn: dates.endsOn } : {}) });
  if (body === 'SUPERVISION_COMMITTEE') await eventually(() => svc.orm.em.fork().count(SupervisorSeatEntity, { residentId }), { what: 'supervisor seat kept' });
  else await eventually(() => svc.consumer.counts.applied > before, { what: 'appointment consumed' });
  return residentId;
}

const resolution = (communityId: string, over: Partial<PayloadOf<typeof resolutionAdopted>> = {}): PayloadOf<typeof resolutionAdopted> => ({
  resolutionId: randomUUID(),
  motionId: randomUUID(),
  meetingId: randomUUID(),
  communityId,
  title: '3号楼加装电梯方案',
  decidedOn: today,
  eligible: 9,
  attended: 8,
  votesFor: 6,
  votesAgainst: 1,
  abstentions: 1,
  rule: 'R-D3: 8 of 9 attended (quorum: more than 4.5); 6 of 8 voted for (majority: more than 4)',
  ...over,
});

const NOTICE_FIELDS = 'id category title body status sourceId dueOn dueDateApproximate overdue publishedAt approvedBy returnReason contentHash community { id }';

/** Waits until the notice of a resolution shows up in the community's notices. */
async function noticeOf(communityId: string, resolutionId: string): Promise<any> {
  return eventually(
    async () => {
      const { notices } = await ok(`query($c:ID!){ notices(communityId:$c) { ${NOTICE_FIELDS} } }`, { c: communityId });
      return notices.find((n: { sourceId: string }) => n.sourceId === resolutionId);
    },
    { what: `notice of resolution ${resolutionId}` },
  );
}

/** Waits until `disclosure.notice.published.v1` for the notice arrived on the broker. */
async function publishedEvent(collector: EventCollector, noticeId: string) {
  const event = await eventually(() => collector.events.find((e) => (e.data as { noticeId: string }).noticeId === noticeId), { what: 'notice.published on the broker' });
  if (!event) throw new Error('unreachable: eventually returns a found event');
  return event;
}

const APPROVE = `mutation($n:ID!,$r:ID!){ approveNotice(input:{noticeId:$n, reviewerId:$r}) { ${NOTICE_FIELDS} } }`;
const REJECT = `mutation($n:ID!,$r:ID!,$why:String!){ rejectNotice(input:{noticeId:$n, reviewerId:$r, reason:$why}) { ${NOTICE_FIELDS} } }`;
const REVISE = `mutation($n:ID!,$t:String!,$b:String!){ reviseNotice(input:{noticeId:$n, title:$t, body:$b}) { ${NOTICE_FIELDS} } }`;

describe(`disclosure subgraph (${process.env.TEST_DATABASE ?? 'sqlite'})`, () => {
  it('R-P3/R-P8 drafts the resolution notice from deliberation’s event, due 5 working days after the decision', async () => {
    const communityId = await registerCommunity('幸福里社区');
    await appoint(communityId);
    const r = resolution(communityId);
    await publishTestEvent(broker.brokers, resolutionAdopted, r);
    const notice = await noticeOf(communityId, r.resolutionId);
    const due = calendar.addWorkingDays(today, 5);
    expect(notice).toMatchObject({
      category: 'RESOLUTION',
      status: 'DRAFT',
      title: '关于“3号楼加装电梯方案”的决议公开',
      dueOn: due.date,
      dueDateApproximate: due.approximate,
      overdue: false,
      publishedAt: null,
      approvedBy: null,
      contentHash: null,
      community: { id: communityId },
    });
    expect(notice.body).toContain('应到9人，实到8人；赞成6票，反对1票，弃权1票。');
    const { community } = await ok(`query($r:[_Any!]!){ _entities(representations:$r) { ... on Community { notices(status:DRAFT) { id } overdueNotices } } }`, {
      r: [{ __typename: 'Community', id: communityId }],
    }).then((d) => ({ community: d._entities[0] }));
    expect(community).toEqual({ notices: [{ id: notice.id }], overdueNotices: 0 });
  });

  it('R-P4 a non-supervisor cannot approve and nothing is written; the supervisor publishes it and disclosure.notice.published.v1 arrives; R-P5 then it is immutable', async () => {
    const collector = await collectEvents(broker.brokers, [noticePublished.topic]);
    try {
      const communityId = await registerCommunity('和平社区');
      const supervisor = await appoint(communityId);
      const committeeMember = await appoint(communityId, 'RESIDENTS_COMMITTEE');
      const formerSupervisor = await appoint(communityId, 'SUPERVISION_COMMITTEE', { startedOn: shift(today, -400), endsOn: shift(today, -1) });
      const otherCommunity = await registerCommunity('青年社区');
      const supervisorElsewhere = await appoint(otherCommunity);
      const r = resolution(communityId);
      await publishTestEvent(broker.brokers, resolutionAdopted, r);
      const draft = await noticeOf(communityId, r.resolutionId);

      const before = await counts();
      for (const reviewer of [committeeMember, formerSupervisor, supervisorElsewhere, randomUUID()]) {
        const refused = await svc.gql(APPROVE, { n: draft.id, r: reviewer });
        expect(errorCode(refused)).toBe('FORBIDDEN');
        expect(refused.errors?.[0]?.extensions).toMatchObject({ rule: 'R-P4', field: 'input.reviewerId' });
        const returned = await svc.gql(REJECT, { n: draft.id, r: reviewer, why: '数字有误' });
        expect(errorCode(returned)).toBe('FORBIDDEN');
      }
      expect(await counts()).toEqual(before);
      expect((await ok(`query($id:ID!){ notice(id:$id) { ${NOTICE_FIELDS} } }`, { id: draft.id })).notice).toEqual(draft);

      const { approveNotice: published } = await ok(APPROVE, { n: draft.id, r: supervisor });
      expect(published).toMatchObject({ id: draft.id, status: 'PUBLISHED', approvedBy: supervisor, overdue: false, title: draft.title, body: draft.body });
      expect(published.contentHash).toBe(sha256Hex(`${draft.title}\n${draft.body}`));
      expect(chinaCivilDate(new Date(published.publishedAt))).toBe(today);
      expect(await counts()).toEqual({ ...before, published: before.published + 1, outbox: before.outbox + 1 });

      const event = await publishedEvent(collector, draft.id);
      expect(event.source).toBe('/community-platform/disclosure');
      expect(event.type).toBe(noticePublished.topic);
      expect(event.subject).toBe(draft.id);
      expect(event.key).toBe(communityId);
      expect(event.data).toEqual({
        noticeId: draft.id,
        communityId,
        category: 'RESOLUTION',
        sourceId: r.resolutionId,
        title: draft.title,
        publishedAt: published.publishedAt,
        dueOn: draft.dueOn,
        onTime: true,
        approvedBy: supervisor,
        contentHash: published.contentHash,
      });
      // no personal data and not the text itself: only ids, the title and the hash travel
      expect(JSON.stringify(event.data)).not.toMatch(/应到|赞成|计票/);

      const after = await counts();
      for (const [query, variables] of [
        [APPROVE, { n: draft.id, r: supervisor }],
        [REJECT, { n: draft.id, r: supervisor, why: '改一下' }],
        [REVISE, { n: draft.id, t: '新标题', b: '新正文' }],
      ] as const) {
        const again = await svc.gql(query, variables);
        expect(errorCode(again)).toBe('CONFLICT');
        expect(again.errors?.[0]?.extensions).toMatchObject({ rule: 'R-P5', field: 'input.noticeId' });
      }
      expect(await counts()).toEqual(after);
      expect((await ok(`query($id:ID!){ notice(id:$id) { ${NOTICE_FIELDS} } }`, { id: draft.id })).notice).toEqual(published);
    } finally {
      await collector.stop();
    }
  });

  it('R-P4 a returned notice goes back with a reason, is revised to DRAFT and can then be approved', async () => {
    const communityId = await registerCommunity('团结社区');
    const supervisor = await appoint(communityId);
    const r = resolution(communityId, { title: '小区停车收费调整', votesFor: 3, votesAgainst: 4 });
    await publishTestEvent(broker.brokers, resolutionRejected, r);
    const draft = await noticeOf(communityId, r.resolutionId);
    expect(draft.title).toBe('关于“小区停车收费调整”未获通过的公开');
    expect(draft.body).toContain('表决结果：未获通过。');

    const before = await counts();
    const { rejectNotice: returned } = await ok(REJECT, { n: draft.id, r: supervisor, why: '请注明收费标准' });
    expect(returned).toMatchObject({ status: 'RETURNED', returnReason: '请注明收费标准' });
    const twice = await svc.gql(APPROVE, { n: draft.id, r: supervisor });
    expect(errorCode(twice)).toBe('CONFLICT');
    expect(twice.errors?.[0]?.extensions?.rule).toBe('R-P4');

    const { reviseNotice: revised } = await ok(REVISE, { n: draft.id, t: '关于小区停车收费调整未获通过的公开', b: `${draft.body}\n收费标准维持现行每月150元。` });
    expect(revised).toMatchObject({ status: 'DRAFT', returnReason: '请注明收费标准' });
    const { approveNotice: published } = await ok(APPROVE, { n: draft.id, r: supervisor });
    expect(published.contentHash).toBe(sha256Hex(`${revised.title}\n${revised.body}`));
    expect(await counts()).toEqual({ ...before, published: before.published + 1, outbox: before.outbox + 1 });

    const { community } = await ok(`query($r:[_Any!]!){ _entities(representations:$r) { ... on Community { published: notices(status:PUBLISHED) { id } drafts: notices(status:DRAFT) { id } } } }`, {
      r: [{ __typename: 'Community', id: communityId }],
    }).then((d) => ({ community: d._entities[0] }));
    expect(community).toEqual({ published: [{ id: draft.id }], drafts: [] });
  });

  it('one resolution drafts exactly one notice: the same event twice, the same resolution under another event id, and its twin outcome', async () => {
    const communityId = await registerCommunity('重复社区');
    const r = resolution(communityId);
    const start = { ...svc.consumer.counts };
    const eventId = await publishTestEvent(broker.brokers, resolutionAdopted, r);
    await publishTestEvent(broker.brokers, resolutionAdopted, r, { id: eventId });
    await publishTestEvent(broker.brokers, resolutionAdopted, r);
    await publishTestEvent(broker.brokers, resolutionRejected, r);
    await eventually(() => svc.consumer.counts.duplicate >= start.duplicate + 1 && svc.consumer.counts.applied >= start.applied + 3, { what: 'all four deliveries consumed' });
    expect(svc.consumer.counts.deadLettered).toBe(start.deadLettered);
    const { notices } = await ok(`query($c:ID!){ notices(communityId:$c) { id sourceId } }`, { c: communityId });
    expect(notices).toHaveLength(1);
    expect(notices[0].sourceId).toBe(r.resolutionId);
    expect(await svc.orm.em.fork().count(NoticeEntity, { sourceId: r.resolutionId })).toBe(1);
  });

  it('events in any order: a resolution of a community not known yet is drafted; R-P3 the working days are configurable per community', async () => {
    const communityId = randomUUID();
    const early = resolution(communityId, { decidedOn: '2026-09-30' });
    await publishTestEvent(broker.brokers, resolutionAdopted, early);
    const notice = await noticeOf(communityId, early.resolutionId);
    // R-P8: 1–7 October 2026 are holidays, 10 October an adjusted working day
    expect(notice).toMatchObject({ status: 'DRAFT', dueOn: '2026-10-13', community: { id: communityId } });

    const unknown = await svc.gql(`mutation($c:ID!){ configureDisclosure(input:{communityId:$c, resolutionDueWorkingDays:3}) { resolutionDueWorkingDays } }`, { c: communityId });
    expect(errorCode(unknown)).toBe('NOT_FOUND');
    expect(unknown.errors?.[0]?.extensions?.field).toBe('input.communityId');

    await publishTestEvent(broker.brokers, communityRegistered, { communityId, districtId: randomUUID(), street: '花园路街道', name: '迟到社区', registeredAt: new Date().toISOString() });
    await eventually(() => svc.orm.em.fork().count(KnownCommunity, { id: communityId }), { what: 'community known' });
    expect((await ok(`query($c:ID!){ disclosureSettings(communityId:$c) { resolutionDueWorkingDays } }`, { c: communityId })).disclosureSettings.resolutionDueWorkingDays).toBe(5);
    const { configureDisclosure } = await ok(`mutation($c:ID!){ configureDisclosure(input:{communityId:$c, resolutionDueWorkingDays:3}) { communityId resolutionDueWorkingDays } }`, { c: communityId });
    expect(configureDisclosure).toEqual({ communityId, resolutionDueWorkingDays: 3 });
    await ok(`mutation($c:ID!){ configureDisclosure(input:{communityId:$c, resolutionDueWorkingDays:10}) { communityId } }`, { c: communityId });
    await ok(`mutation($c:ID!){ configureDisclosure(input:{communityId:$c, resolutionDueWorkingDays:3}) { communityId } }`, { c: communityId });
    expect(await svc.orm.em.fork().count(DisclosureSettingsEntity, { communityId })).toBe(1);

    const later = resolution(communityId, { decidedOn: '2026-11-20' });
    await publishTestEvent(broker.brokers, resolutionAdopted, later);
    // Friday 20 November + 3 working days = Wednesday 25 November
    expect((await noticeOf(communityId, later.resolutionId)).dueOn).toBe('2026-11-25');
    // the notice drafted earlier keeps its due date
    expect((await noticeOf(communityId, early.resolutionId)).dueOn).toBe('2026-10-13');
  });

  it('R-P3 a notice past its due date is overdue, and stays overdue when published late', async () => {
    const collector = await collectEvents(broker.brokers, [noticePublished.topic]);
    try {
      const communityId = await registerCommunity('逾期社区');
      const supervisor = await appoint(communityId);
      const r = resolution(communityId, { decidedOn: shift(today, -30) });
      await publishTestEvent(broker.brokers, resolutionAdopted, r);
      const draft = await noticeOf(communityId, r.resolutionId);
      expect(draft.overdue).toBe(true);
      const ref = { r: [{ __typename: 'Community', id: communityId }] };
      const overdueCount = async () => (await ok(`query($r:[_Any!]!){ _entities(representations:$r) { ... on Community { overdueNotices } } }`, ref))._entities[0].overdueNotices;
      expect(await overdueCount()).toBe(1);
      const { approveNotice: published } = await ok(APPROVE, { n: draft.id, r: supervisor });
      expect(published).toMatchObject({ status: 'PUBLISHED', overdue: true });
      expect(await overdueCount()).toBe(1);
      const event = await publishedEvent(collector, draft.id);
      expect((event.data as { onTime: boolean }).onTime).toBe(false);
    } finally {
      await collector.stop();
    }
  });

  it('bad input answers BAD_USER_INPUT / NOT_FOUND and writes nothing', async () => {
    const communityId = await registerCommunity('规范社区');
    const supervisor = await appoint(communityId);
    const r = resolution(communityId);
    await publishTestEvent(broker.brokers, resolutionAdopted, r);
    const draft = await noticeOf(communityId, r.resolutionId);
    const before = await counts();
    const missing = randomUUID();
    const cases: [string, Record<string, unknown>, string, string?][] = [
      [APPROVE, { n: 'not-a-uuid', r: supervisor }, 'BAD_USER_INPUT', 'input.noticeId'],
      [APPROVE, { n: draft.id, r: 'not-a-uuid' }, 'BAD_USER_INPUT', 'input.reviewerId'],
      [APPROVE, { n: missing, r: supervisor }, 'NOT_FOUND', 'input.noticeId'],
      [REJECT, { n: draft.id, r: supervisor, why: '   ' }, 'BAD_USER_INPUT', 'input.reason'],
      [REJECT, { n: draft.id, r: supervisor, why: '理'.repeat(501) }, 'BAD_USER_INPUT', 'input.reason'],
      [REJECT, { n: missing, r: supervisor, why: '理由' }, 'NOT_FOUND', 'input.noticeId'],
      [REVISE, { n: draft.id, t: '', b: '正文' }, 'BAD_USER_INPUT', 'input.title'],
      [REVISE, { n: draft.id, t: '标'.repeat(201), b: '正文' }, 'BAD_USER_INPUT', 'input.title'],
      [REVISE, { n: draft.id, t: '标题', b: '文'.repeat(20001) }, 'BAD_USER_INPUT', 'input.body'],
      [REVISE, { n: missing, t: '标题', b: '正文' }, 'NOT_FOUND', 'input.noticeId'],
      [`mutation($c:ID!){ configureDisclosure(input:{communityId:$c, resolutionDueWorkingDays:31}) { communityId } }`, { c: communityId }, 'BAD_USER_INPUT', 'input.resolutionDueWorkingDays'],
      [`mutation($c:ID!){ configureDisclosure(input:{communityId:$c, resolutionDueWorkingDays:0}) { communityId } }`, { c: communityId }, 'BAD_USER_INPUT', 'input.resolutionDueWorkingDays'],
      [`mutation($c:ID!){ configureDisclosure(input:{communityId:$c, resolutionDueWorkingDays:5}) { communityId } }`, { c: 'x' }, 'BAD_USER_INPUT', 'input.communityId'],
      [`query($id:ID!){ notice(id:$id) { id } }`, { id: 'x' }, 'BAD_USER_INPUT', 'id'],
      [`query($c:ID!){ notices(communityId:$c) { id } }`, { c: 'x' }, 'BAD_USER_INPUT', 'communityId'],
      [`query($c:ID!){ disclosureSettings(communityId:$c) { resolutionDueWorkingDays } }`, { c: missing }, 'NOT_FOUND', 'communityId'],
    ];
    for (const [query, variables, code, field] of cases) {
      const res = await svc.gql(query, variables);
      expect({ query, variables, code: errorCode(res), field: res.errors?.[0]?.extensions?.field }).toEqual({ query, variables, code, field });
    }
    expect(await counts()).toEqual(before);
    expect((await ok(`query($id:ID!){ notice(id:$id) { ${NOTICE_FIELDS} } }`, { id: draft.id })).notice).toEqual(draft);
    expect((await ok(`query($id:ID!){ notice(id:$id) { id } }`, { id: missing })).notice).toBeNull();
  });

  it('resolves notices of 6 Community references in one SQL query (batching)', async () => {
    const ids: string[] = [];
    const resolutions: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const communityId = randomUUID();
      ids.push(communityId);
      // two communities without any notice, four with one
      if (i % 3 === 0) continue;
      const r = resolution(communityId, { title: `批量决议${i}` });
      resolutions.push(r.resolutionId);
      await publishTestEvent(broker.brokers, resolutionAdopted, r);
    }
    await eventually(async () => (await svc.orm.em.fork().count(NoticeEntity, { sourceId: { $in: resolutions } })) === 4, { what: 'four notices drafted' });
    const q = countQueries(svc.orm);
    try {
      const r = await ok(`query($r:[_Any!]!){ _entities(representations:$r) { ... on Community { id notices { id } overdueNotices } } }`, {
        r: ids.map((id) => ({ __typename: 'Community', id })),
      });
      expect(r._entities.map((c: { id: string }) => c.id)).toEqual(ids);
      expect(r._entities.map((c: { notices: unknown[] }) => c.notices.length)).toEqual([0, 1, 1, 0, 1, 1]);
      // one query for all six communities' notices (overdueNotices reuses it). countQueries sees
      // every statement of the ORM, including the outbox relay's background poll (on PostgreSQL
      // a transaction taking an advisory lock): leave those out
      const relayPoll = /^(begin|commit|rollback)\b|pg_try_advisory_xact_lock|from [`"]outbox[`"]/i;
      const requestQueries = q.sql.filter((sql) => !relayPoll.test(sql.trim()));
      expect(requestQueries).toHaveLength(1);
      expect(requestQueries[0]).toMatch(/from [`"]notice[`"]/);
    } finally {
      q.stop();
    }
  });
});
