import { randomUUID } from 'node:crypto';
import { sessionConcluded } from '@cdp/contracts';
import { castBallot as decideBallot, closeSession as decideClose, mixBallots, openSession as decideOpen, type OpenSessionCommand } from '@cdp/evaluation-domain';
import { forUpdate, recordEvent, requireKnownCommunity, rollOn, type Em } from '@cdp/platform';
import { RUNS_PROCEDURES, chinaCivilDate, check, notFound, requireActIn, type Actor } from '@cdp/util';
import { settingsFor } from '../settings/commands';
import { BallotEntity, EvaluationSessionEntity, ParticipationEntity, SessionVoterEntity } from './entities';

/** What castBallot answers: that the ballot is in the box — nothing that identifies it (R-E6). */
export interface BallotReceipt {
  sessionId: string;
  recorded: true;
}

/**
 * R-E4/R-E5: opens a session; its electorate is a snapshot of the representatives in office
 * today (China civil date), kept in `evaluation_session_voter` with the person holding each
 * seat. STAFF or COMMITTEE of the community.
 */
export async function openSession(em: Em, actor: Actor | null, input: OpenSessionCommand & { communityId: string }): Promise<EvaluationSessionEntity> {
  const communityId = check.uuid(input.communityId, 'input.communityId');
  return em.transactional(async (tx) => {
    await requireKnownCommunity(tx, communityId);
    requireActIn(actor, communityId, RUNS_PROCEDURES);
    const now = new Date();
    const roll = await rollOn(tx, communityId, chinaCivilDate(now));
    const residentOf = new Map(roll.map((r) => [r.id, r.residentId]));
    const settings = await settingsFor(tx, communityId);
    const { session, voters } = decideOpen(randomUUID(), communityId, input, roll.map((r) => r.id), settings, now);
    const entity = tx.create(EvaluationSessionEntity, session);
    tx.persist(entity);
    for (const v of voters) tx.persist(tx.create(SessionVoterEntity, { ...v, residentId: residentOf.get(v.representativeId) ?? null }));
    return entity;
  });
}

async function lockSession(tx: Em, sessionId: string): Promise<EvaluationSessionEntity> {
  const session = await tx.findOne(EvaluationSessionEntity, { id: sessionId }, forUpdate(tx));
  if (!session) throw notFound('evaluation session', sessionId, 'input.sessionId');
  return session;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * R-E6 secret ballot, cast by the caller: a REPRESENTATIVE acting in the session's community.
 * The voter is never an input: it is the seat on the session's roll snapshot held by the
 * person the token names (`sub` = resident id). In one transaction, with the session row
 * locked: check the caller is on the roll (R-E5) and has not voted (R-E6, by the person, so a
 * replayed request is refused too), then write the participation and the ballot to two
 * separate tables. Nothing returned, logged or published links the two.
 */
export async function castBallot(em: Em, actor: Actor | null, input: { sessionId: string; grade: string }): Promise<BallotReceipt> {
  const sessionId = check.uuid(input.sessionId, 'input.sessionId');
  return em.transactional(async (tx) => {
    const session = await lockSession(tx, sessionId);
    const caller = requireActIn(actor, session.communityId, ['REPRESENTATIVE']);
    const seats = UUID_RE.test(caller.sub)
      ? await tx.find(SessionVoterEntity, { sessionId, residentId: caller.sub.toLowerCase() }, { orderBy: { representativeId: 'asc' } })
      : [];
    const voted = seats.length > 0 ? await tx.count(ParticipationEntity, { sessionId, voterId: { $in: seats.map((v) => v.representativeId) } }) : 0;
    const { participation, ballot, participated } = decideBallot(session, { voterId: seats[0]?.representativeId ?? null, alreadyVoted: voted > 0 }, { grade: input.grade }, randomUUID());
    tx.persist(tx.create(ParticipationEntity, participation));
    tx.persist(tx.create(BallotEntity, ballot));
    tx.assign(session, { participated });
    return { sessionId, recorded: true as const };
  });
}

/**
 * R-E4/R-E5/R-E7: closes and counts a session, announces `evaluation.session.concluded.v1`
 * (totals only) in the same transaction. R-E6: the box is mixed before the count — the ballots
 * are written again under fresh random ids, in the order of those ids — so the stored order and
 * the ids no longer follow the order in which representatives voted. STAFF or COMMITTEE of the
 * community.
 */
export async function closeSession(em: Em, actor: Actor | null, input: { sessionId: string }): Promise<EvaluationSessionEntity> {
  const sessionId = check.uuid(input.sessionId, 'input.sessionId');
  return em.transactional(async (tx) => {
    const session = await lockSession(tx, sessionId);
    requireActIn(actor, session.communityId, RUNS_PROCEDURES);
    const ballots = await tx.find(BallotEntity, { sessionId }, { disableIdentityMap: true });
    const participated = await tx.count(ParticipationEntity, { sessionId });
    const now = new Date();
    const { session: closed, event } = decideClose(session, { participated, ballots }, now);
    const mixed = mixBallots(ballots, randomUUID);
    await tx.nativeDelete(BallotEntity, { sessionId });
    if (mixed.length > 0) await tx.insertMany(BallotEntity, mixed);
    tx.assign(session, closed);
    recordEvent(tx, 'evaluation', sessionConcluded, event, now);
    return session;
  });
}
