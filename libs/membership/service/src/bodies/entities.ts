import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { BodyKind, BodyMembership } from '@cdp/membership-domain';

/** A seat on a body of the community (居务监督委员会 …), time-bounded (R-M3). */
@Entity({ tableName: 'body_membership' })
export class BodyMembershipEntity implements BodyMembership {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  @Index()
  communityId!: string;

  @Property({ type: 'uuid' })
  @Index()
  residentId!: string;

  @Property({ type: 'string', length: 40 })
  body!: BodyKind;

  @Property({ type: 'string', length: 10 })
  startedOn!: string;

  @Property({ type: 'string', length: 10, nullable: true })
  endsOn!: string | null;
}
