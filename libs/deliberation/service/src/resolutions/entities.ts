import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Resolution, ResolutionStatus } from '@cdp/deliberation-domain';

/** 决议 — the outcome of one motion at one quorate meeting; adopted and rejected are both kept (R-D5). */
@Entity({ tableName: 'resolution' })
@Index({ properties: ['communityId', 'decidedOn'] })
export class ResolutionEntity implements Resolution {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  /** a motion is decided once */
  @Property({ type: 'uuid' })
  @Unique()
  motionId!: string;

  @Property({ type: 'uuid' })
  @Index()
  meetingId!: string;

  @Property({ type: 'uuid' })
  communityId!: string;

  @Property({ type: 'string', length: 10 })
  status!: ResolutionStatus;

  @Property({ type: 'string', length: 10 })
  decidedOn!: string;

  @Property({ type: 'integer' })
  eligible!: number;

  @Property({ type: 'integer' })
  attended!: number;

  @Property({ type: 'integer' })
  votesFor!: number;

  @Property({ type: 'integer' })
  votesAgainst!: number;

  @Property({ type: 'integer' })
  abstentions!: number;

  /** R-D3 with the numbers, e.g. "R-D3: 8 of 9 attended (quorum: more than 4.5); 6 of 8 voted for (majority: more than 4)" */
  @Property({ type: 'string', length: 500 })
  rule!: string;
}
