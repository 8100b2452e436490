import type { ASSEMBLY_KINDS } from '@cdp/contracts';

/** A motion starts PROPOSED and is decided once, by one meeting (R-D3, R-D5). */
export const MOTION_STATUSES = ['PROPOSED', 'ADOPTED', 'REJECTED'] as const;
/** R-D5: both outcomes are kept and counted. */
export const RESOLUTION_STATUSES = ['ADOPTED', 'REJECTED'] as const;
/** R-D3: for 赞成 / against 反对 / abstain 弃权. */
export const VOTE_CHOICES = ['FOR', 'AGAINST', 'ABSTAIN'] as const;

export type MotionStatus = (typeof MOTION_STATUSES)[number];
export type ResolutionStatus = (typeof RESOLUTION_STATUSES)[number];
export type VoteChoice = (typeof VOTE_CHOICES)[number];
export type AssemblyKind = (typeof ASSEMBLY_KINDS)[number];

/** 议案 — a motion put to the residents' representative assembly. */
export interface Motion {
  id: string;
  communityId: string;
  /** 1–200 characters */
  title: string;
  /** up to 5000 characters */
  description: string | null;
  /** R-D6 major matter 重大事项, reported to the street office; flagged at creation */
  major: boolean;
  status: MotionStatus;
  proposedOn: string;
}

/** A meeting of the residents' representative assembly 居民代表会议 (R-D3). */
export interface Meeting {
  id: string;
  communityId: string;
  body: AssemblyKind;
  heldOn: string;
  /** members on the roll at the meeting date */
  eligible: number;
  attended: number;
  /** R-D3: more than half of the eligible members attended */
  quorate: boolean;
}

/** Who attended a meeting (kept for audit and for participation, R-D5). */
export interface Attendance {
  id: string;
  meetingId: string;
  representativeId: string;
}

/** One representative's vote on one motion (kept for audit; R-D3 one vote per motion). */
export interface Vote {
  id: string;
  meetingId: string;
  motionId: string;
  representativeId: string;
  choice: VoteChoice;
}

/** 决议 — the outcome of a motion at a quorate meeting, with the numbers that decided it. */
export interface Resolution {
  id: string;
  motionId: string;
  meetingId: string;
  communityId: string;
  status: ResolutionStatus;
  decidedOn: string;
  eligible: number;
  attended: number;
  votesFor: number;
  votesAgainst: number;
  /** explicit abstentions plus present members who did not vote */
  abstentions: number;
  /** the rule with the numbers, e.g. "R-D3: 8 of 9 attended (quorum: more than 4.5); 6 of 8 voted for (majority: more than 4)" */
  rule: string;
}

/**
 * One term of office on the assembly's roll, as this service learned it from membership events.
 * `termStart` is null while only a term-ended event has arrived (out of order).
 */
export interface RollMember {
  id: string;
  termStart: string | null;
  termEnd: string | null;
  endedOn: string | null;
}

/** The only assembly that votes in this version (R-D9 names others for later). */
export const REPRESENTATIVE_ASSEMBLY: AssemblyKind = 'REPRESENTATIVE_ASSEMBLY';
