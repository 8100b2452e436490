import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { Community, ResidentGroup } from '@cdp/membership-domain';

/** 区 */
@Entity({ tableName: 'district' })
export class DistrictEntity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'string', length: 100 })
  @Unique()
  name!: string;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}

/** 社区 */
@Entity({ tableName: 'community' })
@Unique({ properties: ['districtId', 'name'] })
export class CommunityEntity implements Community {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  @Index()
  districtId!: string;

  @Property({ type: 'string', length: 100 })
  street!: string;

  @Property({ type: 'string', length: 100 })
  name!: string;

  @Property({ type: 'integer' })
  representativeTermYears!: number;

  @Property({ type: 'integer' })
  minRepresentativesPerGroup!: number;

  @Property({ type: 'integer' })
  maxRepresentativesPerGroup!: number;

  @Property({ type: 'datetime' })
  createdAt!: Date;
}

/** 居民小组 */
@Entity({ tableName: 'resident_group' })
@Unique({ properties: ['communityId', 'name'] })
export class ResidentGroupEntity implements ResidentGroup {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  @Index()
  communityId!: string;

  @Property({ type: 'string', length: 100 })
  name!: string;
}
