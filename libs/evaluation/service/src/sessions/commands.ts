import { randomUUID } from 'node:crypto';
import { sessionConcluded } from '@cdp/contracts';
import { castBallot as decideBallot, closeSession as decideClose, mixBallots, openSession as decideOpen, type OpenSessionCommand } from '@cdp/evaluation-domain';
import { forUpdate, recordEvent, requireKnownCommunity, rollOn, type Em } from '@cdp/platform';
import { chinaCivilDate, check, notFound } from '@cdp/util';
import { settingsFor } from '../settings/commands';
import { BallotEntity, EvaluationSessionEntity, ParticipationEntity, SessionVoterEntity } from './entities';

/** What castBallot answers: that the ballot is in the box — nothing that identifies it (R-E6). */
export interface BallotReceipt {
  sessionId: string;
  recorded: true;
}

/**
 * R-E4/R-E5: opens a session; its electorate is a snapshot of the representatives in office
 * today (China civil date), kept in `evaluation_session_voter`.
 */
export async function openSession(em: Em, input: OpenSessionCommand & { communityId: string }): Promise<EvaluationSessionEntity> {
  const communityId = check.uuid(input.communityId, 'input.communityId');
  return em.transactional(async (tx) => {
    await requireKnownCommunity(tx, communityId);
    const now = new Date();
    const roll = await rollOn(tx, communityId, chinaCivilDate(now));
    const settings = await settingsFor(tx, communityId);
    const { session, voters } = decideOpen(randomUUID(), communityId, input, roll.map((r) => r.id), settings, now);
    const entity = tx.create(EvaluationSessionEntity, session);
    tx.persist(entity);
    for (const v of voters) tx.persist(tx.create(SessionVoterEntity, v));
    return entity;
  });
}

async function lockSession(tx: Em, sessionId: string): Promise<EvaluationSessionEntity> {
  const session = await tx.findOne(EvaluationSessionEntity, { id: sessionId }, forUpdate(tx));
  if (!session) throw notFound('evaluation session', sessionId, 'input.sessionId');
  return session;
}

/**
 * R-E6 secret ballot. In one transaction, with the session row locked: check the voter is on
 * the session's roll (R-E5) and has not voted (R-E6), then write the participation and the
 * ballot to two separate tables. Nothing returned, logged or published links the two.
 */
export async function castBallot(em: Em, input: { sessionId: string; voterId: string; grade: string }): Promise<BallotReceipt> {
  const sessionId = check.uuid(input.sessionId, 'input.sessionId');
  const voterId = check.uuid(input.voterId, 'input.voterId');
  return em.transactional(async (tx) => {
    const session = await lockSession(tx, sessionId);
    const onRoll = await tx.count(SessionVoterEntity, { sessionId, representativeId: voterId });
    const voted = await tx.count(ParticipationEntity, { sessionId, voterId });
    const { participation, ballot, participated } = decideBallot(session, { onRoll: onRoll > 0, alreadyVoted: voted > 0 }, { voterId, grade: input.grade }, randomUUID());
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
 * the ids no longer follow the order in which representatives voted.
 */
export async function closeSession(em: Em, input: { sessionId: string }): Promise<EvaluationSessionEntity> {
  const sessionId = check.uuid(input.sessionId, 'input.sessionId');
  return em.transactional(async (tx) => {
    const session = await lockSession(tx, sessionId);
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
