import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { SupervisorSeat } from '@cdp/disclosure-domain';

/**
 * Disclosure's own roll of the supervision committee 居务监督委员会 (R-P4), kept from
 * `membership.body-member.appointed.v1` (SUPERVISION_COMMITTEE only). Ids, no personal data.
 */
@Entity({ tableName: 'supervisor_seat' })
@Index({ properties: ['communityId', 'residentId'] })
export class SupervisorSeatEntity implements SupervisorSeat {
  /** the membership id announced by membership */
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  communityId!: string;

  @Property({ type: 'uuid' })
  residentId!: string;

  @Property({ type: 'string', length: 10 })
  startedOn!: string;

  @Property({ type: 'string', length: 10, nullable: true })
  endsOn!: string | null;
}
