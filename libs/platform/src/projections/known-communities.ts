import { Entity, PrimaryKey, Property } from '@mikro-orm/core';
import { communityRegistered } from '@cdp/contracts';
import { notFound } from '@cdp/util';
import type { Em } from '../orm';
import { on } from '../messaging/consumer';

/**
 * A service's own copy of which communities exist, kept from
 * `membership.community.registered.v1`. Services never ask membership; a community they have
 * not heard of is NOT_FOUND to them.
 */
@Entity({ tableName: 'known_community' })
export class KnownCommunity {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  districtId!: string;

  @Property({ type: 'string', length: 100 })
  street!: string;

  @Property({ type: 'string', length: 100 })
  name!: string;

  @Property({ type: 'datetime' })
  registeredAt!: Date;
}

/** Handler keeping `known_community` (idempotent: an upsert by id). */
export const knownCommunityHandler = on(communityRegistered, async (em, p) => {
  const existing = await em.findOne(KnownCommunity, { id: p.communityId });
  if (existing) return;
  em.persist(em.create(KnownCommunity, { id: p.communityId, districtId: p.districtId, street: p.street, name: p.name, registeredAt: new Date(p.registeredAt) }));
});

/** The community, or NOT_FOUND naming the input field. */
export async function requireKnownCommunity(em: Em, id: string, field = 'input.communityId'): Promise<KnownCommunity> {
  const c = await em.findOne(KnownCommunity, { id });
  if (!c) throw notFound('community', id, field);
  return c;
}
