import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { Resident } from '@cdp/membership-domain';

/** 居民 — the only table holding personal data; it never leaves this service in events. */
@Entity({ tableName: 'resident' })
export class ResidentEntity implements Resident {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  @Index()
  communityId!: string;

  @Property({ type: 'uuid' })
  @Index()
  groupId!: string;

  @Property({ type: 'string', length: 50 })
  name!: string;

  @Property({ type: 'string', length: 10 })
  birthDate!: string;

  @Property({ type: 'string', length: 18, nullable: true })
  idNumber!: string | null;

  @Property({ type: 'string', length: 11, nullable: true })
  phone!: string | null;

  @Property({ type: 'string', length: 10 })
  registeredOn!: string;
}
