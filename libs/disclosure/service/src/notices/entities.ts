import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Notice, NoticeCategory, NoticeStatus } from '@cdp/disclosure-domain';

/**
 * 公开/公示 — a notice. One notice per (category, source): a resolution is disclosed once however
 * often its event is delivered (R-P3). Published rows are never updated again (R-P5).
 */
@Entity({ tableName: 'notice' })
@Unique({ properties: ['category', 'sourceId'] })
@Index({ properties: ['communityId', 'createdAt'] })
export class NoticeEntity implements Notice {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  communityId!: string;

  @Property({ type: 'string', length: 40 })
  category!: NoticeCategory;

  @Property({ type: 'uuid', nullable: true })
  sourceId!: string | null;

  @Property({ type: 'string', length: 200 })
  title!: string;

  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'string', length: 20 })
  status!: NoticeStatus;

  @Property({ type: 'string', length: 10 })
  dueOn!: string;

  @Property({ type: 'boolean' })
  dueDateApproximate!: boolean;

  @Property({ type: 'datetime' })
  createdAt!: Date;

  @Property({ type: 'datetime', nullable: true })
  publishedAt!: Date | null;

  @Property({ type: 'uuid', nullable: true })
  approvedBy!: string | null;

  @Property({ type: 'uuid', nullable: true })
  returnedBy!: string | null;

  @Property({ type: 'string', length: 500, nullable: true })
  returnReason!: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  contentHash!: string | null;
}
