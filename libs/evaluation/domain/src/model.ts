import type { EVALUATION_GRADES, EVALUATION_SUBJECTS, SATISFACTION_LEVELS } from '@cdp/contracts';

/** What is evaluated (R-E1). */
export type EvaluationSubject = (typeof EVALUATION_SUBJECTS)[number];
/** 优秀 / 称职 / 不称职 (R-E7). */
export type EvaluationGrade = (typeof EVALUATION_GRADES)[number];
/** 满意 / 基本满意 / 不满意 (R-E7). */
export type SatisfactionLevel = (typeof SATISFACTION_LEVELS)[number];

/**
 * OPEN: representatives are voting. CONCLUDED: closed with at least 4/5 of the roll taking
 * part (R-E5), counted and graded (R-E7). INVALID: closed without the 4/5; counted, not graded.
 */
export const SESSION_STATUSES = ['OPEN', 'CONCLUDED', 'INVALID'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/**
 * R-E7 thresholds of the satisfaction levels. The seeds leave them blank: the defaults are ours
 * and each community may configure its own.
 */
export interface EvaluationSettings {
  communityId: string;
  /** satisfied 满意 from this satisfaction rate (default 0.8) */
  satisfiedThreshold: number;
  /** basically satisfied 基本满意 from this satisfaction rate (default 0.6) */
  basicallySatisfiedThreshold: number;
}

export const DEFAULT_EVALUATION_SETTINGS = {
  satisfiedThreshold: 0.8,
  basicallySatisfiedThreshold: 0.6,
} as const;

/** The counts of a closed session; totals only (R-E6, R-E10). */
export interface Tally {
  excellent: number;
  competent: number;
  incompetent: number;
}

/** 民主评议 — one evaluation session of a community (R-E4). */
export interface EvaluationSession {
  id: string;
  communityId: string;
  title: string;
  subjectKind: EvaluationSubject;
  subjectId: string | null;
  status: SessionStatus;
  /** civil date (China) the session was opened; the roll is the representatives in office that day */
  openedOn: string;
  openedAt: Date;
  concludedAt: Date | null;
  /** R-E7 thresholds in force when the session opened (changing the settings later does not move them) */
  satisfiedThreshold: number;
  basicallySatisfiedThreshold: number;
  /** representatives on the roll snapshot (R-E5) */
  eligible: number;
  /** representatives who cast a ballot so far */
  participated: number;
  // Set when the session is closed, null while OPEN so nobody watches a running count (R-E6, R-E10).
  excellent: number | null;
  competent: number | null;
  incompetent: number | null;
  valid: boolean | null;
  grade: EvaluationGrade | null;
  satisfactionRate: number | null;
  satisfactionLevel: SatisfactionLevel | null;
}

/** One representative on a session's roll snapshot (R-E5). */
export interface SessionVoter {
  sessionId: string;
  representativeId: string;
}

/** That a representative voted in a session — never what they chose (R-E6). */
export interface Participation {
  sessionId: string;
  voterId: string;
}

/** What was chosen — never who chose it, nor when, nor in which order (R-E6). */
export interface Ballot {
  id: string;
  sessionId: string;
  grade: EvaluationGrade;
}
