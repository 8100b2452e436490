/**
 * Demo data, entered through the gateway's public API as a client would: a district, three
 * communities with groups, residents, representatives and a supervisor, one motion carried
 * through a meeting to a published notice, one concluded evaluation session.
 * Idempotent: when the demo district exists with its communities, nothing is entered again.
 */
import { eventually, graphql, graphqlOk } from '@cdp/devkit';
import { signDevToken } from '@cdp/platform';
import type { Actor } from '@cdp/util';

type Log = (line: string) => void;

export const DEMO_DISTRICT = '高新区';
const COMMUNITIES = [
  { name: '幸福里社区', street: '花园路街道' },
  { name: '和平社区', street: '花园路街道' },
  { name: '阳光社区', street: '滨河街道' },
];
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙'];
const GIVEN = ['建国', '秀英', '桂兰', '志强', '丽娟', '海燕', '德明', '淑珍', '国华', '玉梅', '文杰', '春生'];

/** A syntactically valid (check character per GB 11643) but fictitious ID number. */
export function demoIdNumber(n: number): string {
  const body = `11010819${60 + (n % 30)}0${1 + (n % 9)}1${n % 10}${String(100 + n).padStart(3, '0')}`.slice(0, 17);
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11];
}

/**
 * The demo enters data as the people who would: a platform administrator registers the
 * communities, the community clerk runs the procedures, the supervision-committee member
 * approves, each representative casts their own ballot (development tokens).
 */
export async function seedDemo(gatewayUrl: string, log: Log = () => undefined, secret?: string): Promise<{ created: boolean }> {
  const as = async (actor: Actor) => {
    const headers = { authorization: `Bearer ${await signDevToken(actor, { secret, ttlSeconds: 600 })}` };
    return <T = any>(query: string, variables: Record<string, unknown> = {}) => graphqlOk<T>(gatewayUrl, query, variables, headers);
  };
  let gql = await as({ sub: 'demo-admin', roles: ['ADMIN'], communities: [] });
  let created = false;

  const existing = await gql<{ districts: { id: string; name: string; communities: { id: string; name: string }[] }[] }>(`{ districts { id name communities { id name } } }`);
  let district = existing.districts.find((d) => d.name === DEMO_DISTRICT);
  if (district && district.communities.length < COMMUNITIES.length) {
    throw new Error(`district ${DEMO_DISTRICT} exists but is incomplete (an interrupted first start?): stop, delete .data/ and start again`);
  }
  if (!district) {
    created = true;
    log('entering demo data through the gateway …');
    const { createDistrict } = await gql(`mutation($n:String!){ createDistrict(input:{name:$n}) { id } }`, { n: DEMO_DISTRICT });
    let person = 0;
    const communities: { id: string; name: string }[] = [];
    for (const c of COMMUNITIES) {
      const { createCommunity } = await gql(`mutation($i:CreateCommunityInput!){ createCommunity(input:$i) { id } }`, { i: { districtId: createDistrict.id, name: c.name, street: c.street } });
      communities.push({ id: createCommunity.id, name: c.name });
    }
    gql = await as({ sub: 'demo-clerk', roles: ['STAFF'], communities: communities.map((c) => c.id) });
    for (const [ci, c] of COMMUNITIES.entries()) {
      const createCommunity = { id: communities[ci]!.id };
      for (const g of ['第一居民小组', '第二居民小组']) {
        const { createResidentGroup } = await gql(`mutation($i:CreateResidentGroupInput!){ createResidentGroup(input:$i) { id } }`, { i: { communityId: createCommunity.id, name: g } });
        for (let k = 0; k < 3; k += 1) {
          person += 1;
          const { registerResident } = await gql(`mutation($i:RegisterResidentInput!){ registerResident(input:$i) { id } }`, {
            i: {
              groupId: createResidentGroup.id,
              name: `${SURNAMES[person % SURNAMES.length]}${GIVEN[(person * 5) % GIVEN.length]}`,
              birthDate: `19${60 + (person % 35)}-0${1 + (person % 9)}-1${person % 10}`,
              idNumber: demoIdNumber(person),
              phone: `139${String(10000000 + person * 7919).slice(-8)}`,
              registeredOn: '2025-01-06',
            },
          });
          if (k < 2) {
            await gql(`mutation($i:ElectRepresentativeInput!){ electRepresentative(input:$i) { id } }`, { i: { residentId: registerResident.id, termStart: '2025-01-06' } });
          } else if (g === '第一居民小组') {
            await gql(`mutation($i:AppointBodyMemberInput!){ appointBodyMember(input:$i) { id } }`, { i: { residentId: registerResident.id, body: 'SUPERVISION_COMMITTEE', startedOn: '2025-01-06' } });
          }
        }
      }
      log(`  ${c.name}: 2 groups, 6 residents, 4 representatives, 1 supervision-committee member`);
    }
    district = { id: createDistrict.id, name: DEMO_DISTRICT, communities };
  }

  // the procedure in the first community, step by step, each step only if not done yet
  const first = district.communities.find((c) => c.name === COMMUNITIES[0]!.name)!;
  gql = await as({ sub: 'demo-clerk', roles: ['STAFF'], communities: district.communities.map((c) => c.id) });
  const state = () =>
    gql(
      `query($id:ID!){ community(id:$id) { representatives { id resident { id } } bodyMembers(body:SUPERVISION_COMMITTEE) { resident { id } }
         assemblyRoll { id } motions { id status } notices { id status } evaluationSessions { id status } } }`,
      { id: first.id },
    ).then((d) => d.community);
  let s = await state();
  const reps: string[] = s.representatives.map((r: { id: string }) => r.id);
  const repResidents: string[] = s.representatives.map((r: { resident: { id: string } }) => r.resident.id);

  if (s.motions.length === 0) {
    created = true;
    // deliberation learns the roll from membership's events: wait until it has everyone
    await eventually(async () => (await state()).assemblyRoll.length === reps.length, { timeoutMs: 30000, what: 'the roll in deliberation' });
    await gql(`mutation($i:ProposeMotionInput!){ proposeMotion(input:$i) { id } }`, {
      i: { communityId: first.id, title: '3号楼加装电梯方案', description: '由居民自愿出资、政府补贴，为3号楼加装电梯一部。', major: true },
    });
    s = await state();
  }
  const pending = s.motions.find((m: { status: string }) => m.status === 'PROPOSED');
  if (pending) {
    created = true;
    const { recordMeeting } = await gql(`mutation($i:RecordMeetingInput!){ recordMeeting(input:$i) { resolutions { status rule } } }`, {
      i: {
        communityId: first.id,
        heldOn: new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10),
        attendeeIds: reps,
        votes: reps.map((r, i) => ({ motionId: pending.id, representativeId: r, choice: i < reps.length - 1 ? 'FOR' : 'AGAINST' })),
      },
    });
    log(`  motion “3号楼加装电梯方案”: ${recordMeeting.resolutions[0].status} (${recordMeeting.resolutions[0].rule})`);
  }
  if (!s.notices.some((n: { status: string }) => n.status === 'PUBLISHED')) {
    created = true;
    // disclosure drafts the notice from deliberation's event; the supervisor approves it
    const draft = await eventually(async () => (await state()).notices.find((n: { status: string }) => n.status === 'DRAFT') as { id: string }, {
      timeoutMs: 30000,
      what: 'the drafted resolution notice',
    });
    const supervisor = await as({ sub: s.bodyMembers[0].resident.id, roles: ['SUPERVISOR'], communities: [first.id] });
    await supervisor(`mutation($i:ApproveNoticeInput!){ approveNotice(input:$i) { id } }`, { i: { noticeId: draft.id } });
    log('  resolution notice approved by the supervision committee and published');
  }
  if (!s.evaluationSessions.some((e: { status: string }) => e.status !== 'OPEN')) {
    created = true;
    // the committee's half-year evaluation (R-E3): every representative votes by secret ballot
    const session =
      s.evaluationSessions[0] ??
      (await eventually(
        async () =>
          (
            await gql(`mutation($i:OpenEvaluationSessionInput!){ openEvaluationSession(input:$i) { id } }`, {
              i: { communityId: first.id, title: '2026年下半年居委会民主评议', subjectKind: 'RESIDENTS_COMMITTEE' },
            })
          ).openEvaluationSession as { id: string },
        { timeoutMs: 30000, what: 'the roll in evaluation' },
      ));
    for (const [i, resident] of repResidents.entries()) {
      // each representative votes for themselves, with their own token
      const token = await signDevToken({ sub: resident, roles: ['REPRESENTATIVE'], communities: [first.id] }, { secret, ttlSeconds: 600 });
      const r = await graphql(gatewayUrl, `mutation($i:CastBallotInput!){ castBallot(input:$i) { sessionId } }`, { i: { sessionId: session.id, grade: i < 3 ? 'EXCELLENT' : 'COMPETENT' } }, { authorization: `Bearer ${token}` });
      if (r.errors && r.errors[0]?.extensions?.code !== 'CONFLICT') throw new Error(JSON.stringify(r.errors));
    }
    const { closeEvaluationSession } = await gql(`mutation($i:CloseEvaluationSessionInput!){ closeEvaluationSession(input:$i) { status grade } }`, { i: { sessionId: session.id } });
    log(`  evaluation session closed: ${closeEvaluationSession.status} ${closeEvaluationSession.grade ?? ''}`);
  }
  if (!created) log(`demo data present (district ${DEMO_DISTRICT}); nothing entered again`);
  return { created };
}
