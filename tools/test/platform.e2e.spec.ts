import { CATALOGUE } from '@cdp/contracts';
import { collectEvents, errorCode, eventually, graphql, graphqlOk, type EventCollector } from '@cdp/devkit';
import { signDevToken } from '@cdp/platform';
import type { Actor } from '@cdp/util';
import type { RunningPlatform } from '../src/platform';
import { launchTestPlatform } from './support';
import { demoIdNumber } from '../src/seed';

/**
 * The whole platform as a newcomer runs it: Mokapi, four subgraph processes on SQLite, the
 * gateway process serving the committed supergraph. Everything goes through the gateway.
 */
let platform: RunningPlatform;
let events: EventCollector;
let cleanUp: () => Promise<void>;

beforeAll(async () => {
  ({ platform, cleanUp } = await launchTestPlatform('e2e'));
  events = await collectEvents(platform.brokers, CATALOGUE.map((c) => c.topic));
});

afterAll(async () => {
  await events?.stop();
  await cleanUp?.();
});

/** Calls the gateway as this person (a development token); `null` for an anonymous caller. */
const as = (actor: Actor | null) => async <T = any>(query: string, variables: Record<string, unknown> = {}) =>
  graphqlOk<T>(platform.gatewayUrl, query, variables, actor ? { authorization: `Bearer ${await signDevToken(actor)}` } : {});
const rawAs = async (actor: Actor | null, query: string, variables: Record<string, unknown> = {}) =>
  graphql(platform.gatewayUrl, query, variables, actor ? { authorization: `Bearer ${await signDevToken(actor)}` } : {});
const admin = as({ sub: 'e2e-admin', roles: ['ADMIN'], communities: [] });
let gql = admin;
const entity = async (id: string, selection: string) => (await gql(`query($id:ID!){ community(id:$id) { ${selection} } }`, { id })).community;

/** Today in China Standard Time: motions are proposed today, so the meeting is today too. */
const today = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

const PEOPLE = [
  { name: '欧阳明远', idNumber: demoIdNumber(901), phone: '13911112222' },
  { name: '司马静怡', idNumber: demoIdNumber(902), phone: '13922223333' },
  { name: '诸葛文博', idNumber: demoIdNumber(903), phone: '13933334444' },
  { name: '上官晓霞', idNumber: demoIdNumber(904), phone: '13944445555' },
  { name: '东方海涛', idNumber: demoIdNumber(905), phone: '13955556666' },
];

describe('the platform end to end, through the gateway', () => {
  it('community and representatives → motion → quorate meeting → resolution adopted → event → notice drafted → supervisor approves → visible through the gateway', async () => {
    const { createDistrict } = await gql(`mutation { createDistrict(input:{name:"端到端区"}) { id } }`);
    const { createCommunity } = await gql(`mutation($d:ID!){ createCommunity(input:{districtId:$d, name:"端到端社区", street:"测试街道"}) { id } }`, { d: createDistrict.id });
    const communityId: string = createCommunity.id;
    const clerk: Actor = { sub: 'e2e-clerk', roles: ['STAFF'], communities: [communityId] };
    gql = as(clerk);
    const { createResidentGroup } = await gql(`mutation($c:ID!){ createResidentGroup(input:{communityId:$c, name:"第一居民小组"}) { id } }`, { c: communityId });
    const { createResidentGroup: g2 } = await gql(`mutation($c:ID!){ createResidentGroup(input:{communityId:$c, name:"第二居民小组"}) { id } }`, { c: communityId });
    const residents: string[] = [];
    for (const [i, p] of PEOPLE.entries()) {
      const { registerResident } = await gql(`mutation($i:RegisterResidentInput!){ registerResident(input:$i) { id } }`, {
        i: { groupId: i < 3 ? createResidentGroup.id : g2.id, name: p.name, birthDate: '1972-04-0' + (i + 1), idNumber: p.idNumber, phone: p.phone, registeredOn: '2025-03-03' },
      });
      residents.push(registerResident.id);
    }
    const reps: string[] = [];
    for (const r of [residents[0], residents[1], residents[3], residents[4]]) {
      const { electRepresentative } = await gql(`mutation($r:ID!){ electRepresentative(input:{residentId:$r, termStart:"2025-03-03"}) { id } }`, { r });
      reps.push(electRepresentative.id);
    }
    await gql(`mutation($r:ID!){ appointBodyMember(input:{residentId:$r, body:SUPERVISION_COMMITTEE, startedOn:"2025-03-03"}) { id } }`, { r: residents[2] });

    // deliberation keeps its roll from membership's events
    await eventually(async () => (await entity(communityId, 'assemblyRoll { id }')).assemblyRoll.length === 4, { timeoutMs: 60000, what: 'roll in deliberation' });

    const { proposeMotion } = await gql(`mutation($c:ID!){ proposeMotion(input:{communityId:$c, title:"小区停车位划线方案", major:false}) { id status } }`, { c: communityId });
    expect(proposeMotion.status).toBe('PROPOSED');

    // bad input through the gateway: a vote by a non-attendee is refused and nothing changes
    const bad = await rawAs(clerk, `mutation($i:RecordMeetingInput!){ recordMeeting(input:$i) { id } }`, {
      i: { communityId, heldOn: today(), attendeeIds: [reps[0], reps[1], reps[2]], votes: [{ motionId: proposeMotion.id, representativeId: reps[3], choice: 'FOR' }] },
    });
    expect(errorCode(bad)).toBe('BAD_USER_INPUT');

    const { recordMeeting } = await gql(`mutation($i:RecordMeetingInput!){ recordMeeting(input:$i) { quorate eligible attended resolutions { id status votesFor rule } } }`, {
      i: {
        communityId,
        heldOn: today(),
        attendeeIds: [reps[0], reps[1], reps[2]],
        votes: [
          { motionId: proposeMotion.id, representativeId: reps[0], choice: 'FOR' },
          { motionId: proposeMotion.id, representativeId: reps[1], choice: 'FOR' },
          { motionId: proposeMotion.id, representativeId: reps[2], choice: 'ABSTAIN' },
        ],
      },
    });
    expect(recordMeeting).toMatchObject({ quorate: true, eligible: 4, attended: 3 });
    const resolution = recordMeeting.resolutions[0];
    expect(resolution.status).toBe('ADOPTED');
    expect(resolution.rule).toMatch(/^R-D3: 3 of 4 attended/);

    // the decision is announced on Kafka as a CloudEvent …
    const adopted = await eventually(() => events.events.find((e) => e.topic === 'deliberation.resolution.adopted.v1' && (e.data as { resolutionId: string }).resolutionId === resolution.id), {
      timeoutMs: 60000,
      what: 'resolution.adopted event',
    });
    expect(adopted).toMatchObject({ source: '/community-platform/deliberation', type: 'deliberation.resolution.adopted.v1', specversion: '1.0', key: communityId, subject: resolution.id });

    // … disclosure drafts the notice, a supervision-committee member approves it
    const draft = await eventually(async () => (await entity(communityId, 'notices { id status dueOn }')).notices.find((n: { status: string }) => n.status === 'DRAFT'), {
      timeoutMs: 60000,
      what: 'drafted notice',
    });
    const notOnCommittee = await rawAs({ sub: residents[0]!, roles: ['SUPERVISOR'], communities: [communityId] }, `mutation($i:ApproveNoticeInput!){ approveNotice(input:$i) { id } }`, { i: { noticeId: draft.id } });
    expect(errorCode(notOnCommittee)).toBe('FORBIDDEN');
    const { approveNotice } = await as({ sub: residents[2]!, roles: ['SUPERVISOR'], communities: [communityId] })(`mutation($i:ApproveNoticeInput!){ approveNotice(input:$i) { status contentHash } }`, {
      i: { noticeId: draft.id },
    });
    expect(approveNotice.status).toBe('PUBLISHED');

    // evaluation: open, four secret ballots, close (R-E5 quorum met)
    const session = await eventually(
      async () => (await gql(`mutation($c:ID!){ openEvaluationSession(input:{communityId:$c, title:"2026年下半年居委会民主评议", subjectKind:RESIDENTS_COMMITTEE}) { id } }`, { c: communityId })).openEvaluationSession,
      { timeoutMs: 60000, what: 'evaluation roll' },
    );
    // each representative casts their own secret ballot (R-E6)
    for (const resident of [residents[0]!, residents[1]!, residents[3]!, residents[4]!]) {
      await as({ sub: resident, roles: ['REPRESENTATIVE'], communities: [communityId] })(`mutation($s:ID!){ castBallot(input:{sessionId:$s, grade:EXCELLENT}) { sessionId } }`, { s: session.id });
    }
    await gql(`mutation($s:ID!){ closeEvaluationSession(input:{sessionId:$s}) { status } }`, { s: session.id });

    // one query through the gateway touches all four subgraphs — the district dashboard's view
    const official = as({ sub: 'e2e-district', roles: ['DISTRICT_OFFICIAL'], communities: [], district: createDistrict.id });
    const { communities } = await official(`{ communities(district: "${createDistrict.id}") { id name representatives { id } resolutions { status } notices { status } evaluationSessions { status grade } } }`);
    const mine = communities.find((c: { id: string }) => c.id === communityId);
    expect(mine).toEqual({
      id: communityId,
      name: '端到端社区',
      representatives: expect.arrayContaining(reps.map((id) => ({ id }))),
      resolutions: [{ status: 'ADOPTED' }],
      notices: [{ status: 'PUBLISHED' }],
      evaluationSessions: [{ status: 'CONCLUDED', grade: 'EXCELLENT' }],
    });

    // the public (no token) sees what was adopted and published, nothing else
    const anonymous = await as(null)(`query($id:ID!){ community(id:$id) { name resolutions { status } notices { status title } } }`, { id: communityId });
    expect(anonymous.community).toMatchObject({ name: '端到端社区', resolutions: [{ status: 'ADOPTED' }], notices: [{ status: 'PUBLISHED' }] });
    expect(errorCode(await rawAs(null, `query($id:ID!){ community(id:$id) { representatives { id } } }`, { id: communityId }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await rawAs({ sub: 'x', roles: ['STREET_OFFICIAL'], communities: [], street: '别的街道' }, `query($id:ID!){ community(id:$id) { representatives { id } } }`, { id: communityId }))).toBe('FORBIDDEN');

    // every event of the run parses as a CloudEvent and carries no personal data
    // topics are read independently, so wait until every topic of the run has reached the collector
    const expectedTopics = new Set([
      'membership.community.registered.v1',
      'membership.resident.registered.v1',
      'membership.representative.elected.v1',
      'membership.body-member.appointed.v1',
      'deliberation.motion.proposed.v1',
      'deliberation.meeting.held.v1',
      'deliberation.resolution.adopted.v1',
      'disclosure.notice.published.v1',
      'evaluation.session.concluded.v1',
    ]);
    const topicsSeen = () => new Set(events.events.filter((e) => e.key === communityId).map((e) => e.topic));
    await eventually(() => topicsSeen().size >= expectedTopics.size, { timeoutMs: 60000, what: 'every topic of the run' });
    expect(topicsSeen()).toEqual(expectedTopics);
    const ofCommunity = events.events.filter((e) => e.key === communityId);
    const text = JSON.stringify(ofCommunity);
    for (const p of PEOPLE) {
      expect(text).not.toContain(p.name);
      expect(text).not.toContain(p.idNumber);
      expect(text).not.toContain(p.phone);
    }
  });
});
