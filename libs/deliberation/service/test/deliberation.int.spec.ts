import { randomUUID } from 'node:crypto';
import { communityRegistered, eventSource, representativeElected, representativeTermEnded, type EventContract, type PayloadOf } from '@cdp/contracts';
import { countQueries, GATEWAY_SECRET_HEADER, KnownCommunity, OutboxMessage, RollEntry, signDevToken, type DecodedEvent } from '@cdp/platform';
import { collectEvents, errorCode, eventually, publishTestEvent, startMokapi, startTestService, type GraphQLResponse, type MokapiBroker, type TestService } from '@cdp/devkit';
import { ROLES, type Actor } from '@cdp/util';
import { deliberationModule, MeetingAttendanceEntity, MeetingEntity, MotionEntity, ResolutionEntity, VoteEntity } from '../src';

let broker: MokapiBroker;
let svc: TestService;

beforeAll(async () => {
  broker = await startMokapi();
  svc = await startTestService(deliberationModule, { brokers: broker.brokers });
});
afterAll(async () => {
  await svc?.close();
  await broker?.stop();
});

/** A GraphQL call through the gateway as `actor` (null: anonymous, no token). */
function call<T = any>(actor: Actor | null, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLResponse<T>> {
  return actor ? svc.as(actor)<T>(query, variables) : svc.gql<T>(query, variables);
}

async function ok<T = any>(actor: Actor | null, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await call<T>(actor, query, variables);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data as T;
}

const DISTRICT = '0b9f1c6e-3c1e-4a59-8f0e-6a0f3c9b2d10';
const STREET = '花园路街道';
/** R-AUTH: staff 社区工作人员 running the procedures of these communities */
const clerkOf = (...communities: string[]): Actor => ({ sub: 'clerk', roles: ['STAFF'], communities });
/** R-AUTH: reads every community of the district the test communities are registered in */
const DISTRICT_OFFICER: Actor = { sub: 'district-officer', roles: ['DISTRICT_OFFICIAL'], communities: [], district: DISTRICT };

const counts = async () => {
  const em = svc.orm.em.fork();
  return {
    motions: await em.count(MotionEntity),
    meetings: await em.count(MeetingEntity),
    attendance: await em.count(MeetingAttendanceEntity),
    votes: await em.count(VoteEntity),
    resolutions: await em.count(ResolutionEntity),
    outbox: await em.count(OutboxMessage),
  };
};

const TERM = { termStart: '2026-01-01', termEnd: '2027-12-31' };
const HELD_ON = '2026-11-10';
const TOPICS = ['deliberation.motion.proposed.v1', 'deliberation.meeting.held.v1', 'deliberation.resolution.adopted.v1', 'deliberation.resolution.rejected.v1'];

// --- membership events, as membership would publish them ------------------------------------

const registered = (communityId: string, name: string, place = { districtId: DISTRICT, street: STREET }): PayloadOf<typeof communityRegistered> => ({
  communityId,
  ...place,
  name,
  registeredAt: '2026-01-01T00:00:00.000Z',
});
const elected = (communityId: string, representativeId: string, term = TERM): PayloadOf<typeof representativeElected> => ({
  representativeId,
  residentId: randomUUID(),
  communityId,
  groupId: '2a4c6e8f-1b3d-4f5a-8c7e-9d0b1a2c3e4f',
  ...term,
});
const termEnded = (communityId: string, representativeId: string, endedOn: string): PayloadOf<typeof representativeTermEnded> => ({ representativeId, communityId, endedOn, reason: 'MOVED_OUT' });

/** Hands an event straight to the service's idempotent consumer, as a Kafka delivery would. */
function deliver<C extends EventContract>(contract: C, data: PayloadOf<C>, id: string = randomUUID()) {
  const event: DecodedEvent = { id, source: eventSource(contract.producer), type: contract.topic, specversion: '1.0', data };
  return svc.consumer.process(contract.topic, event);
}

const ROLL_QUERY = `query($r:[_Any!]!,$on:LocalDate){ _entities(representations:$r) { ... on Community { id assemblyRoll(on:$on) { id } } } }`;
async function rollIds(communityId: string, on: string): Promise<string[]> {
  const d = await ok(clerkOf(communityId), ROLL_QUERY, { r: [{ __typename: 'Community', id: communityId }], on });
  return d._entities[0].assemblyRoll.map((r: { id: string }) => r.id);
}
const known = async (communityId: string) => (await svc.orm.em.fork().count(KnownCommunity, { id: communityId })) === 1;
const sorted = (ids: string[]) => [...ids].sort();

/** A community with `n` representatives in office for 2026–2027, fed through the broker; waits until the roll shows them. */
async function assembly(name: string, n: number): Promise<{ communityId: string; reps: string[] }> {
  const communityId = randomUUID();
  const reps = Array.from({ length: n }, () => randomUUID());
  await publishTestEvent(broker.brokers, communityRegistered, registered(communityId, name));
  for (const id of reps) await publishTestEvent(broker.brokers, representativeElected, elected(communityId, id));
  await eventually(async () => (await known(communityId)) && (await rollIds(communityId, HELD_ON)).length === n, { what: `${name}: community and roll of ${n}`, timeoutMs: 30000 });
  return { communityId, reps };
}

const PROPOSE = `mutation($i:ProposeMotionInput!){ proposeMotion(input:$i) { id title description major status proposedOn community { id } resolution { id } } }`;
const propose = (communityId: string, title: string, extra: Record<string, unknown> = {}) =>
  ok(clerkOf(communityId), PROPOSE, { i: { communityId, title, proposedOn: '2026-11-03', ...extra } }).then((d) => d.proposeMotion.id as string);

const RECORD = `mutation($i:RecordMeetingInput!){ recordMeeting(input:$i) {
  id heldOn eligible attended quorate community { id } attendees { id }
  resolutions { id status decidedOn eligible attended votesFor votesAgainst abstentions rule motion { id status } meeting { id } }
} }`;

type Choice = 'FOR' | 'AGAINST' | 'ABSTAIN';
/** votes of representatives `reps[0..]` on `motionId`, in the given order of choices */
const ballot = (motionId: string, reps: string[], choices: Choice[]) => choices.map((choice, i) => ({ motionId, representativeId: reps[i]!, choice }));
const times = (n: number, c: Choice): Choice[] => Array(n).fill(c);

describe(`deliberation subgraph (${process.env.TEST_DATABASE ?? 'sqlite'})`, () => {
  it('R-D3 keeps the roll at the meeting date from membership events: terms not yet started or ended early are not on it', async () => {
    const { communityId, reps } = await assembly('幸福里社区', 3);
    const later = randomUUID();
    const leaver = randomUUID();
    await publishTestEvent(broker.brokers, representativeElected, elected(communityId, later, { termStart: '2026-12-01', termEnd: '2028-11-30' }));
    await publishTestEvent(broker.brokers, representativeElected, elected(communityId, leaver));
    await publishTestEvent(broker.brokers, representativeTermEnded, termEnded(communityId, leaver, '2026-10-31'));
    await eventually(
      async () => {
        const d = await ok(clerkOf(communityId), `query($r:[_Any!]!){ _entities(representations:$r) { ... on Community {
          before: assemblyRoll(on:"2026-10-31") { id } meeting: assemblyRoll(on:"${HELD_ON}") { id } after: assemblyRoll(on:"2026-12-01") { id } } } }`, {
          r: [{ __typename: 'Community', id: communityId }],
        });
        const ids = (k: string) => sorted(d._entities[0][k].map((r: { id: string }) => r.id));
        expect(ids('before')).toEqual(sorted([...reps, leaver]));
        expect(ids('meeting')).toEqual(sorted(reps));
        expect(ids('after')).toEqual(sorted([...reps, later]));
        return true;
      },
      { what: 'the roll at three dates', timeoutMs: 30000 },
    );
  });

  it('R-D3/R-D5 a quorate meeting decides every voted motion; resolution.adopted.v1 and .rejected.v1 reach Kafka with the counts and the rule', async () => {
    const collector = await collectEvents(broker.brokers, TOPICS);
    try {
      const { communityId, reps } = await assembly('和平社区', 9);
      const lift = await propose(communityId, '3号楼加装电梯方案', { major: true, description: '加装电梯，费用按楼层分摊' });
      const parking = await propose(communityId, '小区停车收费调整');
      const split = await propose(communityId, '广场舞时间调整');
      const attendees = reps.slice(0, 8);
      const votes = [
        ...ballot(lift, attendees, [...times(6, 'FOR'), 'AGAINST', 'ABSTAIN']),
        ...ballot(parking, attendees, [...times(3, 'FOR'), ...times(4, 'AGAINST')]), // the 8th attendee does not vote
        ...ballot(split, attendees, [...times(4, 'FOR'), ...times(4, 'AGAINST')]), // exactly half: rejected
      ];
      const { recordMeeting: meeting } = await ok(clerkOf(communityId), RECORD, { i: { communityId, heldOn: HELD_ON, attendeeIds: attendees, votes } });
      expect(meeting).toMatchObject({ heldOn: HELD_ON, eligible: 9, attended: 8, quorate: true, community: { id: communityId } });
      expect(sorted(meeting.attendees.map((a: { id: string }) => a.id))).toEqual(sorted(attendees));
      const byMotion = Object.fromEntries(meeting.resolutions.map((r: { motion: { id: string } }) => [r.motion.id, r]));
      expect(byMotion[lift]).toMatchObject({
        status: 'ADOPTED',
        decidedOn: HELD_ON,
        eligible: 9,
        attended: 8,
        votesFor: 6,
        votesAgainst: 1,
        abstentions: 1,
        rule: 'R-D3: 8 of 9 attended (quorum: more than 4.5); 6 of 8 voted for (majority: more than 4)',
        motion: { status: 'ADOPTED' },
        meeting: { id: meeting.id },
      });
      expect(byMotion[parking]).toMatchObject({ status: 'REJECTED', votesFor: 3, votesAgainst: 4, abstentions: 1, rule: 'R-D3: 8 of 9 attended (quorum: more than 4.5); 3 of 8 voted for (majority: more than 4)' });
      expect(byMotion[split]).toMatchObject({ status: 'REJECTED', votesFor: 4, votesAgainst: 4, abstentions: 0, motion: { status: 'REJECTED' } });

      // what the events say, as an outside subscriber decodes them
      const mine = (topic: string) => collector.events.filter((e) => e.topic === topic && (e.data as { communityId: string }).communityId === communityId);
      await eventually(
        () =>
          mine('deliberation.motion.proposed.v1').length === 3 &&
          mine('deliberation.meeting.held.v1').length === 1 &&
          mine('deliberation.resolution.adopted.v1').length === 1 &&
          mine('deliberation.resolution.rejected.v1').length === 2,
        { what: '3 proposed, 1 held, 1 adopted and 2 rejected on the broker', timeoutMs: 30000 },
      );
      for (const e of TOPICS.flatMap(mine)) {
        expect(e.source).toBe('/community-platform/deliberation');
        expect(e.type).toBe(e.topic);
        expect(e.key).toBe(communityId);
      }
      expect(mine('deliberation.motion.proposed.v1').map((e) => e.data)).toContainEqual({ motionId: lift, communityId, title: '3号楼加装电梯方案', major: true, proposedOn: '2026-11-03' });
      expect(mine('deliberation.meeting.held.v1')[0]!.data).toEqual({
        meetingId: meeting.id,
        communityId,
        body: 'REPRESENTATIVE_ASSEMBLY',
        heldOn: HELD_ON,
        eligible: 9,
        attended: 8,
        quorate: true,
        motionIds: [lift, parking, split],
      });
      const adopted = mine('deliberation.resolution.adopted.v1')[0]!;
      expect(adopted.subject).toBe(byMotion[lift].id);
      expect(adopted.data).toEqual({
        resolutionId: byMotion[lift].id,
        motionId: lift,
        meetingId: meeting.id,
        communityId,
        title: '3号楼加装电梯方案',
        decidedOn: HELD_ON,
        eligible: 9,
        attended: 8,
        votesFor: 6,
        votesAgainst: 1,
        abstentions: 1,
        rule: 'R-D3: 8 of 9 attended (quorum: more than 4.5); 6 of 8 voted for (majority: more than 4)',
      });
      const rejected = mine('deliberation.resolution.rejected.v1').map((e) => e.data as { motionId: string; votesFor: number; abstentions: number });
      expect(rejected.map((p) => [p.motionId, p.votesFor, p.abstentions])).toEqual(
        expect.arrayContaining([
          [parking, 3, 1],
          [split, 4, 0],
        ]),
      );

      // and what the graph says afterwards, to the district official (R-AUTH: officials read their district)
      const d = await ok(
        DISTRICT_OFFICER,
        `query($r:[_Any!]!,$m:ID!){
          _entities(representations:$r) { ... on Community { adopted: motions(status:ADOPTED) { id } proposed: motions(status:PROPOSED) { id } rejected: resolutions(status:REJECTED) { id } meetings { id quorate } participationRate } }
          motion(id:$m) { status major description resolution { rule votes { choice representative { id } } meeting { id resolutions { id } } } }
        }`,
        { r: [{ __typename: 'Community', id: communityId }], m: lift },
      );
      const c = d._entities[0];
      expect(c.adopted).toEqual([{ id: lift }]);
      expect(c.proposed).toEqual([]);
      expect(c.rejected).toHaveLength(2);
      expect(c.meetings).toEqual([{ id: meeting.id, quorate: true }]);
      expect(c.participationRate).toBeCloseTo(8 / 9);
      expect(d.motion).toMatchObject({ status: 'ADOPTED', major: true, description: '加装电梯，费用按楼层分摊' });
      expect(d.motion.resolution.votes).toHaveLength(8);
      expect(d.motion.resolution.votes.filter((v: { choice: string }) => v.choice === 'FOR')).toHaveLength(6);
      expect(d.motion.resolution.meeting.resolutions).toHaveLength(3);
      // and to a representative of the community (R-AUTH: representatives read their community's proceedings)
      const representative: Actor = { sub: randomUUID(), roles: ['REPRESENTATIVE'], communities: [communityId] };
      const single = await ok(representative, `query($r:ID!,$m:ID!){ resolution(id:$r) { status motion { id } } meeting(id:$m) { attended } }`, { r: byMotion[lift].id, m: meeting.id });
      expect(single).toEqual({ resolution: { status: 'ADOPTED', motion: { id: lift } }, meeting: { attended: 8 } });
    } finally {
      await collector.stop();
    }
  });

  it('R-D3 an inquorate meeting with votes is refused with CONFLICT R-D3 and writes nothing; without votes it is recorded and announced', async () => {
    const collector = await collectEvents(broker.brokers, ['deliberation.meeting.held.v1']);
    try {
      const { communityId, reps } = await assembly('青年社区', 9);
      const motion = await propose(communityId, '垃圾分类亭选址');
      const before = await counts();
      const r = await call(clerkOf(communityId), RECORD, { i: { communityId, heldOn: HELD_ON, attendeeIds: reps.slice(0, 4), votes: ballot(motion, reps, times(4, 'FOR')) } });
      expect(errorCode(r)).toBe('CONFLICT');
      expect(r.errors?.[0]?.extensions).toMatchObject({ rule: 'R-D3', field: 'input.attendeeIds' });
      expect(r.errors?.[0]?.message).toBe('quorum not reached: 4 of 9 attended; more than 4.5 needed; no vote can be taken');
      expect(await counts()).toEqual(before);

      const { recordMeeting: m } = await ok(clerkOf(communityId), RECORD, { i: { communityId, heldOn: HELD_ON, attendeeIds: reps.slice(0, 4) } });
      expect(m).toMatchObject({ eligible: 9, attended: 4, quorate: false, resolutions: [] });
      await eventually(() => collector.events.some((e) => (e.data as { meetingId: string }).meetingId === m.id), { what: 'meeting.held of the inquorate meeting', timeoutMs: 30000 });
      expect(collector.events.find((e) => (e.data as { meetingId: string }).meetingId === m.id)!.data).toMatchObject({ quorate: false, attended: 4, eligible: 9, motionIds: [] });
      const d = await ok(clerkOf(communityId), `query($r:[_Any!]!,$m:ID!){ _entities(representations:$r) { ... on Community { participationRate meetings { quorate } } } motion(id:$m) { status resolution { id } } }`, {
        r: [{ __typename: 'Community', id: communityId }],
        m: motion,
      });
      expect(d._entities[0]).toEqual({ participationRate: null, meetings: [{ quorate: false }] });
      expect(d.motion).toEqual({ status: 'PROPOSED', resolution: null });
    } finally {
      await collector.stop();
    }
  });

  it('bad input answers BAD_USER_INPUT / NOT_FOUND / CONFLICT with the field and rule, and writes no row and no outbox entry', async () => {
    const { communityId, reps } = await assembly('团结社区', 5);
    const other = await assembly('友谊社区', 3);
    const empty = randomUUID();
    await deliver(communityRegistered, registered(empty, '空社区'));
    const motion = await propose(communityId, '楼道照明改造');
    const decided = await propose(communityId, '健身器材更新');
    const clerk = clerkOf(communityId, other.communityId, empty);
    await ok(clerk, RECORD, { i: { communityId, heldOn: HELD_ON, attendeeIds: reps, votes: ballot(decided, reps, times(5, 'FOR')) } });
    const foreign = await propose(other.communityId, '友谊社区的议案');
    const late = await propose(communityId, '会后提出的议案', { proposedOn: '2026-11-20' });
    const unknown = randomUUID();
    const meet = (extra: Record<string, unknown>) => ({ i: { communityId, heldOn: HELD_ON, attendeeIds: reps, ...extra } });

    const before = await counts();
    const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
      [PROPOSE, { i: { communityId: unknown, title: 'x' } }, { code: 'NOT_FOUND', field: 'input.communityId' }],
      [PROPOSE, { i: { communityId: 'not-a-uuid', title: 'x' } }, { code: 'BAD_USER_INPUT', field: 'input.communityId' }],
      [PROPOSE, { i: { communityId, title: '' } }, { code: 'BAD_USER_INPUT', field: 'input.title' }],
      [PROPOSE, { i: { communityId, title: '   ' } }, { code: 'BAD_USER_INPUT', field: 'input.title' }],
      [PROPOSE, { i: { communityId, title: 'x'.repeat(201) } }, { code: 'BAD_USER_INPUT', field: 'input.title' }],
      [PROPOSE, { i: { communityId, title: 'x', description: 'y'.repeat(5001) } }, { code: 'BAD_USER_INPUT', field: 'input.description' }],
      [PROPOSE, { i: { communityId, title: 'x', proposedOn: '2999-01-01' } }, { code: 'BAD_USER_INPUT', field: 'input.proposedOn' }],
      [PROPOSE, { i: { communityId, title: 'x', proposedOn: '2026-02-30' } }, { code: 'BAD_USER_INPUT' }],
      [RECORD, { i: { communityId: unknown, heldOn: HELD_ON, attendeeIds: [] } }, { code: 'NOT_FOUND', field: 'input.communityId' }],
      [RECORD, { i: { communityId: 'nope', heldOn: HELD_ON, attendeeIds: [] } }, { code: 'BAD_USER_INPUT', field: 'input.communityId' }],
      [RECORD, { i: { communityId: empty, heldOn: HELD_ON, attendeeIds: [] } }, { code: 'CONFLICT', rule: 'R-D3', field: 'input.heldOn' }],
      [RECORD, meet({ heldOn: '2999-01-01' }), { code: 'BAD_USER_INPUT', field: 'input.heldOn' }],
      [RECORD, meet({ attendeeIds: [...reps, 'not-a-uuid'] }), { code: 'BAD_USER_INPUT', field: 'input.attendeeIds' }],
      [RECORD, meet({ attendeeIds: [...reps, reps[0]] }), { code: 'BAD_USER_INPUT', rule: 'R-D3', field: 'input.attendeeIds' }],
      [RECORD, meet({ attendeeIds: [...reps, other.reps[0]] }), { code: 'BAD_USER_INPUT', rule: 'R-D3', field: 'input.attendeeIds' }],
      [RECORD, meet({ attendeeIds: reps.slice(0, 4), votes: ballot(motion, reps, times(5, 'FOR')) }), { code: 'BAD_USER_INPUT', rule: 'R-D3', field: 'input.votes.4.representativeId' }],
      [RECORD, meet({ votes: [...ballot(motion, reps, times(3, 'FOR')), { motionId: motion, representativeId: reps[0], choice: 'AGAINST' }] }), { code: 'CONFLICT', rule: 'R-D3', field: 'input.votes.3' }],
      [RECORD, meet({ votes: ballot(unknown, reps, ['FOR']) }), { code: 'NOT_FOUND', field: 'input.votes.0.motionId' }],
      [RECORD, meet({ votes: ballot('bad-id', reps, ['FOR']) }), { code: 'BAD_USER_INPUT', field: 'input.votes.0.motionId' }],
      [RECORD, meet({ votes: ballot(foreign, reps, ['FOR']) }), { code: 'BAD_USER_INPUT', field: 'input.votes.0.motionId' }],
      [RECORD, meet({ votes: [...ballot(motion, reps, ['FOR']), ...ballot(decided, reps, ['FOR'])] }), { code: 'CONFLICT', rule: 'R-D2', field: 'input.votes.1.motionId' }],
      [RECORD, meet({ votes: ballot(late, reps, ['FOR']) }), { code: 'BAD_USER_INPUT', rule: 'R-D2', field: 'input.votes.0.motionId' }],
      [`query { motion(id:"not-a-uuid") { id } }`, {}, { code: 'BAD_USER_INPUT', field: 'id' }],
      [`query { meeting(id:"x") { id } }`, {}, { code: 'BAD_USER_INPUT', field: 'id' }],
      [`query { resolution(id:"x") { id } }`, {}, { code: 'BAD_USER_INPUT', field: 'id' }],
    ];
    for (const [query, variables, expected] of cases) {
      const r = await call(clerk, query, variables);
      const got = r.errors?.[0]?.extensions ?? { data: r.data };
      expect({ variables, got }).toMatchObject({ variables, got: expected });
    }
    expect(await counts()).toEqual(before);
    // an unknown id is null to anyone, with or without a token
    for (const actor of [clerk, null]) {
      expect(await ok(actor, `query($id:ID!){ motion(id:$id) { id } meeting(id:$id) { id } resolution(id:$id) { id } }`, { id: unknown })).toEqual({ motion: null, meeting: null, resolution: null });
    }
  });

  it('R-D3 two meetings recorded at once cannot both decide the same motion', async () => {
    const { communityId, reps } = await assembly('和谐社区', 3);
    const motion = await propose(communityId, '车棚改造');
    const meeting = (choice: Choice) => call(clerkOf(communityId), RECORD, { i: { communityId, heldOn: HELD_ON, attendeeIds: reps, votes: ballot(motion, reps, times(3, choice)) } });
    const results = await Promise.all([meeting('FOR'), meeting('AGAINST'), meeting('FOR')]);
    const codes = results.map((r) => errorCode(r) ?? 'OK').sort();
    expect(codes).toEqual(['CONFLICT', 'CONFLICT', 'OK']);
    expect(results.filter((r) => r.errors).every((r) => r.errors![0]!.extensions!.rule === 'R-D2')).toBe(true);
    expect(await svc.orm.em.fork().count(ResolutionEntity, { motionId: motion })).toBe(1);
    expect(await svc.orm.em.fork().count(VoteEntity, { motionId: motion })).toBe(3);
  });

  it('applies a membership event delivered twice once, and an out-of-order term-ended before the election still yields the right roll', async () => {
    const communityId = randomUUID();
    expect(await deliver(communityRegistered, registered(communityId, '重复社区'))).toBe('applied');
    const rep = randomUUID();
    const eventId = randomUUID();
    expect(await deliver(representativeElected, elected(communityId, rep), eventId)).toBe('applied');
    expect(await deliver(representativeElected, elected(communityId, rep), eventId)).toBe('duplicate');
    expect(await svc.orm.em.fork().count(RollEntry, { communityId })).toBe(1);

    // the same event published twice on the broker (same CloudEvents id)
    const twice = randomUUID();
    const payload = elected(communityId, twice);
    const sameId = randomUUID();
    const duplicatesBefore = svc.consumer.counts.duplicate;
    await publishTestEvent(broker.brokers, representativeElected, payload, { id: sameId });
    await publishTestEvent(broker.brokers, representativeElected, payload, { id: sameId });
    await eventually(() => svc.consumer.counts.duplicate > duplicatesBefore, { what: 'the second delivery seen as a duplicate', timeoutMs: 30000 });
    expect(await svc.orm.em.fork().count(RollEntry, { communityId })).toBe(2);

    // term-ended arrives before the election it ends
    const leaver = randomUUID();
    expect(await deliver(representativeTermEnded, termEnded(communityId, leaver, '2026-06-30'))).toBe('applied');
    expect(sorted(await rollIds(communityId, '2026-06-30'))).toEqual(sorted([rep, twice]));
    expect(await deliver(representativeElected, elected(communityId, leaver))).toBe('applied');
    expect(sorted(await rollIds(communityId, '2026-06-30'))).toEqual(sorted([rep, twice, leaver]));
    expect(sorted(await rollIds(communityId, '2026-07-01'))).toEqual(sorted([rep, twice]));
    expect(await svc.orm.em.fork().count(RollEntry, { communityId })).toBe(3);

    // and the meeting counts against that roll
    const { recordMeeting } = await ok(clerkOf(communityId), RECORD, { i: { communityId, heldOn: '2026-07-01', attendeeIds: [rep, twice] } });
    expect(recordMeeting).toMatchObject({ eligible: 2, attended: 2, quorate: true });
    const refused = await call(clerkOf(communityId), RECORD, { i: { communityId, heldOn: '2026-07-01', attendeeIds: [leaver] } });
    expect(extensionsOf(refused)).toEqual({ code: 'BAD_USER_INPUT', rule: 'R-D3', field: 'input.attendeeIds' });
  });

  it('resolves Community references and their lists with one SQL query per entity type, however many communities (batching)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const communityId = randomUUID();
      const rep = randomUUID();
      await deliver(communityRegistered, registered(communityId, `批量社区${i}`));
      await deliver(representativeElected, elected(communityId, rep));
      const motion = await propose(communityId, `批量议案${i}`);
      await propose(communityId, `待决议案${i}`);
      await ok(clerkOf(communityId), RECORD, { i: { communityId, heldOn: HELD_ON, attendeeIds: [rep], votes: ballot(motion, [rep], ['FOR']) } });
      ids.push(communityId);
    }
    const r = ids.map((id) => ({ __typename: 'Community', id }));
    await eventually(async () => (await svc.relay.stats()).pending === 0, { what: 'the outbox drained', timeoutMs: 30000 });
    const q = countQueries(svc.orm);
    // the outbox relay polls on the same connection pool (on PostgreSQL in a transaction under an
    // advisory lock): count what the request itself runs — reads, no transaction control
    const relayPoll = /\b(outbox|inbox|pg_try_advisory_xact_lock)\b|^\s*(begin|commit|rollback)\b/i;
    const requestQueries = () => q.sql.filter((sql) => !relayPoll.test(sql));
    try {
      // the read checks of staff acting in the communities cost no query (R-AUTH)
      const clerk = clerkOf(...ids);
      const d = await ok(clerk, `query($r:[_Any!]!){ _entities(representations:$r) { ... on Community { id motions { id } resolutions { id } } } }`, { r });
      expect(d._entities.map((c: { id: string }) => c.id)).toEqual(ids);
      expect(d._entities.every((c: { motions: unknown[]; resolutions: unknown[] }) => c.motions.length === 2 && c.resolutions.length === 1)).toBe(true);
      // one query for all the motions, one for all the resolutions; references themselves cost none
      expect(requestQueries()).toHaveLength(2);

      q.reset();
      const FULL = `query($r:[_Any!]!){ _entities(representations:$r) { ... on Community {
          id open: motions(status:PROPOSED) { id resolution { id } } all: motions { id status }
          resolutions(status:ADOPTED) { id } meetings { id resolutions { id } } participationRate assemblyRoll(on:"${HELD_ON}") { id } } } }`;
      const full = await ok(clerk, FULL, { r });
      expect(full._entities.every((c: { participationRate: number; assemblyRoll: unknown[] }) => c.participationRate === 1 && c.assemblyRoll.length === 1)).toBe(true);
      // motions, resolutions by motion, resolutions by community, meetings, resolutions by meeting, roll
      expect(requestQueries()).toHaveLength(6);

      // a district official's read scope needs where the communities sit: one more query for all of them
      q.reset();
      expect(await ok(DISTRICT_OFFICER, FULL, { r })).toEqual(full);
      expect(requestQueries()).toHaveLength(7);
      expect(requestQueries().filter((sql) => /known_community/.test(sql))).toHaveLength(1);
    } finally {
      q.stop();
    }
  });
  // --- R-AUTH: who may write and who may read ----------------------------------------------

  it('R-AUTH role matrix: only STAFF and COMMITTEE of the community propose motions and record meetings; every other role and community gets FORBIDDEN, no token UNAUTHENTICATED; a refused call writes nothing', async () => {
    const own = randomUUID();
    const other = randomUUID();
    const otherPlace = { districtId: randomUUID(), street: '东风路街道' };
    await deliver(communityRegistered, registered(own, '权限社区'));
    await deliver(communityRegistered, registered(other, '邻近社区', otherPlace));
    const reps = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of reps) await deliver(representativeElected, elected(own, id));

    /** one role per token, acting in (and, for officials, over the street / district of) the own or the other community */
    const actorFor = (role: (typeof ROLES)[number], scope: 'own' | 'other'): Actor =>
      scope === 'own'
        ? { sub: `${role}-own`, roles: [role], communities: [own], street: STREET, district: DISTRICT }
        : { sub: `${role}-other`, roles: [role], communities: [other], street: otherPlace.street, district: otherPlace.districtId };
    // inputs that succeed for those allowed: every meeting decides a motion of its own
    const mutations: Record<string, () => Promise<[string, Record<string, unknown>]>> = {
      proposeMotion: async () => [PROPOSE, { i: { communityId: own, title: '权限测试议案', proposedOn: '2026-11-03' } }],
      recordMeeting: async () => {
        const motion = await propose(own, '权限测试表决');
        return [RECORD, { i: { communityId: own, heldOn: HELD_ON, attendeeIds: reps, votes: ballot(motion, reps, times(3, 'FOR')) } }];
      },
    };
    const callers: [string, Actor | null][] = [...ROLES.flatMap((role) => (['own', 'other'] as const).map((scope): [string, Actor | null] => [`${role} ${scope}`, actorFor(role, scope)])), ['no token', null]];

    const got: Record<string, string> = {};
    const expected: Record<string, string> = {};
    const wroteWhenRefused: string[] = [];
    for (const [mutation, input] of Object.entries(mutations)) {
      for (const [who, actor] of callers) {
        const key = `${mutation} as ${who}`;
        const [query, variables] = await input();
        const before = await counts();
        const r = await call(actor, query, variables);
        got[key] = r.errors ? (errorCode(r) ?? 'ERROR') : 'OK';
        expected[key] = !actor ? 'UNAUTHENTICATED' : who === 'STAFF own' || who === 'COMMITTEE own' ? 'OK' : 'FORBIDDEN';
        if (r.errors && JSON.stringify(await counts()) !== JSON.stringify(before)) wroteWhenRefused.push(key);
        if (!r.errors) expect(r.data?.[mutation]?.id).toEqual(expect.any(String));
      }
    }
    expect(got).toEqual(expected);
    expect(wroteWhenRefused).toEqual([]);
    // what the allowed calls wrote: 2 motions proposed, 2 meetings each deciding its motion; the
    // motions prepared for the 15 refused meetings are still undecided
    const em = svc.orm.em.fork();
    expect(await em.count(MotionEntity, { communityId: own, title: '权限测试议案' })).toBe(2);
    expect(await em.count(MotionEntity, { communityId: own, title: '权限测试表决', status: 'PROPOSED' })).toBe(callers.length - 2);
    expect(await em.count(MeetingEntity, { communityId: own })).toBe(2);
    expect(await em.count(ResolutionEntity, { communityId: own, status: 'ADOPTED' })).toBe(2);
    expect(await em.count(MotionEntity, { communityId: other })).toBe(0);
  });

  it('R-AUTH order of the checks: the role first, then malformed input (BAD_USER_INPUT), an unknown community (NOT_FOUND), the community scope (FORBIDDEN), and the DOMAIN rules last', async () => {
    const { communityId, reps } = await assembly('顺序社区', 3);
    const elsewhere = randomUUID();
    const stranger: Actor = { sub: 'stranger', roles: ['STAFF'], communities: [elsewhere] };
    const resident: Actor = { sub: 'resident', roles: ['RESIDENT'], communities: [communityId] };
    const motion = await propose(communityId, '顺序议案');
    const before = await counts();
    const cases: [Actor | null, string, Record<string, unknown>, string][] = [
      [null, PROPOSE, { i: { communityId: 'not-a-uuid', title: '' } }, 'UNAUTHENTICATED'],
      [resident, PROPOSE, { i: { communityId: 'not-a-uuid', title: '' } }, 'FORBIDDEN'],
      [stranger, PROPOSE, { i: { communityId: 'not-a-uuid', title: 'x' } }, 'BAD_USER_INPUT'],
      [stranger, PROPOSE, { i: { communityId: randomUUID(), title: 'x' } }, 'NOT_FOUND'],
      [stranger, PROPOSE, { i: { communityId, title: '' } }, 'FORBIDDEN'],
      [stranger, RECORD, { i: { communityId, heldOn: '2999-01-01', attendeeIds: reps } }, 'BAD_USER_INPUT'],
      [stranger, RECORD, { i: { communityId: randomUUID(), heldOn: HELD_ON, attendeeIds: reps } }, 'NOT_FOUND'],
      [stranger, RECORD, { i: { communityId, heldOn: HELD_ON, attendeeIds: [randomUUID()] } }, 'FORBIDDEN'],
      [stranger, RECORD, { i: { communityId, heldOn: HELD_ON, attendeeIds: reps.slice(0, 1), votes: ballot(motion, reps, ['FOR']) } }, 'FORBIDDEN'],
      [clerkOf(communityId), RECORD, { i: { communityId, heldOn: HELD_ON, attendeeIds: reps.slice(0, 1), votes: ballot(motion, reps, ['FOR']) } }, 'CONFLICT'],
    ];
    const got = [];
    for (const [actor, query, variables] of cases) got.push(errorCode(await call(actor, query, variables)));
    expect(got).toEqual(cases.map((c) => c[3]));
    expect(await counts()).toEqual(before);
  });

  it('R-AUTH reads: adopted resolutions and the motions they adopted are public; other motions, meetings, the roll, votes and rejected resolutions need read scope (the community’s own people, its street and district officials, ADMIN)', async () => {
    const communityId = randomUUID();
    const place = { districtId: randomUUID(), street: '湖滨街道' };
    await deliver(communityRegistered, registered(communityId, '公开社区', place));
    const reps = [randomUUID(), randomUUID(), randomUUID()];
    for (const id of reps) await deliver(representativeElected, elected(communityId, id));
    const yes = await propose(communityId, '公开的决议');
    const no = await propose(communityId, '否决的议案');
    const { recordMeeting: meeting } = await ok(clerkOf(communityId), RECORD, {
      i: { communityId, heldOn: HELD_ON, attendeeIds: reps, votes: [...ballot(yes, reps, times(3, 'FOR')), ...ballot(no, reps, times(3, 'AGAINST'))] },
    });
    const adopted: string = meeting.resolutions.find((r: { status: string }) => r.status === 'ADOPTED').id;
    const rejected: string = meeting.resolutions.find((r: { status: string }) => r.status === 'REJECTED').id;

    const community = (fields: string): [string, Record<string, unknown>] => [
      `query($r:[_Any!]!){ _entities(representations:$r) { ... on Community { ${fields} } } }`,
      { r: [{ __typename: 'Community', id: communityId }] },
    ];
    /** the non-public reads, one per request so each answers with its own code */
    const nonPublic: Record<string, [string, Record<string, unknown>]> = {
      'Community.motions': community('motions { id }'),
      'Community.meetings': community('meetings { id }'),
      'Community.assemblyRoll': community(`assemblyRoll(on:"${HELD_ON}") { id }`),
      'Community.participationRate': community('participationRate'),
      'motion(id) rejected': [`query($id:ID!){ motion(id:$id) { id } }`, { id: no }],
      'Resolution.motion rejected': [`query($id:ID!){ resolution(id:$id) { motion { id } } }`, { id: rejected }],
      'meeting(id)': [`query($id:ID!){ meeting(id:$id) { id } }`, { id: meeting.id }],
      'resolution(id) rejected': [`query($id:ID!){ resolution(id:$id) { id } }`, { id: rejected }],
      'Resolution.votes': [`query($id:ID!){ resolution(id:$id) { votes { id } } }`, { id: adopted }],
      'Resolution.meeting': [`query($id:ID!){ resolution(id:$id) { meeting { id } } }`, { id: adopted }],
    };
    const PUBLIC = `query($r:[_Any!]!,$id:ID!,$yes:ID!){
      _entities(representations:$r) { ... on Community { all: resolutions { id } adopted: resolutions(status:ADOPTED) { id } rejected: resolutions(status:REJECTED) { id } } }
      resolution(id:$id) { id status decidedOn votesFor rule community { id } motion { id title status resolution { id } } }
      motion(id:$yes) { id title status } }`;

    /** what the caller gets: the code of each non-public read, and the resolutions it sees */
    type View = { codes: Record<string, string>; resolutions: { all: string[]; adopted: string[]; rejected: string[] } };
    const view = async (actor: Actor | null): Promise<View> => {
      const codes: Record<string, string> = {};
      for (const [name, [query, variables]] of Object.entries(nonPublic)) {
        const r = await call(actor, query, variables);
        codes[name] = r.errors ? (errorCode(r) ?? 'ERROR') : 'OK';
      }
      const pub = await ok(actor, PUBLIC, { r: [{ __typename: 'Community', id: communityId }], id: adopted, yes });
      const ids = (k: string) => sorted(pub._entities[0][k].map((x: { id: string }) => x.id));
      expect(pub.resolution).toMatchObject({ id: adopted, status: 'ADOPTED', decidedOn: HELD_ON, votesFor: 3, community: { id: communityId } });
      expect(pub.resolution.motion).toEqual({ id: yes, title: '公开的决议', status: 'ADOPTED', resolution: { id: adopted } });
      expect(pub.motion).toEqual({ id: yes, title: '公开的决议', status: 'ADOPTED' });
      return { codes, resolutions: { all: ids('all'), adopted: ids('adopted'), rejected: ids('rejected') } };
    };
    const everything: View = { codes: Object.fromEntries(Object.keys(nonPublic).map((k) => [k, 'OK'])), resolutions: { all: sorted([adopted, rejected]), adopted: [adopted], rejected: [rejected] } };
    const publicOnly = (code: string): View => ({ codes: Object.fromEntries(Object.keys(nonPublic).map((k) => [k, code])), resolutions: { all: [adopted], adopted: [adopted], rejected: [] } });

    const callers: [string, Actor | null, View][] = [
      ['anonymous', null, publicOnly('UNAUTHENTICATED')],
      ['resident of the community (public only)', { sub: 'r1', roles: ['RESIDENT'], communities: [communityId] }, publicOnly('FORBIDDEN')],
      ['representative of the community', { sub: 'r2', roles: ['REPRESENTATIVE'], communities: [communityId] }, everything],
      ['street official of its street', { sub: 's1', roles: ['STREET_OFFICIAL'], communities: [], street: place.street }, everything],
      ['district official of its district', { sub: 'd1', roles: ['DISTRICT_OFFICIAL'], communities: [], district: place.districtId }, everything],
      ['admin', { sub: 'a1', roles: ['ADMIN'], communities: [] }, everything],
      ['street official of another street', { sub: 's2', roles: ['STREET_OFFICIAL'], communities: [], street: STREET, district: place.districtId }, publicOnly('FORBIDDEN')],
      ['district official of another district', { sub: 'd2', roles: ['DISTRICT_OFFICIAL'], communities: [], street: place.street, district: DISTRICT }, publicOnly('FORBIDDEN')],
      ['resident of another community', { sub: 'r3', roles: ['RESIDENT'], communities: [randomUUID()] }, publicOnly('FORBIDDEN')],
      ['staff of another community', clerkOf(randomUUID()), publicOnly('FORBIDDEN')],
    ];
    const got: Record<string, unknown> = {};
    for (const [name, actor] of callers) got[name] = await view(actor);
    expect(got).toEqual(Object.fromEntries(callers.map(([name, , expected]) => [name, expected])));

    // a community this service has not heard of is checked by its id only
    const unheard = randomUUID();
    const q = `query($r:[_Any!]!){ _entities(representations:$r) { ... on Community { motions { id } } } }`;
    const r = { r: [{ __typename: 'Community', id: unheard }] };
    expect(await ok(clerkOf(unheard), q, r)).toEqual({ _entities: [{ motions: [] }] });
    expect(errorCode(await call({ sub: 'd3', roles: ['DISTRICT_OFFICIAL'], communities: [], district: DISTRICT }, q, r))).toBe('FORBIDDEN');
  });

  it('R-AUTH a request straight to the subgraph without the gateway secret is refused with HTTP 401 UNAUTHENTICATED, even with a valid token, and writes nothing', async () => {
    const { communityId } = await assembly('直连社区', 1);
    const token = await signDevToken(clerkOf(communityId));
    const before = await counts();
    const attempts: [string, Record<string, string>, string][] = [
      ['no secret, no token', {}, '{ __typename }'],
      ['a wrong secret', { [GATEWAY_SECRET_HEADER]: 'not-the-gateway-secret' }, '{ __typename }'],
      ['a valid token but no secret', { authorization: `Bearer ${token}` }, `mutation { proposeMotion(input:{communityId:"${communityId}", title:"直连议案"}) { id } }`],
    ];
    for (const [what, headers, query] of attempts) {
      const res = await fetch(svc.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query }) });
      const body = (await res.json()) as GraphQLResponse;
      expect({ what, status: res.status, code: body.errors?.[0]?.extensions?.code, data: body.data }).toEqual({ what, status: 401, code: 'UNAUTHENTICATED', data: undefined });
    }
    expect(await counts()).toEqual(before);
  });

});

/** the extensions of the first error, without anything else */
function extensionsOf(res: { errors?: { extensions?: Record<string, unknown> }[] }): Record<string, unknown> | undefined {
  return res.errors?.[0]?.extensions;
}
