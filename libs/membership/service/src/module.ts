import type { ServiceModule } from '@cdp/platform';
import { CommunityEntity, DistrictEntity, ResidentGroupEntity } from './communities/entities';
import { CommunityResolver, DistrictResolver, ResidentGroupResolver } from './communities/graphql';
import { ResidentEntity } from './residents/entities';
import { ResidentResolver } from './residents/graphql';
import { RepresentativeEntity } from './representatives/entities';
import { CommunityRepresentativesResolver, GroupRepresentativesResolver, RepresentativeResolver } from './representatives/graphql';
import { BodyMembershipEntity } from './bodies/entities';
import { BodyMembershipResolver, CommunityBodiesResolver } from './bodies/graphql';
import { assertRead, createLoaders, type Context, type MembershipLoaders } from './loaders';

/**
 * The membership service, registered in one place: who lives where, who represents whom,
 * who sits on which body. Owns `Community` in the federated graph.
 */
export const membershipModule: ServiceModule<MembershipLoaders> = {
  name: 'membership',
  defaultPort: 4001,
  entities: [DistrictEntity, CommunityEntity, ResidentGroupEntity, ResidentEntity, RepresentativeEntity, BodyMembershipEntity],
  resolvers: [
    DistrictResolver,
    CommunityResolver,
    ResidentGroupResolver,
    ResidentResolver,
    RepresentativeResolver,
    CommunityRepresentativesResolver,
    GroupRepresentativesResolver,
    BodyMembershipResolver,
    CommunityBodiesResolver,
  ],
  referenceResolvers: {
    Community: { __resolveReference: (ref: { id: string }, ctx: Context) => ctx.loaders.community.load(ref.id) },
    Representative: {
      __resolveReference: async (ref: { id: string }, ctx: Context) => {
        const r = await ctx.loaders.representative.load(ref.id);
        if (r) await assertRead(ctx, r.communityId);
        return r;
      },
    },
  },
  handlers: [],
  createLoaders,
};
