import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { AuditEntry, DEV_GATEWAY_SECRET, GATEWAY_SECRET_HEADER, RollEntry, databaseKind, openDatabase, signDevToken, type Em, type Orm } from '@cdp/platform';
import { createTestDatabase, errorCode, graphql, startMokapi, startTestService, type GraphQLResponse, type MokapiBroker, type TestService } from '@cdp/devkit';
import { ROLES, RUNS_PROCEDURES, type Actor, type Role } from '@cdp/util';
import { BallotEntity, EvaluationSessionEntity, EvaluationSettingsEntity, ParticipationEntity, SessionVoterEntity, evaluationModule } from '../src';
import { CAST, CLOSE, CONFIGURE, OPEN, SESSION, evaluationFixtures, isPostgres, representativeOf, staffOf, type TestCommunity } from './support';

let broker: MokapiBroker;
let svc: TestService;
/** every line the service logs, at every level */
const logLines: string[] = [];
let own: TestCommunity;
let other: TestCommunity;

const { ok, setUpCommunity, openSession, cast, counts, sql } = evaluationFixtures(
  () => svc,
  () => broker.brokers,
);

beforeAll(async () => {
  broker = await startMokapi();
  const logger = pino({ level: 'trace', base: { service: 'evaluation' } }, { write: (line: string) => void logLines.push(line) });
  svc = await startTestService(evaluationModule, { brokers: broker.brokers, start: { logger } });
  own = await setUpCommunity('权限社区', 2, { street: '花园路街道' });
  other = await setUpCommunity('别处社区', 1, { street: '滨河街道' });
});
afterAll(async () => {
  await svc?.close();
  await broker?.stop();
});

/** row counts, plus what a refused close or configure would change without adding rows */
const rows = async () => {
  const em = svc.orm.em.fork();
  const settings = await em.findOne(EvaluationSettingsEntity, { communityId: own.communityId });
  return {
    ...(await counts()),
    open: await em.count(EvaluationSessionEntity, { status: 'OPEN' }),
    ownSettings: settings ? [settings.satisfiedThreshold, settings.basicallySatisfiedThreshold] : null,
  };
};

type Send = (actor: Actor | null) => Promise<GraphQLResponse>;
/** `prepare` creates what the call needs (as the clerk) so that an allowed call succeeds, and returns the call */
type Call = { name: string; allowed: Role[]; prepare(): Promise<Send> };
const send =
  (query: string, variables: Record<string, unknown>): Send =>
  (actor) =>
    actor ? svc.as(actor)(query, variables) : svc.gql(query, variables);

let n = 0;
const CALLS: Call[] = [
  {
    name: 'openEvaluationSession',
    allowed: RUNS_PROCEDURES,
    prepare: async () => send(OPEN, { i: { communityId: own.communityId, title: `矩阵评议${(n += 1)}`, subjectKind: 'SERVICE' } }),
  },
  { name: 'castBallot', allowed: ['REPRESENTATIVE'], prepare: async () => send(CAST, { i: { sessionId: (await openSession(own.communityId, '矩阵投票')).id, grade: 'COMPETENT' } }) },
  { name: 'closeEvaluationSession', allowed: RUNS_PROCEDURES, prepare: async () => send(CLOSE, { s: (await openSession(own.communityId, '矩阵结束')).id }) },
  {
    name: 'configureEvaluation',
    allowed: RUNS_PROCEDURES,
    prepare: async () => send(CONFIGURE, { i: { communityId: own.communityId, satisfiedThreshold: 0.9 - (n += 1) / 1000, basicallySatisfiedThreshold: 0.6 } }),
  },
];

/**
 * The caller acts in `target` (and officials carry the claims that would let them READ it);
 * every token's subject is a representative on the own community's roll, so only the role and
 * the community decide.
 */
const actorWith = (role: Role, target: TestCommunity): Actor => ({
  sub: own.reps[0]!.residentId,
  roles: [role],
  communities: [target.communityId],
  street: target.street,
  district: target.districtId,
});

const withToken = (token: string) => (query: string, variables: Record<string, unknown>) =>
  graphql(svc.url, query, variables, { [GATEWAY_SECRET_HEADER]: DEV_GATEWAY_SECRET, authorization: `Bearer ${token}` });

describe(`R-AUTH evaluation: who may do what (${process.env.TEST_DATABASE ?? 'sqlite'})`, () => {
  it('R-AUTH role matrix: every mutation × every role × own/other community, and no token; refused calls change nothing', async () => {
    const outcomes: string[] = [];
    for (const call of CALLS) {
      for (const role of ROLES) {
        for (const target of [own, other]) {
          const run = await call.prepare();
          const before = await rows();
          const r = await run(actorWith(role, target));
          const code = errorCode(r);
          const line = `${call.name} as ${role} of ${target === own ? 'own' : 'other'} community`;
          if (call.allowed.includes(role) && target === own) outcomes.push(`${line}: ${r.errors ? `failed (${code}: ${r.errors[0]?.message})` : 'allowed'}`);
          else {
            outcomes.push(`${line}: ${code === 'FORBIDDEN' ? 'refused (FORBIDDEN)' : `wrong answer ${code ?? 'success'}`}`);
            expect({ line, data: r.data?.[call.name] ?? null }).toEqual({ line, data: null });
            expect({ line, rows: await rows() }).toEqual({ line, rows: before });
          }
        }
      }
      const run = await call.prepare();
      const before = await rows();
      outcomes.push(`${call.name} without a token: ${errorCode(await run(null))}`);
      expect(await rows()).toEqual(before);
    }
    const expected = CALLS.flatMap((call) => [
      ...ROLES.flatMap((role) =>
        [own, other].map((target) => {
          const line = `${call.name} as ${role} of ${target === own ? 'own' : 'other'} community`;
          return call.allowed.includes(role) && target === own ? `${line}: allowed` : `${line}: refused (FORBIDDEN)`;
        }),
      ),
      `${call.name} without a token: UNAUTHENTICATED`,
    ]);
    expect(outcomes).toEqual(expected);
  });

  it('R-E6 a replayed castBallot (same token, same input; again and concurrently) is recorded once, the repeats are CONFLICT', async () => {
    const session = await openSession(own.communityId, '重放');
    const mine = async () => {
      const em = svc.orm.em.fork();
      return {
        ballots: await em.count(BallotEntity, { sessionId: session.id }),
        participations: await em.count(ParticipationEntity, { sessionId: session.id }),
        participated: (await em.findOneOrFail(EvaluationSessionEntity, { id: session.id })).participated,
      };
    };
    const input = { i: { sessionId: session.id, grade: 'EXCELLENT' } };

    // the same request sent twice, then five more times at once
    const first = withToken(await signDevToken(representativeOf(own.communityId, own.reps[0]!)));
    expect((await first(CAST, input)).data?.castBallot).toEqual({ sessionId: session.id, recorded: true });
    const replays = [await first(CAST, input), ...(await Promise.all(Array.from({ length: 5 }, () => first(CAST, input))))];
    for (const r of replays) expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', rule: 'R-E6' });
    expect(await mine()).toEqual({ ballots: 1, participations: 1, participated: 1 });

    // one request replayed concurrently from the start: exactly one is recorded
    const second = withToken(await signDevToken(representativeOf(own.communityId, own.reps[1]!)));
    const burst = await Promise.all(Array.from({ length: 6 }, () => second(CAST, input)));
    expect(burst.filter((r) => !r.errors)).toHaveLength(1);
    for (const r of burst.filter((x) => x.errors)) expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', rule: 'R-E6' });
    expect(await mine()).toEqual({ ballots: 2, participations: 2, participated: 2 });
  });

  it('R-E5 a representative token whose subject is not on the session’s roll is FORBIDDEN and writes nothing', async () => {
    const session = await openSession(own.communityId, '名册');
    const before = await rows();
    const strangers: [string, Actor][] = [
      ['a resident id not on the roll', { sub: randomUUID(), roles: ['REPRESENTATIVE'], communities: [own.communityId] }],
      ['a subject that is no resident id', { sub: 'clerk', roles: ['REPRESENTATIVE'], communities: [own.communityId] }],
      ['the representative of another community, claiming this one', representativeOf(own.communityId, other.reps[0]!)],
      ['a representative id instead of the resident id', { sub: own.reps[0]!.representativeId, roles: ['REPRESENTATIVE'], communities: [own.communityId] }],
    ];
    for (const [who, actor] of strangers) {
      const r = await svc.as(actor)(CAST, { i: { sessionId: session.id, grade: 'EXCELLENT' } });
      expect({ who, ...r.errors?.[0]?.extensions }).toEqual({ who, code: 'FORBIDDEN', rule: 'R-E5', field: 'input.sessionId' });
      expect(r.errors?.[0]?.message).toMatch(/not on the roll of this session/);
    }
    expect(await rows()).toEqual(before);
  });

  it('R-E6 no audit entry and no log line joins a voter to a ballot: castBallot is audited with the session id, never the grade', async () => {
    const { communityId, reps } = await setUpCommunity('审计社区', 3);
    const session = await openSession(communityId, '审计');
    const grades = ['EXCELLENT', 'COMPETENT', 'INCOMPETENT'];
    for (const [i, seat] of reps.entries()) expect((await cast(communityId, seat, session.id, grades[i]!)).errors).toBeUndefined();
    const em = svc.orm.em.fork();
    const castIds = (await em.find(BallotEntity, { sessionId: session.id })).map((b) => b.id);
    await ok(staffOf(communityId), CLOSE, { s: session.id });
    const ballotIds = [...castIds, ...(await em.fork().find(BallotEntity, { sessionId: session.id })).map((b) => b.id)];
    expect(ballotIds).toHaveLength(6);

    const entries = await em.find(AuditEntry, { action: 'castBallot', entityIds: { $like: `%${session.id}%` } });
    expect(entries.map((e) => e.actor).sort()).toEqual(reps.map((r) => r.residentId).sort()); // that they voted — as the roll's participation says too
    for (const e of entries) {
      expect(e).toMatchObject({ roles: 'REPRESENTATIVE', outcome: 'OK' });
      expect(JSON.parse(e.entityIds)).toEqual([session.id]);
      const text = JSON.stringify(e);
      expect(text).not.toMatch(/EXCELLENT|COMPETENT/);
      for (const id of [...ballotIds, ...reps.map((r) => r.representativeId)]) expect(text).not.toContain(id);
    }

    expect(logLines.some((l) => l.includes('subgraph ready'))).toBe(true);
    const voters = reps.flatMap((r) => [r.representativeId, r.residentId]);
    for (const line of logLines) {
      for (const id of ballotIds) expect(line).not.toContain(id);
      if (voters.some((id) => line.includes(id))) expect(line).not.toMatch(/EXCELLENT|COMPETENT/);
    }
  });

  it('R-E6 on SQLite the ballot table has no rowid order: WITHOUT ROWID, keyed by the random id', async () => {
    if (isPostgres()) {
      // PostgreSQL has no rowid; the table is left as the schema generator made it
      expect(await sql(`select 1 from information_schema.tables where table_schema = current_schema() and table_name = 'evaluation_ballot'`)).toHaveLength(1);
      return;
    }
    const [table] = await sql<{ sql: string }>(`select sql from sqlite_master where type = 'table' and name = 'evaluation_ballot'`);
    expect(table!.sql).toMatch(/\bwithout\s+rowid\s*$/i);
    const [pk] = await sql<{ name: string }>(`select name from pragma_table_info('evaluation_ballot') where pk = 1`);
    expect(pk!.name).toBe('id');
  });

  it('R-E6 an existing database is brought up to date at start: the ballot table rebuilt in place (rows and indexes kept), roll snapshots completed; idempotent on every start', async () => {
    const db = await createTestDatabase('evaluation_upgrade');
    const kind = databaseKind(db.url);
    const logger = pino({ level: 'silent' });
    const open = () => openDatabase({ url: db.url, entities: evaluationModule.entities, logger });
    let orm: Orm = await open();
    try {
      // as an earlier version left it: an ordinary ballot table with ballots, a roll snapshot without persons
      const sessionId = randomUUID();
      const ballots = ['EXCELLENT', 'COMPETENT', 'INCOMPETENT', 'EXCELLENT', 'COMPETENT'].map((grade) => ({ id: randomUUID(), sessionId, grade: grade as BallotEntity['grade'] }));
      const seat = { representativeId: randomUUID(), residentId: randomUUID() };
      const em = orm.em.fork() as Em;
      await em.insertMany(BallotEntity, ballots);
      await em.insertMany(RollEntry, [{ id: seat.representativeId, communityId: randomUUID(), residentId: seat.residentId, groupId: null, termStart: '2025-01-01', termEnd: '2027-12-31', endedOn: null }]);
      await em.insertMany(SessionVoterEntity, [{ sessionId, representativeId: seat.representativeId, residentId: null }]);

      const state = async (o: Orm) => {
        const x = o.em.fork() as Em;
        const q = <T>(s: string) => x.getConnection().execute<T[]>(s);
        const sqlite = kind === 'sqlite';
        return {
          table: sqlite ? (await q<{ sql: string }>(`select sql from sqlite_master where type = 'table' and name = 'evaluation_ballot'`))[0]!.sql : null,
          indexes: sqlite ? (await q<{ sql: string }>(`select sql from sqlite_master where type = 'index' and tbl_name = 'evaluation_ballot' and sql is not null order by name`)).map((i) => i.sql) : null,
          // stored order: a plain scan of the table
          stored: (await q<{ id: string }>(`select id from evaluation_ballot${sqlite ? ' not indexed' : ''}`)).map((r) => String(r.id)),
          ballots: (await x.find(BallotEntity, {}, { orderBy: { id: 'asc' } })).map((b) => ({ id: b.id, sessionId: b.sessionId, grade: b.grade })),
          voters: (await x.find(SessionVoterEntity, {})).map((v) => ({ ...v })),
        };
      };
      if (kind === 'sqlite') expect((await state(orm)).table).not.toMatch(/without rowid/i);

      await evaluationModule.afterSchema!(orm, kind);
      const upgraded = await state(orm);
      expect(upgraded.ballots).toEqual([...ballots].sort((a, b) => (a.id < b.id ? -1 : 1)));
      expect(upgraded.voters).toEqual([{ sessionId, ...seat }]);
      if (kind === 'sqlite') {
        expect(upgraded.table).toMatch(/\bwithout\s+rowid\s*$/i);
        expect(upgraded.stored).toEqual(upgraded.ballots.map((b) => b.id)); // in the order of the random ids
        expect(upgraded.indexes!.join(' ')).toMatch(/session_id/);
      }
      // the schema generator sees nothing to change in the rebuilt table
      expect(await orm.schema.getUpdateSchemaSQL({ safe: true, wrap: false })).not.toMatch(/evaluation_ballot/);

      // again, and after a restart: nothing changes
      await evaluationModule.afterSchema!(orm, kind);
      expect(await state(orm)).toEqual(upgraded);
      await orm.close(true);
      orm = await open();
      await evaluationModule.afterSchema!(orm, kind);
      expect(await state(orm)).toEqual(upgraded);
    } finally {
      await orm.close(true);
      await db.drop();
    }
  });

  it('R-AUTH reads: sessions are not public; street and district officials read their communities only; a refused reader gets FORBIDDEN, never partial data', async () => {
    const title = '读取权限评议';
    const session = await openSession(own.communityId, title);
    const queries: Record<string, [string, Record<string, unknown>]> = {
      evaluationSession: [SESSION, { id: session.id }],
      evaluationSettings: [`query($c:ID!){ evaluationSettings(communityId:$c) { satisfiedThreshold basicallySatisfiedThreshold } }`, { c: own.communityId }],
      'Community.evaluationSessions': [
        `query($r:[_Any!]!){ _entities(representations:$r) { ... on Community { id evaluationSessions { id title } } } }`,
        { r: [{ __typename: 'Community', id: own.communityId }] },
      ],
      'EvaluationSession reference': [`query($r:[_Any!]!){ _entities(representations:$r) { ... on EvaluationSession { id title } } }`, { r: [{ __typename: 'EvaluationSession', id: session.id }] }],
    };
    const readers: [string, Actor | null, 'read' | 'UNAUTHENTICATED' | 'FORBIDDEN'][] = [
      ['anonymous', null, 'UNAUTHENTICATED'],
      ['street official of its street', { sub: 'street', roles: ['STREET_OFFICIAL'], communities: [], street: own.street }, 'read'],
      ['district official of its district', { sub: 'district', roles: ['DISTRICT_OFFICIAL'], communities: [], district: own.districtId }, 'read'],
      ['street official of another street', { sub: 'street', roles: ['STREET_OFFICIAL'], communities: [], street: other.street }, 'FORBIDDEN'],
      ['district official of another district', { sub: 'district', roles: ['DISTRICT_OFFICIAL'], communities: [], district: other.districtId }, 'FORBIDDEN'],
      ['staff of the community', staffOf(own.communityId), 'read'],
      ['a representative of the community', representativeOf(own.communityId, own.reps[0]!), 'read'],
      ['staff of another community', staffOf(other.communityId), 'FORBIDDEN'],
      ['a resident of another community', { sub: randomUUID(), roles: ['RESIDENT'], communities: [other.communityId] }, 'FORBIDDEN'],
      ['ADMIN', { sub: 'admin', roles: ['ADMIN'], communities: [] }, 'read'],
    ];
    const outcomes: string[] = [];
    for (const [who, actor] of readers) {
      for (const [name, [query, variables]] of Object.entries(queries)) {
        const r = actor ? await svc.as(actor)(query, variables) : await svc.gql(query, variables);
        const text = JSON.stringify(r.data ?? null);
        if (r.errors) {
          outcomes.push(`${who} reads ${name}: ${errorCode(r)}`);
          // never partial data
          expect({ who, name, leaked: text.includes(session.id) || text.includes(title) || /Threshold/.test(text) }).toEqual({ who, name, leaked: false });
        } else {
          outcomes.push(`${who} reads ${name}: read`);
          expect({ who, name, complete: name === 'evaluationSettings' ? /satisfiedThreshold/.test(text) : text.includes(session.id) }).toEqual({ who, name, complete: true });
        }
      }
    }
    expect(outcomes).toEqual(readers.flatMap(([who, , expected]) => Object.keys(queries).map((name) => `${who} reads ${name}: ${expected}`)));
  });

  it('R-AUTH a request straight to the subgraph, without the gateway credential, is refused with 401 and writes nothing', async () => {
    const before = await rows();
    const token = await signDevToken(staffOf(own.communityId));
    const body = JSON.stringify({ query: OPEN, variables: { i: { communityId: own.communityId, title: '绕过网关', subjectKind: 'SERVICE' } } });
    for (const headers of [{}, { [GATEWAY_SECRET_HEADER]: 'guess' }] as Record<string, string>[]) {
      const res = await fetch(svc.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers }, body });
      expect(res.status).toBe(401);
      expect(((await res.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    expect(await rows()).toEqual(before);
  });
});
