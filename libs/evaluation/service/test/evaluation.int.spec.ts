import { randomUUID } from 'node:crypto';
import { sessionConcluded } from '@cdp/contracts';
import { countQueries, RollEntry } from '@cdp/platform';
import { collectEvents, eventually, errorCode, startMokapi, startTestService, type EventCollector, type MokapiBroker, type TestService } from '@cdp/devkit';
import type { Actor } from '@cdp/util';
import { evaluationModule } from '../src';
import { BallotEntity, ParticipationEntity } from '../src';
import { CAST, CLOSE, CONFIGURE, OPEN, SESSION, evaluationFixtures, isPostgres, representativeOf, staffOf, today } from './support';

let broker: MokapiBroker;
let svc: TestService;
let collector: EventCollector;

beforeAll(async () => {
  broker = await startMokapi();
  svc = await startTestService(evaluationModule, { brokers: broker.brokers });
  collector = await collectEvents(broker.brokers, [sessionConcluded.topic]);
});
afterAll(async () => {
  await collector?.stop();
  await svc?.close();
  await broker?.stop();
});

const { ok, electRepresentative, setUpCommunity, openSession, cast, counts, sql, storedBallotIds } = evaluationFixtures(
  () => svc,
  () => broker.brokers,
);

describe(`evaluation subgraph (${process.env.TEST_DATABASE ?? 'sqlite'})`, () => {
  it('R-E5/R-E6/R-E7 five representatives vote once each by secret ballot; the count is graded and announced with totals only', async () => {
    const { communityId, reps } = await setUpCommunity('幸福里社区', 5);
    const staff = staffOf(communityId);
    const session = await openSession(communityId);
    expect(session).toMatchObject({ status: 'OPEN', eligible: 5, participated: 0, excellent: null, grade: null, valid: null, openedOn: today });

    const grades = ['EXCELLENT', 'COMPETENT', 'EXCELLENT', 'INCOMPETENT', 'EXCELLENT'];
    for (const [i, seat] of reps.slice(0, 4).entries()) {
      const r = await cast(communityId, seat, session.id, grades[i]!);
      expect(r.data?.castBallot).toEqual({ sessionId: session.id, recorded: true });
    }
    expect((await cast(communityId, reps[4]!, session.id, grades[4]!)).errors).toBeUndefined();

    // R-E6: the fifth voter again → CONFLICT, and nothing changes
    const before = await counts();
    const again = await cast(communityId, reps[4]!, session.id, 'INCOMPETENT');
    expect(errorCode(again)).toBe('CONFLICT');
    expect(again.errors?.[0]?.extensions).toMatchObject({ rule: 'R-E6', field: 'input.sessionId' });
    // R-E5: a representative of the community who is not on this session's roll
    const stranger = await cast(communityId, { representativeId: randomUUID(), residentId: randomUUID() }, session.id, 'EXCELLENT');
    expect(errorCode(stranger)).toBe('FORBIDDEN');
    expect(stranger.errors?.[0]?.extensions).toMatchObject({ rule: 'R-E5', field: 'input.sessionId' });
    expect(stranger.errors?.[0]?.message).toMatch(/not on the roll of this session/);
    expect(await counts()).toEqual(before);
    expect(before).toMatchObject({ participations: 5, ballots: 5 });

    // while OPEN nobody sees a running count
    const { evaluationSession: running } = await ok(staff, SESSION, { id: session.id });
    expect(running).toMatchObject({ status: 'OPEN', participated: 5, excellent: null, competent: null, incompetent: null, grade: null, satisfactionRate: null, valid: null, community: { id: communityId } });

    const castIds = await storedBallotIds(session.id);
    const { closeEvaluationSession: closed } = await ok(staff, CLOSE, { s: session.id });
    expect(closed).toMatchObject({ status: 'CONCLUDED', eligible: 5, participated: 5, excellent: 3, competent: 1, incompetent: 1, grade: 'EXCELLENT', satisfactionRate: 0.8, satisfactionLevel: 'SATISFIED', valid: true });
    expect(closed.concludedAt).toEqual(expect.any(String));

    // R-E6 the box was mixed: same grades, fresh ids, stored in the order of the new random ids
    const mixedIds = await storedBallotIds(session.id);
    expect(mixedIds).toHaveLength(5);
    expect(mixedIds.filter((id) => castIds.includes(id))).toEqual([]);
    expect(mixedIds).toEqual([...mixedIds].sort());
    const stored = await svc.orm.em.fork().find(BallotEntity, { sessionId: session.id });
    expect(stored.map((b) => b.grade).sort()).toEqual([...grades].sort());

    // closed: no more ballots, no second close
    const late = await cast(communityId, reps[0]!, session.id, 'EXCELLENT');
    expect(errorCode(late)).toBe('CONFLICT');
    const twice = await svc.as(staff)(CLOSE, { s: session.id });
    expect(errorCode(twice)).toBe('CONFLICT');

    const mine = () => collector.events.filter((e) => (e.data as { sessionId: string }).sessionId === session.id);
    await eventually(() => mine().length === 1, { what: 'evaluation.session.concluded.v1 on the broker' });
    const [event] = mine();
    expect(event!.key).toBe(communityId);
    expect(event!.source).toBe('/community-platform/evaluation');
    expect(event!.data).toEqual({
      sessionId: session.id,
      communityId,
      subjectKind: 'RESIDENTS_COMMITTEE',
      title: '2026年下半年居委会民主评议',
      concludedAt: closed.concludedAt,
      eligible: 5,
      participated: 5,
      valid: true,
      excellent: 3,
      competent: 1,
      incompetent: 1,
      grade: 'EXCELLENT',
      satisfactionRate: 0.8,
      satisfactionLevel: 'SATISFIED',
    });
    // totals only: no voter, no ballot id
    const text = JSON.stringify(event!.data);
    for (const id of [...reps.flatMap((r) => [r.representativeId, r.residentId]), ...castIds, ...mixedIds]) expect(text).not.toContain(id);
  });

  it('R-E6 concurrent ballots of one representative: exactly one is recorded (the session row is locked)', async () => {
    const { communityId, reps } = await setUpCommunity('并发社区', 2);
    const session = await openSession(communityId);
    const results = await Promise.all(['EXCELLENT', 'COMPETENT', 'INCOMPETENT', 'EXCELLENT'].map((g) => cast(communityId, reps[0]!, session.id, g)));
    expect(results.filter((r) => !r.errors).length).toBe(1);
    for (const r of results.filter((x) => x.errors)) expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', rule: 'R-E6' });
    const em = svc.orm.em.fork();
    expect(await em.count(BallotEntity, { sessionId: session.id })).toBe(1);
    expect(await em.count(ParticipationEntity, { sessionId: session.id })).toBe(1);
    expect((await ok(staffOf(communityId), SESSION, { id: session.id })).evaluationSession.participated).toBe(1);
  });

  it('R-E6 the ballot table names no voter, the participation table no ballot, and neither has a time or sequence', async () => {
    const columns = async (table: string) =>
      (isPostgres()
        ? await sql<{ name: string; type: string }>(`select column_name as name, data_type as type from information_schema.columns where table_schema = current_schema() and table_name = ?`, [table])
        : await sql<{ name: string; type: string }>(`select name, type from pragma_table_info(?)`, [table])
      )
        .map((c) => c.name)
        .sort();
    expect(await columns('evaluation_ballot')).toEqual(['grade', 'id', 'session_id']);
    expect(await columns('evaluation_participation')).toEqual(['session_id', 'voter_id']);

    // the same from the ORM's metadata: no datetime, no auto-increment, no voter/ballot cross-reference
    const meta = svc.orm.getMetadata();
    const ballot = meta.get(BallotEntity.name);
    const participation = meta.get(ParticipationEntity.name);
    expect(Object.keys(ballot.properties).sort()).toEqual(['grade', 'id', 'sessionId']);
    expect(Object.keys(participation.properties).sort()).toEqual(['sessionId', 'voterId']);
    for (const m of [ballot, participation]) {
      for (const p of Object.values(m.properties)) {
        expect({ prop: p.name, autoincrement: Boolean(p.autoincrement), type: String(p.type) }).toEqual({ prop: p.name, autoincrement: false, type: expect.not.stringMatching(/date|time/i) });
      }
    }
    expect(Object.keys(ballot.properties).join(' ')).not.toMatch(/voter|representative|resident|participa|seq|order|cast|at$/i);
    expect(Object.keys(participation.properties).join(' ')).not.toMatch(/ballot|grade|seq|order|at$/i);

    // and the API: a ballot receipt says nothing that identifies the ballot
    const { __type } = (await svc.gql(`{ __type(name:"BallotReceipt") { fields { name } } }`)).data!;
    expect(__type.fields.map((f: { name: string }) => f.name).sort()).toEqual(['recorded', 'sessionId']);
    // nor does the ballot's input name a voter: the voter is the caller
    const input = (await svc.gql(`{ __type(name:"CastBallotInput") { inputFields { name } } }`)).data!.__type;
    expect(input.inputFields.map((f: { name: string }) => f.name).sort()).toEqual(['grade', 'sessionId']);
    // R-E10: the session type has no per-voter field
    const fields = (await svc.gql(`{ __type(name:"EvaluationSession") { fields { name } } }`)).data!.__type.fields.map((f: { name: string }) => f.name);
    expect(fields.join(' ')).not.toMatch(/voter|ballot|representative|resident|roll/i);
  });

  it('R-E5 three of five → INVALID, counted but not graded; the roll is frozen when the session opens', async () => {
    const { communityId, reps } = await setUpCommunity('和平社区', 5);
    const staff = staffOf(communityId);
    const session = await openSession(communityId, '2026年社区工作人员民主评议');
    for (const seat of reps.slice(0, 3)) expect((await cast(communityId, seat, session.id, 'COMPETENT')).errors).toBeUndefined();

    // elected after the session opened: not on its roll (R-E5)
    const newcomer = await electRepresentative(communityId);
    await eventually(async () => (await svc.orm.em.fork().count(RollEntry, { communityId })) === 6, { what: 'the newcomer on the roll' });
    const r = await cast(communityId, newcomer, session.id, 'COMPETENT');
    expect(errorCode(r)).toBe('FORBIDDEN');
    expect(r.errors?.[0]?.extensions?.rule).toBe('R-E5');

    const { closeEvaluationSession: closed } = await ok(staff, CLOSE, { s: session.id });
    expect(closed).toMatchObject({ status: 'INVALID', valid: false, eligible: 5, participated: 3, excellent: 0, competent: 3, incompetent: 0, grade: null, satisfactionRate: null, satisfactionLevel: null });

    await eventually(() => collector.events.some((e) => (e.data as { sessionId: string }).sessionId === session.id), { what: 'the INVALID session announced' });
    const event = collector.events.find((e) => (e.data as { sessionId: string }).sessionId === session.id)!;
    expect(event.data).toMatchObject({ valid: false, eligible: 5, participated: 3, competent: 3 });
    expect(event.data).not.toHaveProperty('grade');
    expect(event.data).not.toHaveProperty('satisfactionLevel');

    const { _entities } = await ok(staff, `query($r:[_Any!]!){ _entities(representations:$r) { ... on Community { id invalid: evaluationSessions(status:INVALID) { id } open: evaluationSessions(status:OPEN) { id } } } }`, {
      r: [{ __typename: 'Community', id: communityId }],
    });
    expect(_entities[0]).toEqual({ id: communityId, invalid: [{ id: session.id }], open: [] });
  });

  it('R-E7 satisfaction thresholds are configurable per community and apply to sessions opened afterwards', async () => {
    const { communityId, reps } = await setUpCommunity('阳光社区', 5);
    const staff = staffOf(communityId);
    const defaults = await ok(staff, `query($c:ID!){ evaluationSettings(communityId:$c) { satisfiedThreshold basicallySatisfiedThreshold community { id } } }`, { c: communityId });
    expect(defaults.evaluationSettings).toEqual({ satisfiedThreshold: 0.8, basicallySatisfiedThreshold: 0.6, community: { id: communityId } });

    const before = await openSession(communityId, '按默认标准');
    await ok(staff, CONFIGURE, { i: { communityId, satisfiedThreshold: 0.95, basicallySatisfiedThreshold: 0.5 } });
    const { configureEvaluation } = await ok(staff, CONFIGURE, { i: { communityId, satisfiedThreshold: 0.9, basicallySatisfiedThreshold: 0.7 } });
    expect(configureEvaluation).toEqual({ satisfiedThreshold: 0.9, basicallySatisfiedThreshold: 0.7 });
    const after = await openSession(communityId, '按本社区标准');

    for (const s of [before, after]) {
      for (const [i, seat] of reps.entries()) expect((await cast(communityId, seat, s.id, ['EXCELLENT', 'EXCELLENT', 'COMPETENT', 'COMPETENT', 'INCOMPETENT'][i]!)).errors).toBeUndefined();
    }
    const closedBefore = (await ok(staff, CLOSE, { s: before.id })).closeEvaluationSession;
    const closedAfter = (await ok(staff, CLOSE, { s: after.id })).closeEvaluationSession;
    // 4 of 5 satisfied = 0.8; 2 of 5 excellent is not more than half; 1 of 5 incompetent is less than a third
    expect(closedBefore).toMatchObject({ grade: 'COMPETENT', satisfactionRate: 0.8, satisfactionLevel: 'SATISFIED' });
    expect(closedAfter).toMatchObject({ grade: 'COMPETENT', satisfactionRate: 0.8, satisfactionLevel: 'BASICALLY_SATISFIED' });
  });

  it('bad input answers BAD_USER_INPUT / NOT_FOUND / FORBIDDEN / CONFLICT and writes nothing, not even to the outbox', async () => {
    const { communityId, reps } = await setUpCommunity('光明社区', 2);
    const { communityId: empty } = await setUpCommunity('空社区', 0);
    const staff: Actor = { ...staffOf(communityId), communities: [communityId, empty] };
    const session = await openSession(communityId);
    expect((await cast(communityId, reps[0]!, session.id, 'EXCELLENT')).errors).toBeUndefined();
    const closedSession = await openSession(communityId, '已结束');
    await ok(staff, CLOSE, { s: closedSession.id });
    const nobody = '00000000-0000-4000-8000-000000000000';
    const voter = representativeOf(communityId, reps[1]!);
    const voted = representativeOf(communityId, reps[0]!);
    const notOnRoll = representativeOf(communityId, { representativeId: nobody, residentId: nobody });
    const before = await counts();
    const open = (i: Record<string, unknown>) => [staff, OPEN, { i: { communityId, title: '评议', subjectKind: 'SERVICE', ...i } }] as const;
    const castIn = (i: Record<string, unknown>, as: Actor = voter) => [as, CAST, { i: { sessionId: session.id, grade: 'COMPETENT', ...i } }] as const;
    const configure = (i: Record<string, unknown>) => [staff, CONFIGURE, { i: { communityId, satisfiedThreshold: 0.8, basicallySatisfiedThreshold: 0.6, ...i } }] as const;
    const cases: [Actor, string, Record<string, unknown>, string, string?][] = [
      [...open({ communityId: 'not-a-uuid' }), 'BAD_USER_INPUT', 'input.communityId'],
      [...open({ communityId: nobody }), 'NOT_FOUND', 'input.communityId'],
      [...open({ title: '  ' }), 'BAD_USER_INPUT', 'input.title'],
      [...open({ title: 'x'.repeat(201) }), 'BAD_USER_INPUT', 'input.title'],
      [...open({ subjectId: 'nope' }), 'BAD_USER_INPUT', 'input.subjectId'],
      [...open({ communityId: empty }), 'CONFLICT', 'input.communityId'],
      [...castIn({ sessionId: 'x' }), 'BAD_USER_INPUT', 'input.sessionId'],
      // the voter is no longer an input: naming one is refused by the schema
      [...castIn({ voterId: reps[1]!.representativeId }), 'BAD_USER_INPUT', undefined],
      [...castIn({ sessionId: nobody }), 'NOT_FOUND', 'input.sessionId'],
      [...castIn({}, notOnRoll), 'FORBIDDEN', 'input.sessionId'],
      [...castIn({}, voted), 'CONFLICT', 'input.sessionId'],
      [...castIn({ sessionId: closedSession.id }), 'CONFLICT', 'input.sessionId'],
      [staff, CLOSE, { s: 'x' }, 'BAD_USER_INPUT', 'input.sessionId'],
      [staff, CLOSE, { s: nobody }, 'NOT_FOUND', 'input.sessionId'],
      [staff, CLOSE, { s: closedSession.id }, 'CONFLICT', 'input.sessionId'],
      [...configure({ communityId: nobody }), 'NOT_FOUND', 'input.communityId'],
      [...configure({ basicallySatisfiedThreshold: 0.8 }), 'BAD_USER_INPUT', 'input.basicallySatisfiedThreshold'],
      [...configure({ satisfiedThreshold: 1.5 }), 'BAD_USER_INPUT', 'input.satisfiedThreshold'],
      [...configure({ basicallySatisfiedThreshold: 0 }), 'BAD_USER_INPUT', 'input.basicallySatisfiedThreshold'],
      [staff, `query { evaluationSession(id:"x") { id } }`, {}, 'BAD_USER_INPUT', 'id'],
      [staff, `query { evaluationSettings(communityId:"${nobody}") { satisfiedThreshold } }`, {}, 'NOT_FOUND', 'communityId'],
    ];
    for (const [actor, query, variables, code, field] of cases) {
      const r = await svc.as(actor)(query, variables);
      expect({ variables, code: errorCode(r), field: r.errors?.[0]?.extensions?.field }).toEqual({ variables, code, field });
    }
    expect(await counts()).toEqual(before);
    expect((await ok(staff, `query($id:ID!){ evaluationSession(id:$id) { id } }`, { id: nobody })).evaluationSession).toBeNull();
  });

  it('resolves evaluationSessions for many Community references in one SQL query (batching)', async () => {
    const ids: string[] = [];
    const districtId = randomUUID();
    for (let i = 0; i < 6; i += 1) {
      const { communityId } = await setUpCommunity(`批量社区${i}`, 1, { districtId });
      await openSession(communityId, `评议${i}-上`);
      await openSession(communityId, `评议${i}-下`);
      ids.push(communityId);
    }
    const query = `query($r:[_Any!]!){ _entities(representations:$r) { ... on Community { id evaluationSessions { id title } } } }`;
    const r = { r: ids.map((id) => ({ __typename: 'Community', id })) };
    // staff of all six decide by their own claims; a district official needs where the communities sit
    const staff: Actor = { sub: 'clerk', roles: ['STAFF'], communities: ids };
    const official: Actor = { sub: 'district', roles: ['DISTRICT_OFFICIAL'], communities: [], district: districtId };
    for (const [actor, lookups] of [
      [staff, []],
      [official, ['known_community']],
    ] as const) {
      const q = countQueries(svc.orm);
      try {
        const data = await ok(actor, query, r);
        expect(data._entities.map((c: { id: string }) => c.id)).toEqual(ids);
        // newest first
        expect(data._entities.map((c: { evaluationSessions: { title: string }[] }) => c.evaluationSessions.map((s) => s.title))).toEqual(ids.map((_, i) => [`评议${i}-下`, `评议${i}-上`]));
        // one query for all their sessions (and at most one for where the communities sit); the
        // outbox relay and the consumer share the connection pool and poll in the background, so
        // count only statements on this service's own tables
        const ours = q.sql.filter((s) => /evaluation_|known_community|representative_roll/.test(s));
        expect(ours).toHaveLength(1 + lookups.length);
        expect(ours.filter((s) => /evaluation_session/.test(s))).toHaveLength(1);
        for (const table of lookups) expect(ours.filter((s) => s.includes(table))).toHaveLength(1);
      } finally {
        q.stop();
      }
    }
  });
});
