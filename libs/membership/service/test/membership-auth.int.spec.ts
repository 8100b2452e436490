import { randomUUID } from 'node:crypto';
import { ROLES, type Actor, type Role } from '@cdp/util';
import { AuditEntry, OutboxMessage, signDevToken } from '@cdp/platform';
import { errorCode, startMokapi, startTestService, type MokapiBroker, type TestService } from '@cdp/devkit';
import { BodyMembershipEntity, CommunityEntity, DistrictEntity, membershipModule, RepresentativeEntity, ResidentEntity, ResidentGroupEntity } from '../src';

let broker: MokapiBroker;
let svc: TestService;
const setup: Actor = { sub: 'setup', roles: ['ADMIN', 'STAFF'], communities: [] };
let districtId: string;
const own = { id: '', street: '花园路街道' };
const other = { id: '', street: '滨河街道' };

async function ok(actor: Actor, query: string, variables: Record<string, unknown> = {}): Promise<any> {
  const r = await svc.as(actor)(query, variables);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
}

beforeAll(async () => {
  broker = await startMokapi();
  svc = await startTestService(membershipModule, { brokers: broker.brokers });
  districtId = (await ok(setup, `mutation { createDistrict(input:{name:"权限区"}) { id } }`)).createDistrict.id;
  for (const c of [own, other]) {
    c.id = (await ok(setup, `mutation($i:CreateCommunityInput!){ createCommunity(input:$i) { id } }`, { i: { districtId, name: `${c.street}社区`, street: c.street } })).createCommunity.id;
    setup.communities.push(c.id);
  }
});
afterAll(async () => {
  await svc?.close();
  await broker?.stop();
});

let n = 0;
/** a new group with one adult resident in the community (so every allowed call can succeed) */
async function freshResident(communityId: string): Promise<{ groupId: string; residentId: string }> {
  n += 1;
  const groupId = (await ok(setup, `mutation($c:ID!,$n:String!){ createResidentGroup(input:{communityId:$c, name:$n}) { id } }`, { c: communityId, n: `组${n}` })).createResidentGroup.id;
  const residentId = (await ok(setup, `mutation($g:ID!){ registerResident(input:{groupId:$g, name:"测试居民", birthDate:"1980-01-01", registeredOn:"2025-01-01"}) { id } }`, { g: groupId })).registerResident.id;
  return { groupId, residentId };
}

const counts = async () => {
  const em = svc.orm.em.fork();
  return Promise.all([DistrictEntity, CommunityEntity, ResidentGroupEntity, ResidentEntity, RepresentativeEntity, BodyMembershipEntity, OutboxMessage].map((e) => em.count(e as never)));
};

/** `prepare` creates what the call needs (as the set-up clerk) and returns the call itself */
type Send = (actor: Actor | null) => Promise<string | undefined>;
type Call = { name: string; communityScoped: boolean; allowed: Role[]; prepare(communityId: string): Promise<Send> };
const send =
  (query: string, variables: Record<string, unknown>): Send =>
  async (actor) =>
    errorCode(actor ? await svc.as(actor)(query, variables) : await svc.gql(query, variables));

const CALLS: Call[] = [
  { name: 'createDistrict', communityScoped: false, allowed: ['ADMIN'], prepare: async () => send(`mutation($n:String!){ createDistrict(input:{name:$n}) { id } }`, { n: `区${randomUUID()}` }) },
  {
    name: 'createCommunity',
    communityScoped: false,
    allowed: ['ADMIN'],
    prepare: async () => send(`mutation($i:CreateCommunityInput!){ createCommunity(input:$i) { id } }`, { i: { districtId, name: `社区${randomUUID()}`, street: '花园路街道' } }),
  },
  { name: 'createResidentGroup', communityScoped: true, allowed: ['STAFF', 'COMMITTEE'], prepare: async (c) => send(`mutation($c:ID!,$n:String!){ createResidentGroup(input:{communityId:$c, name:$n}) { id } }`, { c, n: `组${randomUUID()}` }) },
  {
    name: 'registerResident',
    communityScoped: true,
    allowed: ['STAFF', 'COMMITTEE'],
    prepare: async (c) => send(`mutation($g:ID!){ registerResident(input:{groupId:$g, name:"新居民", birthDate:"1990-01-01"}) { id } }`, { g: (await freshResident(c)).groupId }),
  },
  {
    name: 'electRepresentative',
    communityScoped: true,
    allowed: ['STAFF', 'COMMITTEE'],
    prepare: async (c) => send(`mutation($r:ID!){ electRepresentative(input:{residentId:$r, termStart:"2026-01-01"}) { id } }`, { r: (await freshResident(c)).residentId }),
  },
  {
    name: 'endRepresentativeTerm',
    communityScoped: true,
    allowed: ['STAFF', 'COMMITTEE'],
    prepare: async (c) => {
      const { residentId } = await freshResident(c);
      const rep = (await ok(setup, `mutation($r:ID!){ electRepresentative(input:{residentId:$r, termStart:"2026-01-01"}) { id } }`, { r: residentId })).electRepresentative.id;
      return send(`mutation($r:ID!){ endRepresentativeTerm(input:{representativeId:$r, endedOn:"2026-06-30", reason:RESIGNED}) { id } }`, { r: rep });
    },
  },
  {
    name: 'appointBodyMember',
    communityScoped: true,
    allowed: ['STAFF', 'COMMITTEE'],
    prepare: async (c) => send(`mutation($r:ID!){ appointBodyMember(input:{residentId:$r, body:SUPERVISION_COMMITTEE}) { id } }`, { r: (await freshResident(c)).residentId }),
  },
];

/** the caller acts in `own`; officials also carry the claims that would let them READ `own` */
const actorWith = (role: Role): Actor => ({ sub: `person-${role}`, roles: [role], communities: [own.id], street: own.street, district: districtId });

describe('R-AUTH membership: who may do what', () => {
  it('role matrix: every mutation × every role × own/other community, and no token', async () => {
    const outcomes: string[] = [];
    for (const call of CALLS) {
      for (const role of ROLES) {
        for (const target of call.communityScoped ? [own, other] : [own]) {
          const run = await call.prepare(target.id);
          const before = await counts();
          const code = await run(actorWith(role));
          const allowed = call.allowed.includes(role) && (!call.communityScoped || target === own);
          const line = `${call.name} as ${role} in ${target === own ? 'own' : 'other'} community`;
          if (allowed) outcomes.push(`${line}: ${code === 'FORBIDDEN' || code === 'UNAUTHENTICATED' ? `refused (${code})` : 'allowed'}`);
          else {
            outcomes.push(`${line}: ${code === 'FORBIDDEN' ? 'refused (FORBIDDEN)' : `wrong code ${code}`}`);
            expect({ line, rows: await counts() }).toEqual({ line, rows: before });
          }
        }
      }
      const run = await call.prepare(own.id);
      const before = await counts();
      outcomes.push(`${call.name} without a token: ${await run(null)}`);
      expect(await counts()).toEqual(before);
    }
    const expected = CALLS.flatMap((call) => [
      ...ROLES.flatMap((role) =>
        (call.communityScoped ? [own, other] : [own]).map((target) => {
          const line = `${call.name} as ${role} in ${target === own ? 'own' : 'other'} community`;
          return call.allowed.includes(role) && (!call.communityScoped || target === own) ? `${line}: allowed` : `${line}: refused (FORBIDDEN)`;
        }),
      ),
      `${call.name} without a token: UNAUTHENTICATED`,
    ]);
    expect(outcomes).toEqual(expected);
  });

  it('reads: the public and residents see the community, not its people; street and district officials read theirs only', async () => {
    const q = `query($id:ID!){ community(id:$id) { name representatives { id } groups { name } } }`;
    const anon = await svc.gql(q, { id: own.id });
    expect(errorCode(anon)).toBe('UNAUTHENTICATED');
    expect((await svc.gql(`query($id:ID!){ community(id:$id) { name street } }`, { id: own.id })).data).toEqual({ community: { name: `${own.street}社区`, street: own.street } });
    const street: Actor = { sub: 's', roles: ['STREET_OFFICIAL'], communities: [], street: own.street };
    expect((await svc.as(street)(q, { id: own.id })).errors).toBeUndefined();
    expect(errorCode(await svc.as(street)(q, { id: other.id }))).toBe('FORBIDDEN');
    const district: Actor = { sub: 'd', roles: ['DISTRICT_OFFICIAL'], communities: [], district: districtId };
    expect((await svc.as(district)(q, { id: other.id })).errors).toBeUndefined();
    expect(errorCode(await svc.as({ ...district, district: randomUUID() })(q, { id: other.id }))).toBe('FORBIDDEN');
    // a resident reads the public part only; a representative reads their community's people
    const resident: Actor = { sub: 'r', roles: ['RESIDENT'], communities: [own.id] };
    expect(errorCode(await svc.as(resident)(q, { id: own.id }))).toBe('FORBIDDEN');
    const representative: Actor = { sub: 'p', roles: ['REPRESENTATIVE'], communities: [own.id] };
    expect((await svc.as(representative)(q, { id: own.id })).errors).toBeUndefined();
    expect(errorCode(await svc.as(representative)(q, { id: other.id }))).toBe('FORBIDDEN');
  });

  it('expired, malformed and forged tokens are UNAUTHENTICATED', async () => {
    const q = `query($id:ID!){ community(id:$id) { representatives { id } } }`;
    const expired = await signDevToken(setup, { ttlSeconds: -10 });
    const forged = await signDevToken(setup, { secret: 'x'.repeat(40) });
    for (const authorization of [`Bearer ${expired}`, `Bearer ${forged}`, 'Bearer not-a-jwt', 'Basic dXNlcjpwYXNz', `Bearer ${expired.split('.').slice(0, 2).join('.')}.`]) {
      const r = await svc.gql(q, { id: own.id }, { authorization });
      expect({ authorization: authorization.slice(0, 12), code: errorCode(r) }).toEqual({ authorization: authorization.slice(0, 12), code: 'UNAUTHENTICATED' });
    }
  });

  it('a subgraph called directly, without the gateway credential, refuses', async () => {
    const res = await fetch(svc.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ districts { id } }' }) });
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const wrong = await fetch(svc.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-gateway-secret': 'guess' }, body: JSON.stringify({ query: '{ districts { id } }' }) });
    expect(wrong.status).toBe(401);
  });

  it('every mutation lands in the append-only audit log, with ids only', async () => {
    const { residentId } = await freshResident(own.id);
    const em = svc.orm.em.fork();
    const entry = await em.findOneOrFail(AuditEntry, { action: 'registerResident', entityIds: { $like: `%${residentId}%` } });
    expect(entry).toMatchObject({ actor: 'setup', roles: 'ADMIN,STAFF', outcome: 'OK' });
    expect(entry.entityIds).not.toMatch(/测试居民|1980/);
    await expect(em.nativeUpdate(AuditEntry, { id: entry.id }, { outcome: 'FORGED' })).rejects.toThrow(/append-only/);
    await expect(em.nativeDelete(AuditEntry, { id: entry.id })).rejects.toThrow(/append-only/);
  });
});
