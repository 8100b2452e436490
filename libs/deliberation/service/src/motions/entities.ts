import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { Motion, MotionStatus } from '@cdp/deliberation-domain';

/** 议案 — a motion; PROPOSED until one meeting decides it (R-D3, R-D5). */
@Entity({ tableName: 'motion' })
@Index({ properties: ['communityId', 'proposedOn'] })
export class MotionEntity implements Motion {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  communityId!: string;

  @Property({ type: 'string', length: 200 })
  title!: string;

  @Property({ type: 'text', nullable: true })
  description!: string | null;

  /** R-D6 重大事项 */
  @Property({ type: 'boolean' })
  major!: boolean;

  @Property({ type: 'string', length: 10 })
  status!: MotionStatus;

  @Property({ type: 'string', length: 10 })
  proposedOn!: string;

  /** when it was recorded (orders motions proposed on the same day) */
  @Property({ type: 'datetime' })
  createdAt!: Date;
}
