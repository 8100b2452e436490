import type { PayloadOf, sessionConcluded } from '@cdp/contracts';
import { EVALUATION_GRADES, EVALUATION_SUBJECTS } from '@cdp/contracts';
import { badInput, chinaCivilDate, check, conflict, forbidden } from '@cdp/util';
import {
  DEFAULT_EVALUATION_SETTINGS,
  type Ballot,
  type EvaluationGrade,
  type EvaluationSession,
  type EvaluationSettings,
  type Participation,
  type SatisfactionLevel,
  type SessionVoter,
  type Tally,
} from './model';

/**
 * R-E5: an evaluation is valid only if at least four fifths of all representatives take part
 * (“人数必须达到总数的五分之四以上”). Integer arithmetic, so exactly 4/5 counts and nothing is
 * lost to rounding.
 */
export function isQuorate(eligible: number, participated: number): boolean {
  return eligible > 0 && participated * 5 >= eligible * 4;
}

/**
 * R-E7 grade of a valid session: incompetent 不称职 when at least a third of the ballots say so,
 * else excellent 优秀 when more than half say so, else competent 称职.
 */
export function gradeFor(t: Tally): EvaluationGrade {
  const ballots = t.excellent + t.competent + t.incompetent;
  if (ballots === 0) throw new Error('no ballots to grade');
  if (t.incompetent * 3 >= ballots) return 'INCOMPETENT';
  if (t.excellent * 2 > ballots) return 'EXCELLENT';
  return 'COMPETENT';
}

/** R-E7 satisfaction rate: (excellent + competent) / ballots. */
export function satisfactionRateOf(t: Tally): number {
  const ballots = t.excellent + t.competent + t.incompetent;
  if (ballots === 0) throw new Error('no ballots to rate');
  return (t.excellent + t.competent) / ballots;
}

/** R-E7 satisfied 满意 / basically satisfied 基本满意 / dissatisfied 不满意, by the community's thresholds. */
export function satisfactionLevelFor(rate: number, settings: Pick<EvaluationSettings, 'satisfiedThreshold' | 'basicallySatisfiedThreshold'>): SatisfactionLevel {
  if (rate >= settings.satisfiedThreshold) return 'SATISFIED';
  if (rate >= settings.basicallySatisfiedThreshold) return 'BASICALLY_SATISFIED';
  return 'DISSATISFIED';
}

/** Counts ballots by grade (totals only). */
export function tally(ballots: readonly Pick<Ballot, 'grade'>[]): Tally {
  const t: Tally = { excellent: 0, competent: 0, incompetent: 0 };
  for (const b of ballots) {
    if (b.grade === 'EXCELLENT') t.excellent += 1;
    else if (b.grade === 'COMPETENT') t.competent += 1;
    else t.incompetent += 1;
  }
  return t;
}

export interface ConfigureEvaluationCommand {
  satisfiedThreshold: number;
  basicallySatisfiedThreshold: number;
}

function fraction(v: number, field: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0 || v > 1) throw badInput(`${field} must be a fraction greater than 0 and at most 1`, field, 'R-E7');
  return v;
}

/** R-E7 thresholds are ours and configurable per community: 0 < basically satisfied < satisfied ≤ 1. */
export function configureEvaluation(communityId: string, cmd: ConfigureEvaluationCommand): EvaluationSettings {
  const satisfiedThreshold = fraction(cmd.satisfiedThreshold, 'input.satisfiedThreshold');
  const basicallySatisfiedThreshold = fraction(cmd.basicallySatisfiedThreshold, 'input.basicallySatisfiedThreshold');
  if (basicallySatisfiedThreshold >= satisfiedThreshold) {
    throw badInput('basicallySatisfiedThreshold must be below satisfiedThreshold', 'input.basicallySatisfiedThreshold', 'R-E7');
  }
  return { communityId, satisfiedThreshold, basicallySatisfiedThreshold };
}

/** The settings in force for a community: its own, or the defaults (ours). */
export function settingsOrDefault(communityId: string, own: EvaluationSettings | null | undefined): EvaluationSettings {
  return own ? { communityId, satisfiedThreshold: own.satisfiedThreshold, basicallySatisfiedThreshold: own.basicallySatisfiedThreshold } : { communityId, ...DEFAULT_EVALUATION_SETTINGS };
}

export interface OpenSessionCommand {
  title: string;
  subjectKind: string;
  subjectId?: string | null;
}

/**
 * R-E4: opens a session whose electorate is the roll of representatives in office on the day it
 * opens (R-E5: “总数” is that roll, frozen so later elections do not move the quorum).
 * `roll` are representative ids; an empty roll cannot hold an evaluation.
 */
export function openSession(
  id: string,
  communityId: string,
  cmd: OpenSessionCommand,
  roll: readonly string[],
  settings: EvaluationSettings,
  now: Date,
): { session: EvaluationSession; voters: SessionVoter[] } {
  const title = check.text(cmd.title, 'input.title', { max: 200 });
  const subjectKind = check.oneOf(cmd.subjectKind, EVALUATION_SUBJECTS, 'input.subjectKind');
  const subjectId = cmd.subjectId ? check.uuid(cmd.subjectId, 'input.subjectId') : null;
  const voters = [...new Set(roll)];
  if (voters.length === 0) throw conflict('the community has no representatives in office today: nobody could evaluate', 'R-E5', 'input.communityId');
  const session: EvaluationSession = {
    id,
    communityId,
    title,
    subjectKind,
    subjectId,
    status: 'OPEN',
    openedOn: chinaCivilDate(now),
    openedAt: now,
    concludedAt: null,
    satisfiedThreshold: settings.satisfiedThreshold,
    basicallySatisfiedThreshold: settings.basicallySatisfiedThreshold,
    eligible: voters.length,
    participated: 0,
    excellent: null,
    competent: null,
    incompetent: null,
    valid: null,
    grade: null,
    satisfactionRate: null,
    satisfactionLevel: null,
  };
  return { session, voters: voters.map((representativeId) => ({ sessionId: id, representativeId })) };
}

export interface CastBallotCommand {
  grade: string;
}

/**
 * Where the caller stands in this session, as the service found it. The voter is never named
 * in the input: it is the caller, looked up on the session's roll snapshot by the person.
 */
export interface VoterStanding {
  /** the caller's representative id on the session's roll snapshot (R-E5); null: not on it */
  voterId: string | null;
  /** this person already took part (R-E6) */
  alreadyVoted: boolean;
}

/**
 * R-E6 secret ballot: records *that* the voter took part (participation) and, separately,
 * *what* was chosen (a ballot with a fresh random id and no voter, time or order). The two
 * share nothing but the session. Each person on the roll votes at most once.
 */
export function castBallot(
  session: Pick<EvaluationSession, 'id' | 'status' | 'participated'>,
  standing: VoterStanding,
  cmd: CastBallotCommand,
  ballotId: string,
): { participation: Participation; ballot: Ballot; participated: number } {
  const grade = check.oneOf(cmd.grade, EVALUATION_GRADES, 'input.grade');
  if (session.status !== 'OPEN') throw conflict('this evaluation session is closed; no more ballots', 'R-E4', 'input.sessionId');
  if (!standing.voterId) throw forbidden('you are not on the roll of this session: only the representatives in office the day it opened vote', 'R-E5', 'input.sessionId');
  if (standing.alreadyVoted) throw conflict('you have already voted in this session', 'R-E6', 'input.sessionId');
  return {
    participation: { sessionId: session.id, voterId: standing.voterId },
    ballot: { id: ballotId, sessionId: session.id, grade },
    participated: session.participated + 1,
  };
}

export interface SessionCount {
  /** representatives who took part (participation records) */
  participated: number;
  /** the grades of the session's ballots */
  ballots: readonly Pick<Ballot, 'grade'>[];
}

/**
 * Closes and counts a session (R-E4). R-E5: without 4/5 of the roll it is INVALID and gets no
 * grade; otherwise CONCLUDED with the R-E7 grade and satisfaction level by the thresholds frozen
 * at opening. The event carries totals only (R-E6, R-E10).
 */
export function closeSession(session: EvaluationSession, count: SessionCount, now: Date): { session: EvaluationSession; event: PayloadOf<typeof sessionConcluded> } {
  if (session.status !== 'OPEN') throw conflict(`this evaluation session is already closed (${session.status})`, 'R-E4', 'input.sessionId');
  if (count.ballots.length !== count.participated) {
    // one participation, one ballot, always written together: anything else is corruption
    throw new Error(`session ${session.id}: ${count.participated} participations but ${count.ballots.length} ballots`);
  }
  const t = tally(count.ballots);
  const valid = isQuorate(session.eligible, count.participated);
  const grade = valid ? gradeFor(t) : null;
  const satisfactionRate = valid ? satisfactionRateOf(t) : null;
  const satisfactionLevel = satisfactionRate === null ? null : satisfactionLevelFor(satisfactionRate, session);
  const closed: EvaluationSession = {
    ...session,
    status: valid ? 'CONCLUDED' : 'INVALID',
    concludedAt: now,
    participated: count.participated,
    ...t,
    valid,
    grade,
    satisfactionRate,
    satisfactionLevel,
  };
  return {
    session: closed,
    event: {
      sessionId: session.id,
      communityId: session.communityId,
      subjectKind: session.subjectKind,
      ...(session.subjectId ? { subjectId: session.subjectId } : {}),
      title: session.title,
      concludedAt: now.toISOString(),
      eligible: session.eligible,
      participated: count.participated,
      valid,
      ...t,
      ...(grade ? { grade } : {}),
      ...(satisfactionRate !== null ? { satisfactionRate } : {}),
      ...(satisfactionLevel ? { satisfactionLevel } : {}),
    },
  };
}

/**
 * R-E6 mixing the ballot box before the count: the same grades under fresh random ids, ordered
 * by those ids, so neither the ids nor the order in which the rows are stored again can be
 * lined up with the order in which representatives voted.
 */
export function mixBallots(ballots: readonly Ballot[], freshId: () => string): Ballot[] {
  return ballots
    .map((b) => ({ id: freshId(), sessionId: b.sessionId, grade: b.grade }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
