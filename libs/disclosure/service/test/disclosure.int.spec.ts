import { createHash, randomUUID } from 'node:crypto';
import { bodyMemberAppointed, communityRegistered, noticePublished, resolutionAdopted, resolutionRejected, type PayloadOf } from '@cdp/contracts';
import { collectEvents, errorCode, eventually, publishTestEvent, startMokapi, startTestService, type EventCollector, type GraphQLResponse, type MokapiBroker, type TestService } from '@cdp/devkit';
import { countQueries, KnownCommunity, OutboxMessage, signDevToken } from '@cdp/platform';
import { ROLES, RUNS_PROCEDURES, chinaCivilDate, WorkingDayCalendar, type Actor, type Role } from '@cdp/util';
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

/** Callers (R-AUTH). Tokens are signed by the harness; `null` is an anonymous request through the gateway. */
const ADMIN: Actor = { sub: 'admin', roles: ['ADMIN'], communities: [] };
const staffOf = (communityId: string): Actor => ({ sub: 'clerk', roles: ['STAFF'], communities: [communityId] });
const supervisorOf = (communityId: string, residentId: string): Actor => ({ sub: residentId, roles: ['SUPERVISOR'], communities: [communityId] });

/** POSTs the operation as the caller (anonymous for null). */
function as(actor: Actor | null) {
  return <T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}) => (actor ? svc.as(actor)<T>(query, variables) : svc.gql<T>(query, variables));
}

async function ok<T = any>(actor: Actor | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await as(actor)<T>(query, variables);
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
    drafts: await em.count(NoticeEntity, { status: 'DRAFT' }),
    returned: await em.count(NoticeEntity, { status: 'RETURNED' }),
    published: await em.count(NoticeEntity, { status: 'PUBLISHED' }),
    seats: await em.count(SupervisorSeatEntity),
    settings: await em.count(DisclosureSettingsEntity),
    outbox: await em.count(OutboxMessage),
  };
};

/** membership announces a community; waits until disclosure knows it. */
async function registerCommunity(name: string, place: { street?: string; districtId?: string } = {}): Promise<string> {
  const communityId = randomUUID();
  await publishTestEvent(broker.brokers, communityRegistered, { communityId, districtId: place.districtId ?? randomUUID(), street: place.street ?? '花园路街道', name, registeredAt: new Date().toISOString() });
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
      const { notices } = await ok(ADMIN, `query($c:ID!){ notices(communityId:$c) { ${NOTICE_FIELDS} } }`, { c: communityId });
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

// the reviewer is the caller (R-AUTH): no reviewerId in the inputs
const APPROVE = `mutation($n:ID!){ approveNotice(input:{noticeId:$n}) { ${NOTICE_FIELDS} } }`;
const REJECT = `mutation($n:ID!,$why:String!){ rejectNotice(input:{noticeId:$n, reason:$why}) { ${NOTICE_FIELDS} } }`;
const REVISE = `mutation($n:ID!,$t:String!,$b:String!){ reviseNotice(input:{noticeId:$n, title:$t, body:$b}) { ${NOTICE_FIELDS} } }`;
const CONFIGURE = `mutation($c:ID!,$d:Int!){ configureDisclosure(input:{communityId:$c, resolutionDueWorkingDays:$d}) { communityId resolutionDueWorkingDays } }`;

/** Publishes resolutions of the community and waits until each one's notice is drafted. */
async function drafts(communityId: string, n: number, over: Partial<PayloadOf<typeof resolutionAdopted>> = {}): Promise<any[]> {
  const rs = Array.from({ length: n }, () => resolution(communityId, over));
  for (const r of rs) await publishTestEvent(broker.brokers, resolutionAdopted, r);
  return Promise.all(rs.map((r) => noticeOf(communityId, r.resolutionId)));
}

/** The stored notice and settings of a community, to compare before and after refused calls. */
async function stored(communityId: string, noticeId: string) {
  const em = svc.orm.em.fork();
  const notice = await em.findOneOrFail(NoticeEntity, { id: noticeId });
  const settings = await em.findOne(DisclosureSettingsEntity, { communityId });
  return { counts: await counts(), notice: { ...notice }, settings: settings ? { ...settings } : null };
}

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
    const { community } = await ok(staffOf(communityId), `query($r:[_Any!]!){ _entities(representations:$r) { ... on Community { notices(status:DRAFT) { id } overdueNotices } } }`, {
      r: [{ __typename: 'Community', id: communityId }],
    }).then((d) => ({ community: d._entities[0] }));
    expect(community).toEqual({ notices: [{ id: notice.id }], overdueNotices: 0 });
  });

  it('R-P4 a SUPERVISOR token whose resident is not on the roll cannot approve and nothing is written; the supervisor publishes it and disclosure.notice.published.v1 arrives; R-P5 then it is immutable', async () => {
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
        const refused = await svc.as(supervisorOf(communityId, reviewer))(APPROVE, { n: draft.id });
        expect(errorCode(refused)).toBe('FORBIDDEN');
        expect(refused.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN', rule: 'R-P4' });
        const returned = await svc.as(supervisorOf(communityId, reviewer))(REJECT, { n: draft.id, why: '数字有误' });
        expect(errorCode(returned)).toBe('FORBIDDEN');
      }
      expect(await counts()).toEqual(before);
      expect((await ok(ADMIN, `query($id:ID!){ notice(id:$id) { ${NOTICE_FIELDS} } }`, { id: draft.id })).notice).toEqual(draft);

      const { approveNotice: published } = await ok(supervisorOf(communityId, supervisor), APPROVE, { n: draft.id });
      expect(published).toMatchObject({ id: draft.id, status: 'PUBLISHED', approvedBy: supervisor, overdue: false, title: draft.title, body: draft.body });
      expect(published.contentHash).toBe(sha256Hex(`${draft.title}\n${draft.body}`));
      expect(chinaCivilDate(new Date(published.publishedAt))).toBe(today);
      expect(await counts()).toEqual({ ...before, drafts: before.drafts - 1, published: before.published + 1, outbox: before.outbox + 1 });

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
      for (const [actor, query, variables] of [
        [supervisorOf(communityId, supervisor), APPROVE, { n: draft.id }],
        [supervisorOf(communityId, supervisor), REJECT, { n: draft.id, why: '改一下' }],
        [staffOf(communityId), REVISE, { n: draft.id, t: '新标题', b: '新正文' }],
      ] as const) {
        const again = await as(actor)(query, variables);
        expect(errorCode(again)).toBe('CONFLICT');
        expect(again.errors?.[0]?.extensions).toMatchObject({ rule: 'R-P5', field: 'input.noticeId' });
      }
      expect(await counts()).toEqual(after);
      // published: public, the same for anyone
      expect((await ok(null, `query($id:ID!){ notice(id:$id) { ${NOTICE_FIELDS} } }`, { id: draft.id })).notice).toEqual(published);
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
    const reviewer = supervisorOf(communityId, supervisor);
    const { rejectNotice: returned } = await ok(reviewer, REJECT, { n: draft.id, why: '请注明收费标准' });
    expect(returned).toMatchObject({ status: 'RETURNED', returnReason: '请注明收费标准' });
    const twice = await svc.as(reviewer)(APPROVE, { n: draft.id });
    expect(errorCode(twice)).toBe('CONFLICT');
    expect(twice.errors?.[0]?.extensions?.rule).toBe('R-P4');

    const { reviseNotice: revised } = await ok(staffOf(communityId), REVISE, { n: draft.id, t: '关于小区停车收费调整未获通过的公开', b: `${draft.body}\n收费标准维持现行每月150元。` });
    expect(revised).toMatchObject({ status: 'DRAFT', returnReason: '请注明收费标准' });
    const { approveNotice: published } = await ok(reviewer, APPROVE, { n: draft.id });
    expect(published.contentHash).toBe(sha256Hex(`${revised.title}\n${revised.body}`));
    expect(await counts()).toEqual({ ...before, drafts: before.drafts - 1, published: before.published + 1, outbox: before.outbox + 1 });

    const { community } = await ok(staffOf(communityId), `query($r:[_Any!]!){ _entities(representations:$r) { ... on Community { published: notices(status:PUBLISHED) { id } drafts: notices(status:DRAFT) { id } } } }`, {
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
    const { notices } = await ok(ADMIN, `query($c:ID!){ notices(communityId:$c) { id sourceId } }`, { c: communityId });
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

    const staff = staffOf(communityId);
    const unknown = await svc.as(staff)(CONFIGURE, { c: communityId, d: 3 });
    expect(errorCode(unknown)).toBe('NOT_FOUND');
    expect(unknown.errors?.[0]?.extensions?.field).toBe('input.communityId');

    await publishTestEvent(broker.brokers, communityRegistered, { communityId, districtId: randomUUID(), street: '花园路街道', name: '迟到社区', registeredAt: new Date().toISOString() });
    await eventually(() => svc.orm.em.fork().count(KnownCommunity, { id: communityId }), { what: 'community known' });
    expect((await ok(staff, `query($c:ID!){ disclosureSettings(communityId:$c) { resolutionDueWorkingDays } }`, { c: communityId })).disclosureSettings.resolutionDueWorkingDays).toBe(5);
    const { configureDisclosure } = await ok(staff, CONFIGURE, { c: communityId, d: 3 });
    expect(configureDisclosure).toEqual({ communityId, resolutionDueWorkingDays: 3 });
    await ok(staff, CONFIGURE, { c: communityId, d: 10 });
    await ok({ ...staff, roles: ['COMMITTEE'] }, CONFIGURE, { c: communityId, d: 3 });
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
      const overdueCount = async () => (await ok(staffOf(communityId), `query($r:[_Any!]!){ _entities(representations:$r) { ... on Community { overdueNotices } } }`, ref))._entities[0].overdueNotices;
      expect(await overdueCount()).toBe(1);
      const { approveNotice: published } = await ok(supervisorOf(communityId, supervisor), APPROVE, { n: draft.id });
      expect(published).toMatchObject({ status: 'PUBLISHED', overdue: true });
      expect(await overdueCount()).toBe(1);
      const event = await publishedEvent(collector, draft.id);
      expect((event.data as { onTime: boolean }).onTime).toBe(false);
    } finally {
      await collector.stop();
    }
  });

  it('bad input answers BAD_USER_INPUT / NOT_FOUND (before the scope is checked) and writes nothing', async () => {
    const communityId = await registerCommunity('规范社区');
    const supervisor = await appoint(communityId);
    const r = resolution(communityId);
    await publishTestEvent(broker.brokers, resolutionAdopted, r);
    const draft = await noticeOf(communityId, r.resolutionId);
    const before = await counts();
    const missing = randomUUID();
    const reviewer = supervisorOf(communityId, supervisor);
    const staff = staffOf(communityId);
    // R-AUTH: malformed input and unknown ids are answered before the scope: also to callers of another community
    const elsewhere = randomUUID();
    const cases: [Actor | null, string, Record<string, unknown>, string, string?][] = [
      [reviewer, APPROVE, { n: 'not-a-uuid' }, 'BAD_USER_INPUT', 'input.noticeId'],
      [reviewer, APPROVE, { n: missing }, 'NOT_FOUND', 'input.noticeId'],
      [supervisorOf(elsewhere, supervisor), APPROVE, { n: missing }, 'NOT_FOUND', 'input.noticeId'],
      [reviewer, REJECT, { n: draft.id, why: '   ' }, 'BAD_USER_INPUT', 'input.reason'],
      [reviewer, REJECT, { n: draft.id, why: '理'.repeat(501) }, 'BAD_USER_INPUT', 'input.reason'],
      [reviewer, REJECT, { n: missing, why: '理由' }, 'NOT_FOUND', 'input.noticeId'],
      [staff, REVISE, { n: draft.id, t: '', b: '正文' }, 'BAD_USER_INPUT', 'input.title'],
      [staff, REVISE, { n: draft.id, t: '标'.repeat(201), b: '正文' }, 'BAD_USER_INPUT', 'input.title'],
      [staff, REVISE, { n: draft.id, t: '标题', b: '文'.repeat(20001) }, 'BAD_USER_INPUT', 'input.body'],
      [staff, REVISE, { n: missing, t: '标题', b: '正文' }, 'NOT_FOUND', 'input.noticeId'],
      [staffOf(elsewhere), REVISE, { n: 'x', t: '标题', b: '正文' }, 'BAD_USER_INPUT', 'input.noticeId'],
      [staff, CONFIGURE, { c: communityId, d: 31 }, 'BAD_USER_INPUT', 'input.resolutionDueWorkingDays'],
      [staff, CONFIGURE, { c: communityId, d: 0 }, 'BAD_USER_INPUT', 'input.resolutionDueWorkingDays'],
      [staffOf(elsewhere), CONFIGURE, { c: communityId, d: 0 }, 'BAD_USER_INPUT', 'input.resolutionDueWorkingDays'],
      [staff, CONFIGURE, { c: 'x', d: 5 }, 'BAD_USER_INPUT', 'input.communityId'],
      [staff, CONFIGURE, { c: missing, d: 5 }, 'NOT_FOUND', 'input.communityId'],
      [null, `query($id:ID!){ notice(id:$id) { id } }`, { id: 'x' }, 'BAD_USER_INPUT', 'id'],
      [null, `query($c:ID!){ notices(communityId:$c) { id } }`, { c: 'x' }, 'BAD_USER_INPUT', 'communityId'],
      [staff, `query($c:ID!){ disclosureSettings(communityId:$c) { resolutionDueWorkingDays } }`, { c: missing }, 'NOT_FOUND', 'communityId'],
      [null, `query($c:ID!){ disclosureSettings(communityId:$c) { resolutionDueWorkingDays } }`, { c: 'x' }, 'BAD_USER_INPUT', 'communityId'],
    ];
    for (const [actor, query, variables, code, field] of cases) {
      const res = await as(actor)(query, variables);
      expect({ actor, query, variables, code: errorCode(res), field: res.errors?.[0]?.extensions?.field }).toEqual({ actor, query, variables, code, field });
    }
    expect(await counts()).toEqual(before);
    expect((await ok(staff, `query($id:ID!){ notice(id:$id) { ${NOTICE_FIELDS} } }`, { id: draft.id })).notice).toEqual(draft);
    expect((await ok(null, `query($id:ID!){ notice(id:$id) { id } }`, { id: missing })).notice).toBeNull();
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
      // as ADMIN, who reads every community: the read checks need no query of their own
      const r = await ok(ADMIN, `query($r:[_Any!]!){ _entities(representations:$r) { ... on Community { id notices { id } overdueNotices } } }`, {
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

  it('R-AUTH role matrix: every disclosure mutation × every role × own / other community, and no token — the exact code; refused calls write nothing', async () => {
    const street = `矩阵街道${randomUUID().slice(0, 8)}`;
    const districtId = randomUUID();
    const own = await registerCommunity('矩阵社区', { street, districtId });
    const other = await registerCommunity('邻近社区', { street: `${street}乙`, districtId: randomUUID() });
    const supervisor = await appoint(own);
    await ok(staffOf(own), CONFIGURE, { c: own, d: 5 });
    // one notice every refused call aims at, and a fresh draft for every call that is allowed
    const [target, ...fresh] = await drafts(own, 5);
    const place = { own: { id: own, street, district: districtId }, other: { id: other, street: `${street}乙`, district: randomUUID() } };
    const actorFor = (role: Role, where: keyof typeof place): Actor => ({
      // R-AUTH: for residents, representatives and supervisors the subject is their resident id
      sub: role === 'SUPERVISOR' ? supervisor : role === 'RESIDENT' || role === 'REPRESENTATIVE' ? randomUUID() : `${role.toLowerCase()}-matrix`,
      roles: [role],
      communities: [place[where].id],
      ...(role === 'STREET_OFFICIAL' ? { street: place[where].street } : {}),
      ...(role === 'DISTRICT_OFFICIAL' ? { district: place[where].district } : {}),
    });
    const mutations: Record<string, { allowed: Role[]; run(call: ReturnType<typeof as>, noticeId: string): Promise<GraphQLResponse> }> = {
      approveNotice: { allowed: ['SUPERVISOR'], run: (call, n) => call(APPROVE, { n }) },
      rejectNotice: { allowed: ['SUPERVISOR'], run: (call, n) => call(REJECT, { n, why: '请补充实施时间' }) },
      reviseNotice: { allowed: RUNS_PROCEDURES, run: (call, n) => call(REVISE, { n, t: '修改后的标题', b: '修改后的正文' }) },
      configureDisclosure: { allowed: RUNS_PROCEDURES, run: (call) => call(CONFIGURE, { c: own, d: 7 }) },
    };

    const actual: string[] = [];
    const expected: string[] = [];
    for (const [mutation, { allowed, run }] of Object.entries(mutations)) {
      const callers: [string, Actor | null][] = [...ROLES.flatMap((role) => (['own', 'other'] as const).map((where): [string, Actor] => [`${role} ${where}`, actorFor(role, where)])), ['no token', null]];
      for (const [who, actor] of callers) {
        const permitted = !!actor && allowed.includes(actor.roles[0]!) && actor.communities[0] === own;
        expected.push(`${mutation} as ${who}: ${permitted ? 'OK' : actor ? 'FORBIDDEN' : 'UNAUTHENTICATED'}`);
        if (permitted) {
          // configureDisclosure needs no notice
          const res = await run(as(actor), mutation === 'configureDisclosure' ? target.id : fresh.shift().id);
          actual.push(`${mutation} as ${who}: ${res.errors ? JSON.stringify(res.errors) : 'OK'}`);
        } else {
          const before = await stored(own, target.id);
          const res = await run(as(actor), target.id);
          actual.push(`${mutation} as ${who}: ${errorCode(res)}`);
          // nothing written: notices by status, settings, outbox, the notice and the settings themselves
          expect({ mutation, who, ...(await stored(own, target.id)) }).toEqual({ mutation, who, ...before });
        }
      }
    }
    expect(actual).toEqual(expected);
    expect(fresh).toHaveLength(0);
    // the allowed calls did what they say
    const em = svc.orm.em.fork();
    expect(await em.findOne(DisclosureSettingsEntity, { communityId: own })).toMatchObject({ resolutionDueWorkingDays: 7 });
    expect(await em.count(NoticeEntity, { communityId: own, status: 'PUBLISHED', approvedBy: supervisor })).toBe(1);
    expect(await em.count(NoticeEntity, { communityId: own, status: 'RETURNED', returnedBy: supervisor })).toBe(1);
    expect(await em.count(NoticeEntity, { communityId: own, title: '修改后的标题' })).toBe(2);
    expect(await em.findOneOrFail(NoticeEntity, { id: target.id })).toMatchObject({ status: 'DRAFT', title: target.title, body: target.body });
  });

  it('R-P4 a SUPERVISOR token of the right community whose subject is not on the supervision-committee roll is FORBIDDEN R-P4; nothing is written', async () => {
    const communityId = await registerCommunity('名册社区');
    const supervisor = await appoint(communityId);
    const committeeMember = await appoint(communityId, 'RESIDENTS_COMMITTEE');
    const formerSupervisor = await appoint(communityId, 'SUPERVISION_COMMITTEE', { startedOn: shift(today, -400), endsOn: shift(today, -1) });
    const futureSupervisor = await appoint(communityId, 'SUPERVISION_COMMITTEE', { startedOn: shift(today, 30) });
    const supervisorElsewhere = await appoint(await registerCommunity('别处社区'));
    const [draft] = await drafts(communityId, 1);
    const before = await stored(communityId, draft.id);
    for (const sub of [committeeMember, formerSupervisor, futureSupervisor, supervisorElsewhere, randomUUID(), 'not-a-resident-id']) {
      for (const [query, variables] of [
        [APPROVE, { n: draft.id }],
        [REJECT, { n: draft.id, why: '数字有误' }],
      ] as const) {
        const res = await svc.as(supervisorOf(communityId, sub))(query, variables);
        expect({ sub, query, errors: res.errors?.map((e) => e.extensions) }).toEqual({ sub, query, errors: [{ code: 'FORBIDDEN', rule: 'R-P4' }] });
      }
    }
    expect(await stored(communityId, draft.id)).toEqual(before);
    // the member in office, with the same kind of token, may
    expect((await ok(supervisorOf(communityId, supervisor), APPROVE, { n: draft.id })).approveNotice).toMatchObject({ status: 'PUBLISHED', approvedBy: supervisor });
  });

  it('R-AUTH reads: the public and residents read what was published; street and district officials over the community read drafts and overdue counts, others only what was published', async () => {
    const street = `公开街道${randomUUID().slice(0, 8)}`;
    const districtId = randomUUID();
    const communityId = await registerCommunity('公开社区', { street, districtId });
    const supervisor = await appoint(communityId);
    // one notice returned, revised and published (it keeps its return reason), one overdue draft
    const [first] = await drafts(communityId, 1);
    await ok(supervisorOf(communityId, supervisor), REJECT, { n: first.id, why: '请补充实施时间' });
    await ok(staffOf(communityId), REVISE, { n: first.id, t: '关于加装电梯的决议公开', b: '补充：2027年3月前完成。' });
    const { approveNotice: published } = await ok(supervisorOf(communityId, supervisor), APPROVE, { n: first.id });
    expect(published).toMatchObject({ status: 'PUBLISHED', returnReason: '请补充实施时间', overdue: false });
    const [draft] = await drafts(communityId, 1, { decidedOn: shift(today, -30) });
    expect(draft.overdue).toBe(true);
    // a community disclosure has not heard of yet: checked by its id alone
    const unknownCommunity = randomUUID();
    const unknownResolution = resolution(unknownCommunity);
    await publishTestEvent(broker.brokers, resolutionAdopted, unknownResolution);
    const unknownDraft = await noticeOf(unknownCommunity, unknownResolution.resolutionId);

    const NOTICES = `query($c:ID!){ notices(communityId:$c) { id } drafts: notices(communityId:$c, status:DRAFT) { id } }`;
    const ALL = `{ notices { id } }`;
    const ONE = `query($id:ID!){ notice(id:$id) { id status returnReason } }`;
    const ENTITY = `query($r:[_Any!]!){ _entities(representations:$r) { ... on Community { notices { id } drafts: notices(status:DRAFT) { id } } } }`;
    const OVERDUE = `query($r:[_Any!]!){ _entities(representations:$r) { ... on Community { overdueNotices } } }`;
    const SETTINGS = `query($c:ID!){ disclosureSettings(communityId:$c) { resolutionDueWorkingDays } }`;
    const ref = { r: [{ __typename: 'Community', id: communityId }] };

    const view = async (actor: Actor | null) => {
      const call = as(actor);
      const lists = (await call(NOTICES, { c: communityId })).data;
      const entity = (await call(ENTITY, ref)).data?._entities[0];
      const all = ((await call(ALL)).data?.notices as { id: string }[]).map((n) => n.id);
      const one = await call(ONE, { id: draft.id });
      const overdue = await call(OVERDUE, ref);
      const settings = await call(SETTINGS, { c: communityId });
      return {
        notices: lists?.notices.map((n: { id: string }) => n.id),
        drafts: lists?.drafts.map((n: { id: string }) => n.id),
        entityNotices: entity?.notices.map((n: { id: string }) => n.id),
        entityDrafts: entity?.drafts.map((n: { id: string }) => n.id),
        acrossCommunities: { published: all.includes(published.id), draft: all.includes(draft.id), unknownDraft: all.includes(unknownDraft.id) },
        draftById: one.errors ? errorCode(one) : one.data?.notice?.status,
        overdueNotices: overdue.errors ? errorCode(overdue) : overdue.data?._entities[0].overdueNotices,
        settings: settings.errors ? errorCode(settings) : 'OK',
      };
    };
    const publicView = (denied: 'UNAUTHENTICATED' | 'FORBIDDEN', unknownDraft = false) => ({
      notices: [published.id],
      drafts: [],
      entityNotices: [published.id],
      entityDrafts: [],
      acrossCommunities: { published: true, draft: false, unknownDraft },
      draftById: denied,
      overdueNotices: denied,
      settings: denied,
    });
    const scopedView = { notices: [draft.id, published.id], drafts: [draft.id], entityNotices: [draft.id, published.id], entityDrafts: [draft.id], acrossCommunities: { published: true, draft: true, unknownDraft: false }, draftById: 'DRAFT', overdueNotices: 1, settings: 'OK' };

    // anyone: the published notice with its return reason, and nothing else
    expect(await view(null)).toEqual(publicView('UNAUTHENTICATED'));
    expect((await ok(null, ONE, { id: published.id })).notice).toEqual({ id: published.id, status: 'PUBLISHED', returnReason: '请补充实施时间' });
    // officials over the community read it all
    expect(await view({ sub: 'street-official', roles: ['STREET_OFFICIAL'], communities: [], street })).toEqual(scopedView);
    expect(await view({ sub: 'district-official', roles: ['DISTRICT_OFFICIAL'], communities: [], district: districtId })).toEqual(scopedView);
    expect(await view(ADMIN)).toEqual({ ...scopedView, acrossCommunities: { published: true, draft: true, unknownDraft: true } });
    // officials of another street or district, and a resident elsewhere: what was published
    expect(await view({ sub: 'street-official-2', roles: ['STREET_OFFICIAL'], communities: [], street: `${street}乙` })).toEqual(publicView('FORBIDDEN'));
    expect(await view({ sub: 'district-official-2', roles: ['DISTRICT_OFFICIAL'], communities: [], district: randomUUID() })).toEqual(publicView('FORBIDDEN'));
    expect(await view({ sub: randomUUID(), roles: ['RESIDENT'], communities: [randomUUID()] })).toEqual(publicView('FORBIDDEN'));
    // a resident of the community reads what was published
    const resident = await view({ sub: randomUUID(), roles: ['RESIDENT'], communities: [communityId] });
    expect(resident.notices).toContain(published.id);
    expect(resident.entityNotices).toContain(published.id);
    // a community not known yet: its own staff read its draft, an official (no place known) only what was published
    const unknownList = `query($c:ID!){ notices(communityId:$c) { id } }`;
    expect((await ok(staffOf(unknownCommunity), unknownList, { c: unknownCommunity })).notices).toEqual([{ id: unknownDraft.id }]);
    expect((await ok({ sub: 'street-official', roles: ['STREET_OFFICIAL'], communities: [], street }, unknownList, { c: unknownCommunity })).notices).toEqual([]);
    expect((await view(staffOf(unknownCommunity))).acrossCommunities).toEqual({ published: true, draft: false, unknownDraft: true });
  });

  it('R-AUTH a request straight to the subgraph without the gateway secret is refused with HTTP 401 UNAUTHENTICATED', async () => {
    const token = await signDevToken(ADMIN);
    for (const headers of [{}, { 'x-gateway-secret': 'wrong' }, { authorization: `Bearer ${token}` }] as Record<string, string>[]) {
      const res = await fetch(svc.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query: '{ notices { id } }' }),
      });
      expect(res.status).toBe(401);
      const body = (await res.json()) as { errors: { extensions: { code: string } }[]; data?: unknown };
      expect(body.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
      expect(body.data).toBeUndefined();
    }
  });
});
