import { KnownCommunity, groupedLoader, keyedLoader, type Em, type RequestContext } from '@cdp/platform';
import { hasRole, mayRead, requireRead, type Actor, type CommunityPlace } from '@cdp/util';
import { NoticeEntity } from './notices/entities';

/** Per-request loaders: one SQL query per entity type and request, however many keys. */
export function createLoaders(em: Em) {
  const ids = (keys: readonly string[]) => ({ $in: [...keys] });
  return {
    notice: keyedLoader((k: readonly string[]) => em.find(NoticeEntity, { id: ids(k) }), (n) => n.id),
    /** every notice of each community, newest first (filtered by status in memory) */
    noticesByCommunity: groupedLoader(
      (k: readonly string[]) => em.find(NoticeEntity, { communityId: ids(k) }, { orderBy: { createdAt: 'desc', id: 'desc' } }),
      (n) => n.communityId,
    ),
    /** where a community sits (street, district), for read checks (R-AUTH) */
    knownCommunity: keyedLoader((k: readonly string[]) => em.find(KnownCommunity, { id: ids(k) }), (c) => c.id),
  };
}

export type DisclosureLoaders = ReturnType<typeof createLoaders>;
export type Context = RequestContext<DisclosureLoaders>;

/** Street and district officials read by where a community sits; everyone else by its id alone. */
const readsByPlace = (actor: Actor) => hasRole(actor, 'STREET_OFFICIAL', 'DISTRICT_OFFICIAL');

/**
 * R-AUTH: where the community sits, for `mayRead`. Disclosure's own copy of the community
 * (KnownCommunity); a community not heard of yet (events arrive in any order) is checked by
 * its id only. Loaded only when it can matter, i.e. for street and district officials.
 */
async function placeOf(ctx: Context, communityId: string): Promise<CommunityPlace> {
  if (!ctx.actor || mayRead(ctx.actor, { id: communityId }) || !readsByPlace(ctx.actor)) return { id: communityId };
  const known = await ctx.loaders.knownCommunity.load(communityId);
  return known ? { id: known.id, street: known.street, districtId: known.districtId } : { id: communityId };
}

/**
 * R-AUTH: may the caller read the non-public disclosure data of this community (unpublished
 * notices, overdue counts, settings)? ADMIN all; a district / street official the communities of
 * their district / street; anyone else the communities in their token. Published notices are
 * public and need no check.
 */
export async function mayReadCommunity(ctx: Context, communityId: string): Promise<boolean> {
  return mayRead(ctx.actor, await placeOf(ctx, communityId));
}

/** R-AUTH: as `mayReadCommunity`, but UNAUTHENTICATED without a token and FORBIDDEN without scope. */
export async function assertRead(ctx: Context, communityId: string): Promise<void> {
  requireRead(ctx.actor, await placeOf(ctx, communityId));
}

/**
 * R-AUTH: the communities whose non-public data the caller may read, for lists across
 * communities: `'all'` for ADMIN, else the token's communities plus, for officials, the known
 * communities of their street / district (empty without a token).
 */
export async function readableCommunities(ctx: Context): Promise<'all' | string[]> {
  const actor = ctx.actor;
  if (!actor) return [];
  if (hasRole(actor, 'ADMIN')) return 'all';
  const ids = new Set(actor.communities);
  const places: { street?: string; districtId?: string }[] = [];
  if (hasRole(actor, 'STREET_OFFICIAL') && actor.street) places.push({ street: actor.street });
  if (hasRole(actor, 'DISTRICT_OFFICIAL') && actor.district) places.push({ districtId: actor.district });
  if (places.length) for (const c of await ctx.em.find(KnownCommunity, { $or: places }, { fields: ['id'] })) ids.add(c.id);
  return [...ids];
}
