import { join } from 'node:path';
import { errorCode, eventually, graphql, type GraphQLResponse } from '@cdp/devkit';
import { MESSAGING_ENTITIES, createLogger, openDatabase, signDevToken } from '@cdp/platform';
import type { Actor } from '@cdp/util';
import { SERVICE_NAMES, type RunningPlatform } from '../src/platform';
import { launchTestPlatform } from './support';
import { demoIdNumber } from '../src/seed';

/**
 * Hostile input through the gateway, as an attacker or a careless client would send it. Every
 * case asserts the error code AND that nothing was written: the row count of every table of
 * every service's database is the same before and after.
 */
const RATE_LIMIT = 40;
let platform: RunningPlatform;
let dataDir: string;
let url: string;
let cleanUp: () => Promise<void>;

beforeAll(async () => {
  ({ platform, dataDir, cleanUp } = await launchTestPlatform('hostile', { MUTATION_RATE_LIMIT: String(RATE_LIMIT) }));
  url = platform.gatewayUrl;
});
afterAll(async () => {
  await cleanUp?.();
});

const call = async (actor: Actor | null, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<GraphQLResponse<any>> =>
  graphql(url, query, variables, { ...(actor ? { authorization: `Bearer ${await signDevToken(actor)}` } : {}), ...headers });
const ok = async (actor: Actor, query: string, variables: Record<string, unknown> = {}) => {
  const r = await call(actor, query, variables);
  if (r.errors) throw new Error(JSON.stringify(r.errors));
  return r.data;
};

/** row counts of every table of every service */
async function rowCounts(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const s of SERVICE_NAMES) {
    const orm = await openDatabase({ url: `sqlite:${join(dataDir, `${s}.sqlite`)}`, entities: MESSAGING_ENTITIES, logger: createLogger('count', 'silent'), updateSchema: false });
    try {
      const tables = await orm.em.getConnection().execute<{ name: string }[]>(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> 'audit_log'`);
      for (const { name } of tables) out[`${s}.${name}`] = (await orm.em.getConnection().execute<{ n: number }[]>(`select count(*) as n from "${name}"`))[0]!.n;
    } finally {
      await orm.close(true);
    }
  }
  return out;
}

/** Runs `attack`, asserts its code, and that no table gained or lost a row. */
async function refused(name: string, code: string, attack: () => Promise<GraphQLResponse<any> | string | undefined>): Promise<void> {
  const before = await rowCounts();
  const r = await attack();
  const got = typeof r === 'string' || r === undefined ? r : errorCode(r);
  expect({ name, code: got }).toEqual({ name, code });
  expect({ name, rows: await rowCounts() }).toEqual({ name, rows: before });
}

const admin: Actor = { sub: 'hostile-admin', roles: ['ADMIN'], communities: [] };
let clerk: Actor;
let mine: { communityId: string; groupId: string; residents: string[]; reps: string[]; sessionId: string };
let theirs: { communityId: string; groupId: string };

describe('hostile input through the gateway: the right code, and nothing written', () => {
  beforeAll(async () => {
    const { createDistrict } = await ok(admin, `mutation { createDistrict(input:{name:"攻防区"}) { id } }`);
    const mk = async (name: string) => (await ok(admin, `mutation($d:ID!,$n:String!){ createCommunity(input:{districtId:$d, name:$n, street:"攻防街道"}) { id } }`, { d: createDistrict.id, n: name })).createCommunity.id as string;
    const [a, b] = [await mk('本社区'), await mk('他社区')];
    clerk = { sub: 'hostile-clerk', roles: ['STAFF'], communities: [a] };
    const other: Actor = { sub: 'other-clerk', roles: ['STAFF'], communities: [b] };
    const group = async (actor: Actor, c: string) => (await ok(actor, `mutation($c:ID!){ createResidentGroup(input:{communityId:$c, name:"第一组"}) { id } }`, { c })).createResidentGroup.id as string;
    const [ga, gb] = [await group(clerk, a), await group(other, b)];
    const residents: string[] = [];
    const reps: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const r = (await ok(clerk, `mutation($g:ID!,$id:String!){ registerResident(input:{groupId:$g, name:"居民${i}", birthDate:"1970-01-0${i + 1}", idNumber:$id, registeredOn:"2025-01-01"}) { id } }`, { g: ga, id: demoIdNumber(700 + i) })).registerResident.id;
      residents.push(r);
      reps.push((await ok(clerk, `mutation($r:ID!){ electRepresentative(input:{residentId:$r, termStart:"2025-01-01"}) { id } }`, { r })).electRepresentative.id);
    }
    const session = await eventually(
      async () => (await ok(clerk, `mutation($c:ID!){ openEvaluationSession(input:{communityId:$c, title:"评议", subjectKind:RESIDENTS_COMMITTEE}) { id } }`, { c: a })).openEvaluationSession.id as string,
      { timeoutMs: 60000, what: 'evaluation knows the roll' },
    );
    await ok({ sub: residents[0]!, roles: ['REPRESENTATIVE'], communities: [a] }, `mutation($s:ID!){ castBallot(input:{sessionId:$s, grade:EXCELLENT}) { recorded } }`, { s: session });
    mine = { communityId: a, groupId: ga, residents, reps, sessionId: session };
    theirs = { communityId: b, groupId: gb };
    // deliberation and disclosure must know both communities before the cases run
    await eventually(async () => !(await call(clerk, `mutation($c:ID!){ proposeMotion(input:{communityId:$c, title:""}) { id } }`, { c: a })).errors?.some((e) => e.extensions?.code === 'NOT_FOUND'), { timeoutMs: 60000, what: 'deliberation knows the community' });
  });

  it('oversized strings → BAD_USER_INPUT naming the field', async () => {
    await refused('a 10 000-character title', 'BAD_USER_INPUT', () => call(clerk, `mutation($c:ID!,$t:String!){ proposeMotion(input:{communityId:$c, title:$t}) { id } }`, { c: mine.communityId, t: '议'.repeat(10000) }));
    await refused('a 1 000-character resident name', 'BAD_USER_INPUT', () => call(clerk, `mutation($g:ID!,$n:String!){ registerResident(input:{groupId:$g, name:$n, birthDate:"1980-01-01"}) { id } }`, { g: mine.groupId, n: '名'.repeat(1000) }));
    const r = await call(clerk, `mutation($c:ID!,$t:String!){ proposeMotion(input:{communityId:$c, title:$t}) { id } }`, { c: mine.communityId, t: 'x'.repeat(201) });
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.title' });
  });

  it('wrong types and malformed values → BAD_USER_INPUT', async () => {
    await refused('a number for a string', 'BAD_USER_INPUT', () => call(clerk, `mutation($c:ID!,$t:String!){ proposeMotion(input:{communityId:$c, title:$t}) { id } }`, { c: mine.communityId, t: 42 }));
    await refused('an impossible date', 'BAD_USER_INPUT', () => call(clerk, `mutation($g:ID!){ registerResident(input:{groupId:$g, name:"甲", birthDate:"1980-02-31"}) { id } }`, { g: mine.groupId }));
    await refused('an unknown enum value', 'BAD_USER_INPUT', () => call(clerk, `mutation($r:ID!,$b:BodyKind!){ appointBodyMember(input:{residentId:$r, body:$b}) { id } }`, { r: mine.residents[2], b: 'POLITBURO' }));
    await refused('a malformed id', 'BAD_USER_INPUT', () => call(clerk, `mutation { electRepresentative(input:{residentId:"1 OR 1=1"}) { id } }`));
    await refused('an invalid ID number', 'BAD_USER_INPUT', () => call(clerk, `mutation($g:ID!){ registerResident(input:{groupId:$g, name:"甲", birthDate:"1980-01-01", idNumber:"110101198001010000"}) { id } }`, { g: mine.groupId }));
  });

  it('unknown ids → NOT_FOUND; another community’s ids → FORBIDDEN', async () => {
    await refused('an unknown group', 'NOT_FOUND', () => call(clerk, `mutation { registerResident(input:{groupId:"00000000-0000-4000-8000-000000000000", name:"甲", birthDate:"1980-01-01"}) { id } }`));
    await refused('an unknown session', 'NOT_FOUND', () => call(clerk, `mutation { closeEvaluationSession(input:{sessionId:"00000000-0000-4000-8000-000000000000"}) { id } }`));
    await refused('a group of another community', 'FORBIDDEN', () => call(clerk, `mutation($g:ID!){ registerResident(input:{groupId:$g, name:"甲", birthDate:"1980-01-01"}) { id } }`, { g: theirs.groupId }));
    await refused('a motion in another community', 'FORBIDDEN', () => call(clerk, `mutation($c:ID!){ proposeMotion(input:{communityId:$c, title:"越权"}) { id } }`, { c: theirs.communityId }));
    await refused('reading another community’s residents', 'FORBIDDEN', () => call(clerk, `query($id:ID!){ community(id:$id) { groups { name } } }`, { id: theirs.communityId }));
  });

  it('replayed ballots → CONFLICT; a ballot for someone else is impossible', async () => {
    const voter: Actor = { sub: mine.residents[0]!, roles: ['REPRESENTATIVE'], communities: [mine.communityId] };
    await refused('the same ballot again', 'CONFLICT', () => call(voter, `mutation($s:ID!){ castBallot(input:{sessionId:$s, grade:INCOMPETENT}) { recorded } }`, { s: mine.sessionId }));
    await refused('a staff member casting a ballot', 'FORBIDDEN', () => call(clerk, `mutation($s:ID!){ castBallot(input:{sessionId:$s, grade:EXCELLENT}) { recorded } }`, { s: mine.sessionId }));
  });

  it('expired, forged and malformed tokens → UNAUTHENTICATED at the gateway', async () => {
    const q = `mutation($c:ID!){ proposeMotion(input:{communityId:$c, title:"伪造"}) { id } }`;
    const v = { c: mine.communityId };
    await refused('an expired token', 'UNAUTHENTICATED', async () => graphql(url, q, v, { authorization: `Bearer ${await signDevToken(clerk, { ttlSeconds: -60 })}` }));
    await refused('a token signed with another key', 'UNAUTHENTICATED', async () => graphql(url, q, v, { authorization: `Bearer ${await signDevToken(clerk, { secret: 'not-the-secret-'.repeat(3) })}` }));
    await refused('a token with an invented role', 'UNAUTHENTICATED', async () => {
      const t = await signDevToken(clerk);
      const [h, , sig] = t.split('.');
      const body = Buffer.from(JSON.stringify({ sub: 'x', roles: ['GOD'], communities: [], exp: 9999999999 })).toString('base64url');
      return graphql(url, q, v, { authorization: `Bearer ${h}.${body}.${sig}` });
    });
    await refused('garbage', 'UNAUTHENTICATED', () => graphql(url, q, v, { authorization: 'Bearer abc.def' }));
    await refused('no token at all', 'UNAUTHENTICATED', () => graphql(url, q, v));
  });

  it('over-deep, over-aliased and oversized queries are refused before they run', async () => {
    let deep = 'name';
    for (let i = 0; i < 12; i += 1) deep = `district { communities { ${deep} } }`;
    await refused('depth 25', 'GRAPHQL_VALIDATION_FAILED', () => call(clerk, `{ communities { ${deep} } }`));
    const aliases = Array.from({ length: 50 }, (_x, i) => `a${i}: districts { id }`).join(' ');
    await refused('50 aliases', 'GRAPHQL_VALIDATION_FAILED', () => call(clerk, `{ ${aliases} }`));
    const manyMutations = Array.from({ length: 30 }, (_x, i) => `m${i}: proposeMotion(input:{communityId:"${mine.communityId}", title:"批量${i}"}) { id }`).join(' ');
    await refused('30 aliased mutations in one request', 'GRAPHQL_VALIDATION_FAILED', () => call(clerk, `mutation { ${manyMutations} }`));
    await refused('a 200 kB body', '413', async () => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: `{ districts { id } } #${'x'.repeat(200_000)}` }) });
      return String(res.status);
    });
  });

  it('batched operations are refused, and mutations are rate limited per identity', async () => {
    await refused('an array of 100 operations', '400', async () => {
      const body = JSON.stringify(Array.from({ length: 100 }, (_x, i) => ({ query: `mutation { proposeMotion(input:{communityId:"${mine.communityId}", title:"洪水${i}"}) { id } }` })));
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${await signDevToken(clerk)}` }, body });
      return String(res.status);
    });
    const flooder: Actor = { sub: 'flooder', roles: ['STAFF'], communities: [mine.communityId] };
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < RATE_LIMIT + 5; i += 1) codes.push(errorCode(await call(flooder, `mutation($c:ID!){ proposeMotion(input:{communityId:$c, title:""}) { id } }`, { c: mine.communityId })));
    expect(codes.slice(0, RATE_LIMIT).every((c) => c === 'BAD_USER_INPUT')).toBe(true);
    expect(codes.slice(RATE_LIMIT)).toEqual(Array(5).fill('RATE_LIMITED'));
    // another identity is not affected
    await refused('the clerk after the flood (limit is per identity)', 'BAD_USER_INPUT', () => call(clerk, `mutation($c:ID!){ proposeMotion(input:{communityId:$c, title:""}) { id } }`, { c: mine.communityId }));
  });

  it('a subgraph called directly, without the gateway credential, refuses', async () => {
    for (const s of SERVICE_NAMES) {
      await refused(`${s} directly`, '401', async () => {
        const res = await fetch(platform.serviceUrls[s], {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await signDevToken(admin)}` },
          body: JSON.stringify({ query: `mutation { createDistrict(input:{name:"后门"}) { id } }` }),
        });
        return String(res.status);
      });
    }
  });

  it('the public reads without a token what is public, and nothing else', async () => {
    const r = await call(null, `query($id:ID!){ community(id:$id) { name notices { status } resolutions { status } } }`, { id: mine.communityId });
    expect(r.errors).toBeUndefined();
    expect(r.data.community.name).toBe('本社区');
    await refused('an anonymous read of the roll', 'UNAUTHENTICATED', () => call(null, `query($id:ID!){ community(id:$id) { assemblyRoll { id } } }`, { id: mine.communityId }));
  });
});
