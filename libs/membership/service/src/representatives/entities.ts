import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { Representative, RepresentativeEndReason } from '@cdp/membership-domain';

/** 居民代表 — one row per term of office; ended terms are kept (R-M3). */
@Entity({ tableName: 'representative' })
export class RepresentativeEntity implements Representative {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  @Index()
  communityId!: string;

  @Property({ type: 'uuid' })
  @Index()
  groupId!: string;

  @Property({ type: 'uuid' })
  @Index()
  residentId!: string;

  @Property({ type: 'string', length: 10 })
  termStart!: string;

  @Property({ type: 'string', length: 10 })
  termEnd!: string;

  @Property({ type: 'string', length: 10, nullable: true })
  endedOn!: string | null;

  @Property({ type: 'string', length: 20, nullable: true })
  endReason!: RepresentativeEndReason | null;
}
