/* eslint-disable @nx/enforce-module-boundaries -- a test helper of the *.int.spec.ts files: like them it may use the devkit */
import { randomUUID } from 'node:crypto';
import { communityRegistered, representativeElected } from '@cdp/contracts';
import { KnownCommunity, OutboxMessage, RollEntry } from '@cdp/platform';
import { eventually, publishTestEvent, type TestService } from '@cdp/devkit';
import { chinaCivilDate, type Actor } from '@cdp/util';
import { BallotEntity, EvaluationSessionEntity, EvaluationSettingsEntity, ParticipationEntity, SessionVoterEntity } from '../src';

/** What the evaluation integration tests share: membership's events, callers, row counts. */

export const isPostgres = () => (process.env.TEST_DATABASE ?? 'sqlite').toLowerCase().startsWith('postgres');

export const today = chinaCivilDate(new Date());
const termEnd = `${Number(today.slice(0, 4)) + 2}-12-31`;

/** One representative's seat: the representative id (one term) and the person holding it. */
export interface Seat {
  representativeId: string;
  residentId: string;
}

export interface TestCommunity {
  communityId: string;
  districtId: string;
  street: string;
  reps: Seat[];
}

/** The community's clerk 社区工作人员: runs the procedures there. */
export const staffOf = (communityId: string): Actor => ({ sub: 'clerk', roles: ['STAFF'], communities: [communityId] });

/** A representative calling as themselves: the token's subject is their resident id. */
export const representativeOf = (communityId: string, seat: Seat): Actor => ({ sub: seat.residentId, roles: ['REPRESENTATIVE'], communities: [communityId] });

export const OPEN = `mutation($i:OpenEvaluationSessionInput!){ openEvaluationSession(input:$i) { id status eligible participated excellent competent incompetent grade satisfactionRate satisfactionLevel valid openedOn } }`;
export const CAST = `mutation($i:CastBallotInput!){ castBallot(input:$i) { sessionId recorded } }`;
export const CLOSE = `mutation($s:ID!){ closeEvaluationSession(input:{sessionId:$s}) { id status eligible participated excellent competent incompetent grade satisfactionRate satisfactionLevel valid concludedAt } }`;
export const CONFIGURE = `mutation($i:ConfigureEvaluationInput!){ configureEvaluation(input:$i) { satisfiedThreshold basicallySatisfiedThreshold } }`;
export const SESSION = `query($id:ID!){ evaluationSession(id:$id) { id status participated excellent competent incompetent grade satisfactionRate satisfactionLevel valid community { id } } }`;

export function evaluationFixtures(svc: () => TestService, brokers: () => string[]) {
  async function ok<T = any>(actor: Actor, query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const r = await svc().as(actor)<T>(query, variables);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r.data as T;
  }

  /** What membership would announce: a representative elected in the community, in office today. */
  async function electRepresentative(communityId: string): Promise<Seat> {
    const seat = { representativeId: randomUUID(), residentId: randomUUID() };
    await publishTestEvent(brokers(), representativeElected, { ...seat, communityId, groupId: randomUUID(), termStart: '2025-01-01', termEnd });
    return seat;
  }

  /** What membership would announce: a community and `n` representatives in office today. */
  async function setUpCommunity(name: string, n: number, place: { street?: string; districtId?: string } = {}): Promise<TestCommunity> {
    const communityId = randomUUID();
    const districtId = place.districtId ?? randomUUID();
    const street = place.street ?? '花园路街道';
    await publishTestEvent(brokers(), communityRegistered, { communityId, districtId, street, name, registeredAt: new Date().toISOString() });
    const reps: Seat[] = [];
    for (let i = 0; i < n; i += 1) reps.push(await electRepresentative(communityId));
    await eventually(
      async () => {
        const em = svc().orm.em.fork();
        return (await em.count(KnownCommunity, { id: communityId })) === 1 && (await em.count(RollEntry, { communityId })) === n;
      },
      { what: `the roll of ${name}` },
    );
    return { communityId, districtId, street, reps };
  }

  const openSession = (communityId: string, title = '2026年下半年居委会民主评议') =>
    ok(staffOf(communityId), OPEN, { i: { communityId, title, subjectKind: 'RESIDENTS_COMMITTEE' } }).then((d) => d.openEvaluationSession as { id: string; [k: string]: unknown });

  /** the representative casts their own ballot */
  const cast = (communityId: string, seat: Seat, sessionId: string, grade: string) => svc().as(representativeOf(communityId, seat))(CAST, { i: { sessionId, grade } });

  const counts = async () => {
    const em = svc().orm.em.fork();
    return {
      sessions: await em.count(EvaluationSessionEntity),
      voters: await em.count(SessionVoterEntity),
      participations: await em.count(ParticipationEntity),
      ballots: await em.count(BallotEntity),
      settings: await em.count(EvaluationSettingsEntity),
      outbox: await em.count(OutboxMessage),
    };
  };

  const sql = <T = Record<string, unknown>>(query: string, params: unknown[] = []): Promise<T[]> => svc().orm.em.fork().getConnection().execute(query, params);

  /**
   * ids of a session's ballots in the order the database stores them: PostgreSQL's physical
   * order (ctid); on SQLite the table is WITHOUT ROWID, stored in the order of its key.
   */
  const storedBallotIds = async (sessionId: string) =>
    (await sql<{ id: string }>(`select id from evaluation_ballot where session_id = ?${isPostgres() ? ' order by ctid' : ''}`, [sessionId])).map((r) => String(r.id));

  return { ok, electRepresentative, setUpCommunity, openSession, cast, counts, sql, storedBallotIds };
}
