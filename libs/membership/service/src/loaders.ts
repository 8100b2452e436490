import DataLoader from 'dataloader';
import { raw } from '@mikro-orm/core';
import { groupedLoader, keyedLoader, type Em, type RequestContext } from '@cdp/platform';
import { notFound, requireRead } from '@cdp/util';
import { CommunityEntity, DistrictEntity, ResidentGroupEntity } from './communities/entities';
import { ResidentEntity } from './residents/entities';
import { RepresentativeEntity } from './representatives/entities';
import { BodyMembershipEntity } from './bodies/entities';

/** Per-request loaders: one SQL query per entity type and request, however many keys. */
export function createLoaders(em: Em) {
  const ids = (keys: readonly string[]) => ({ $in: [...keys] });
  return {
    district: keyedLoader((k: readonly string[]) => em.find(DistrictEntity, { id: ids(k) }), (d) => d.id),
    community: keyedLoader((k: readonly string[]) => em.find(CommunityEntity, { id: ids(k) }), (c) => c.id),
    group: keyedLoader((k: readonly string[]) => em.find(ResidentGroupEntity, { id: ids(k) }), (g) => g.id),
    representative: keyedLoader((k: readonly string[]) => em.find(RepresentativeEntity, { id: ids(k) }), (r) => r.id),
    resident: keyedLoader((k: readonly string[]) => em.find(ResidentEntity, { id: ids(k) }), (r) => r.id),
    communitiesByDistrict: groupedLoader((k: readonly string[]) => em.find(CommunityEntity, { districtId: ids(k) }, { orderBy: { name: 'asc' } }), (c) => c.districtId),
    groupsByCommunity: groupedLoader((k: readonly string[]) => em.find(ResidentGroupEntity, { communityId: ids(k) }, { orderBy: { name: 'asc' } }), (g) => g.communityId),
    representativesByCommunity: groupedLoader(
      (k: readonly string[]) => em.find(RepresentativeEntity, { communityId: ids(k) }, { orderBy: { termStart: 'asc', id: 'asc' } }),
      (r) => r.communityId,
    ),
    representativesByGroup: groupedLoader((k: readonly string[]) => em.find(RepresentativeEntity, { groupId: ids(k) }, { orderBy: { termStart: 'asc', id: 'asc' } }), (r) => r.groupId),
    bodyMembersByCommunity: groupedLoader((k: readonly string[]) => em.find(BodyMembershipEntity, { communityId: ids(k) }, { orderBy: { startedOn: 'asc', id: 'asc' } }), (m) => m.communityId),
    residentCountByCommunity: new DataLoader<string, number>(async (k) => {
      const rows: { communityId: string; n: number | string }[] = await em
        .createQueryBuilder(ResidentEntity)
        .select(['communityId', raw('count(*) as n')])
        .where({ communityId: ids(k) })
        .groupBy('communityId')
        .execute();
      const counts = new Map(rows.map((r) => [r.communityId, Number(r.n)]));
      return k.map((id) => counts.get(id) ?? 0);
    }),
  };
}

export type MembershipLoaders = ReturnType<typeof createLoaders>;
export type Context = RequestContext<MembershipLoaders>;

/**
 * Non-public data of a community (groups, residents, representatives, bodies) is read only by
 * those who act in it, and by the street / district officials over it (access policy in @cdp/util).
 */
export async function assertRead(ctx: Context, communityId: string): Promise<void> {
  const community = await ctx.loaders.community.load(communityId);
  if (!community) throw notFound('community', communityId);
  requireRead(ctx.actor, { id: community.id, street: community.street, districtId: community.districtId });
}
