import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { AssemblyKind, Attendance, Meeting, Vote, VoteChoice } from '@cdp/deliberation-domain';

/** A meeting of the residents' representative assembly 居民代表会议, with its counts against the roll (R-D3). */
@Entity({ tableName: 'meeting' })
@Index({ properties: ['communityId', 'heldOn'] })
export class MeetingEntity implements Meeting {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  communityId!: string;

  @Property({ type: 'string', length: 40 })
  body!: AssemblyKind;

  @Property({ type: 'string', length: 10 })
  heldOn!: string;

  @Property({ type: 'integer' })
  eligible!: number;

  @Property({ type: 'integer' })
  attended!: number;

  @Property({ type: 'boolean' })
  quorate!: boolean;

  @Property({ type: 'datetime' })
  recordedAt!: Date;
}

/** Who attended a meeting (audit; R-D5 participation). */
@Entity({ tableName: 'meeting_attendance' })
@Unique({ properties: ['meetingId', 'representativeId'] })
export class MeetingAttendanceEntity implements Attendance {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  @Index()
  meetingId!: string;

  @Property({ type: 'uuid' })
  representativeId!: string;
}

/**
 * One representative's vote on one motion, kept for audit. R-D3 one representative, one vote
 * per motion — also enforced by the database; a motion is voted at one meeting only.
 */
@Entity({ tableName: 'vote' })
@Unique({ properties: ['motionId', 'representativeId'] })
export class VoteEntity implements Vote {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  @Index()
  meetingId!: string;

  @Property({ type: 'uuid' })
  motionId!: string;

  @Property({ type: 'uuid' })
  representativeId!: string;

  @Property({ type: 'string', length: 10 })
  choice!: VoteChoice;
}
