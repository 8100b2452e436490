import { countQueries, OutboxMessage } from '@cdp/platform';
import { collectEvents, eventually, startMokapi, startTestService, errorCode, type MokapiBroker, type TestService } from '@cdp/devkit';
import { membershipModule } from '../src';
import { CommunityEntity, ResidentEntity, RepresentativeEntity } from '../src';

let broker: MokapiBroker;
let svc: TestService;

beforeAll(async () => {
  broker = await startMokapi();
  svc = await startTestService(membershipModule, { brokers: broker.brokers });
});
afterAll(async () => {
  await svc?.close();
  await broker?.stop();
});

/** communities created here; the test clerk registers communities (ADMIN) and works in them (STAFF) */
const known: string[] = [];
const clerk = () => ({ sub: 'clerk', roles: ['ADMIN' as const, 'STAFF' as const], communities: [...known] });
const call = <T = any>(query: string, variables: Record<string, unknown> = {}) => svc.as(clerk())<T>(query, variables);

async function ok<T = any>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const r = await call<T>(query, variables);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data as T;
}

const counts = async () => {
  const em = svc.orm.em.fork();
  return { communities: await em.count(CommunityEntity), residents: await em.count(ResidentEntity), representatives: await em.count(RepresentativeEntity), outbox: await em.count(OutboxMessage) };
};

async function setUpCommunity(name: string) {
  const { createDistrict } = await ok(`mutation($n:String!){ createDistrict(input:{name:$n}) { id } }`, { n: `${name}区` });
  const { createCommunity } = await ok(`mutation($d:ID!,$n:String!){ createCommunity(input:{districtId:$d,name:$n,street:"花园路街道"}) { id } }`, { d: createDistrict.id, n: name });
  known.push(createCommunity.id);
  const { createResidentGroup } = await ok(`mutation($c:ID!){ createResidentGroup(input:{communityId:$c,name:"第一居民小组"}) { id } }`, { c: createCommunity.id });
  return { districtId: createDistrict.id as string, communityId: createCommunity.id as string, groupId: createResidentGroup.id as string };
}

/** A valid resident ID number (GB 11643 check character) for the n-th test resident. */
function idNumber(n: number): string {
  const body = `1101051980010${String(100 + n).padStart(4, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(body[i]), 0);
  return body + '10X98765432'[sum % 11];
}

const register = (groupId: string, name: string, birthDate = '1975-03-04', extra: Record<string, string> = {}) =>
  ok(`mutation($i:RegisterResidentInput!){ registerResident(input:$i) { id adult } }`, { i: { groupId, name, birthDate, registeredOn: '2026-01-05', ...extra } }).then((d) => d.registerResident.id as string);

describe(`membership subgraph (${process.env.TEST_DATABASE ?? 'sqlite'})`, () => {
  it('R-M2 elects up to three representatives per group and announces each, without personal data', async () => {
    const collector = await collectEvents(broker.brokers, ['membership.community.registered.v1', 'membership.resident.registered.v1', 'membership.representative.elected.v1']);
    try {
      const { communityId, groupId } = await setUpCommunity('幸福里社区');
      const ids = [];
      for (const [i, name] of ['王一', '王二', '王三', '王四'].entries()) ids.push(await register(groupId, name, '1970-01-01', { idNumber: idNumber(i), phone: `1380013800${i}` }));
      for (const id of ids.slice(0, 3)) await ok(`mutation($r:ID!){ electRepresentative(input:{residentId:$r, termStart:"2026-02-01"}) { id } }`, { r: id });
      const fourth = await call(`mutation($r:ID!){ electRepresentative(input:{residentId:$r, termStart:"2026-02-01"}) { id } }`, { r: ids[3] });
      expect(errorCode(fourth)).toBe('CONFLICT');
      expect(fourth.errors?.[0]?.extensions?.rule).toBe('R-M2');

      const { community } = await ok(`query($id:ID!){ community(id:$id) { name representatives(activeOn:"2026-03-01") { termEnd resident { name } } groups { representativesNeeded } } }`, { id: communityId });
      expect(community.representatives).toHaveLength(3);
      expect(community.representatives[0].termEnd).toBe('2028-01-31');
      expect(community.groups[0].representativesNeeded).toBe(0);

      const mine = () => collector.events.filter((e) => (e.data as { communityId: string }).communityId === communityId);
      await eventually(() => mine().length === 1 + 4 + 3, { what: 'all 8 events on the broker' });
      for (const e of mine()) {
        expect(e.source).toBe('/community-platform/membership');
        expect(e.type).toBe(e.topic);
        expect(e.key).toBe(communityId);
        expect(JSON.stringify(e.data)).not.toMatch(/王[一二三四]|110105198001|1380013800/);
      }
    } finally {
      await collector.stop();
    }
  });

  it('R-M3 ending a term early keeps the record and announces membership.representative.term-ended.v1', async () => {
    const collector = await collectEvents(broker.brokers, ['membership.representative.term-ended.v1']);
    try {
      const { communityId, groupId } = await setUpCommunity('迁出社区');
      const resident = await register(groupId, '赵六');
      const { electRepresentative } = await ok(`mutation($r:ID!){ electRepresentative(input:{residentId:$r, termStart:"2026-02-01"}) { id } }`, { r: resident });
      const { endRepresentativeTerm } = await ok(`mutation($i:EndRepresentativeTermInput!){ endRepresentativeTerm(input:$i) { endedOn endReason } }`, {
        i: { representativeId: electRepresentative.id, endedOn: '2026-06-30', reason: 'MOVED_OUT' },
      });
      expect(endRepresentativeTerm).toEqual({ endedOn: '2026-06-30', endReason: 'MOVED_OUT' });
      const { community } = await ok(`query($id:ID!){ community(id:$id) { june: representatives(activeOn:"2026-06-30") { id } july: representatives(activeOn:"2026-07-01") { id } } }`, { id: communityId });
      expect(community).toEqual({ june: [{ id: electRepresentative.id }], july: [] });
      const event = await eventually(() => collector.events.find((e) => e.key === communityId), { what: 'term-ended event' });
      expect(event.data).toEqual({ representativeId: electRepresentative.id, communityId, endedOn: '2026-06-30', reason: 'MOVED_OUT' });
      const again = await call(`mutation($i:EndRepresentativeTermInput!){ endRepresentativeTerm(input:$i) { id } }`, { i: { representativeId: electRepresentative.id, endedOn: '2026-07-30', reason: 'RESIGNED' } });
      expect(errorCode(again)).toBe('CONFLICT');
    } finally {
      await collector.stop();
    }
  });

  it('R-M1 refuses a minor as representative and writes nothing', async () => {
    const { groupId } = await setUpCommunity('青年社区');
    const minor = await register(groupId, '小明', '2010-06-01');
    const before = await counts();
    const r = await call(`mutation($r:ID!){ electRepresentative(input:{residentId:$r, termStart:"2026-02-01"}) { id } }`, { r: minor });
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0]?.extensions).toMatchObject({ rule: 'R-M1', field: 'input.residentId' });
    expect(await counts()).toEqual(before);
  });

  it('bad input answers BAD_USER_INPUT / NOT_FOUND / CONFLICT and leaves no row and no outbox entry', async () => {
    const { districtId, groupId } = await setUpCommunity('和平社区');
    const before = await counts();
    const cases: [string, Record<string, unknown>, string][] = [
      [`mutation($i:CreateCommunityInput!){ createCommunity(input:$i) { id } }`, { i: { districtId, name: '', street: 'x' } }, 'BAD_USER_INPUT'],
      [`mutation($i:CreateCommunityInput!){ createCommunity(input:$i) { id } }`, { i: { districtId, name: 'x'.repeat(101), street: 'x' } }, 'BAD_USER_INPUT'],
      [`mutation($i:CreateCommunityInput!){ createCommunity(input:$i) { id } }`, { i: { districtId: 'not-a-uuid', name: 'A', street: 'x' } }, 'BAD_USER_INPUT'],
      [`mutation($i:CreateCommunityInput!){ createCommunity(input:$i) { id } }`, { i: { districtId: '00000000-0000-4000-8000-000000000000', name: 'A', street: 'x' } }, 'NOT_FOUND'],
      [`mutation($i:CreateCommunityInput!){ createCommunity(input:$i) { id } }`, { i: { districtId, name: '和平社区', street: 'x' } }, 'CONFLICT'],
      [`mutation($i:RegisterResidentInput!){ registerResident(input:$i) { id } }`, { i: { groupId, name: '甲', birthDate: '1990-02-30' } }, 'BAD_USER_INPUT'],
      [`mutation($i:RegisterResidentInput!){ registerResident(input:$i) { id } }`, { i: { groupId, name: '甲', birthDate: '1990-02-03', idNumber: '123' } }, 'BAD_USER_INPUT'],
      [`mutation($i:RegisterResidentInput!){ registerResident(input:$i) { id } }`, { i: { groupId: '00000000-0000-4000-8000-000000000000', name: '甲', birthDate: '1990-02-03' } }, 'NOT_FOUND'],
      [`mutation { endRepresentativeTerm(input:{representativeId:"00000000-0000-4000-8000-000000000000", endedOn:"2026-01-01", reason:RESIGNED}) { id } }`, {}, 'NOT_FOUND'],
    ];
    for (const [query, variables, code] of cases) {
      const r = await call(query, variables);
      expect({ query, variables, code: errorCode(r) }).toEqual({ query, variables, code });
    }
    expect(await counts()).toEqual(before);
  });

  it('resolves Community references in one SQL query however many arrive (batching)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i += 1) ids.push((await setUpCommunity(`批量社区${i}`)).communityId);
    const q = countQueries(svc.orm);
    try {
      const r = await ok(`query($r:[_Any!]!){ _entities(representations:$r) { ... on Community { id name groups { name } } } }`, {
        r: ids.map((id) => ({ __typename: 'Community', id })),
      });
      expect(r._entities.map((c: { id: string }) => c.id)).toEqual(ids);
      // one query for the communities, one for all their groups
      expect(q.count).toBe(2);
    } finally {
      q.stop();
    }
  });
});
