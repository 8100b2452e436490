import { Entity, Index, PrimaryKey, PrimaryKeyProp, Property } from '@mikro-orm/core';
import type { Ballot, EvaluationGrade, EvaluationSession, EvaluationSubject, Participation, SatisfactionLevel, SessionStatus, SessionVoter } from '@cdp/evaluation-domain';

/** 民主评议 — one evaluation session (R-E4); the counts stay null until it is closed. */
@Entity({ tableName: 'evaluation_session' })
@Index({ properties: ['communityId', 'openedAt'] })
export class EvaluationSessionEntity implements EvaluationSession {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  communityId!: string;

  @Property({ type: 'string', length: 200 })
  title!: string;

  @Property({ type: 'string', length: 30 })
  subjectKind!: EvaluationSubject;

  @Property({ type: 'uuid', nullable: true })
  subjectId!: string | null;

  @Property({ type: 'string', length: 20 })
  status!: SessionStatus;

  @Property({ type: 'string', length: 10 })
  openedOn!: string;

  @Property({ type: 'datetime' })
  openedAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  concludedAt!: Date | null;

  @Property({ type: 'double', runtimeType: 'number' })
  satisfiedThreshold!: number;

  @Property({ type: 'double', runtimeType: 'number' })
  basicallySatisfiedThreshold!: number;

  @Property({ type: 'integer' })
  eligible!: number;

  @Property({ type: 'integer' })
  participated!: number;

  @Property({ type: 'integer', nullable: true })
  excellent!: number | null;

  @Property({ type: 'integer', nullable: true })
  competent!: number | null;

  @Property({ type: 'integer', nullable: true })
  incompetent!: number | null;

  @Property({ type: 'boolean', nullable: true })
  valid!: boolean | null;

  @Property({ type: 'string', length: 20, nullable: true })
  grade!: EvaluationGrade | null;

  @Property({ type: 'double', runtimeType: 'number', nullable: true })
  satisfactionRate!: number | null;

  @Property({ type: 'string', length: 30, nullable: true })
  satisfactionLevel!: SatisfactionLevel | null;
}

/**
 * The roll of a session: representatives in office the day it opened (R-E5), frozen, with the
 * person (resident id) holding each seat — the caller of castBallot is found here by the
 * subject of their token. Not exposed by the API.
 */
@Entity({ tableName: 'evaluation_session_voter' })
@Index({ properties: ['sessionId', 'residentId'] })
export class SessionVoterEntity implements SessionVoter {
  [PrimaryKeyProp]?: ['sessionId', 'representativeId'];

  @PrimaryKey({ type: 'uuid' })
  sessionId!: string;

  @PrimaryKey({ type: 'uuid' })
  representativeId!: string;

  /** the person holding the seat (null only for rows written before it was kept and not yet back-filled) */
  @Property({ type: 'uuid', nullable: true })
  residentId!: string | null;
}

/**
 * R-E6: *that* a representative voted in a session, never what they chose. The primary key
 * makes a second vote impossible. Deliberately no ballot reference, no time, no sequence.
 */
@Entity({ tableName: 'evaluation_participation' })
export class ParticipationEntity implements Participation {
  [PrimaryKeyProp]?: ['sessionId', 'voterId'];

  @PrimaryKey({ type: 'uuid' })
  sessionId!: string;

  /** representative id */
  @PrimaryKey({ type: 'uuid' })
  voterId!: string;
}

/**
 * R-E6: *what* was chosen, never who chose it. A random id, the session and the grade —
 * deliberately no voter, no time, no sequence. Re-mixed under fresh ids when the session closes.
 * On SQLite the table is `WITHOUT ROWID` (see storage.ts): rows are kept in the order of the
 * random id, so not even the storage order follows the order of voting.
 */
@Entity({ tableName: 'evaluation_ballot' })
export class BallotEntity implements Ballot {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  @Index()
  sessionId!: string;

  @Property({ type: 'string', length: 20 })
  grade!: EvaluationGrade;
}
