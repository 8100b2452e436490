import { KnownCommunity, knownCommunityHandler, REPRESENTATIVE_ROLL, type ServiceModule } from '@cdp/platform';
import { CommunityAssemblyResolver } from './communities/graphql';
import { MotionEntity } from './motions/entities';
import { CommunityMotionsResolver, MotionResolver } from './motions/graphql';
import { MeetingAttendanceEntity, MeetingEntity, VoteEntity } from './meetings/entities';
import { CommunityMeetingsResolver, MeetingResolver } from './meetings/graphql';
import { ResolutionEntity } from './resolutions/entities';
import { CommunityResolutionsResolver, MeetingResolutionsResolver, MotionResolutionResolver, ResolutionResolver, VoteResolver } from './resolutions/graphql';
import { createLoaders, type Context, type DeliberationLoaders } from './loaders';

/**
 * The deliberation service 议事决策, registered in one place: motions 议案, meetings of the
 * residents' representative assembly 居民代表会议 and their resolutions 决议. Extends
 * `Community`; keeps its own copy of the known communities and of the representatives' roll
 * from membership events.
 */
export const deliberationModule: ServiceModule<DeliberationLoaders> = {
  name: 'deliberation',
  defaultPort: 4002,
  entities: [MotionEntity, MeetingEntity, MeetingAttendanceEntity, VoteEntity, ResolutionEntity, KnownCommunity, ...REPRESENTATIVE_ROLL.entities],
  resolvers: [
    CommunityAssemblyResolver,
    MotionResolver,
    CommunityMotionsResolver,
    MeetingResolver,
    CommunityMeetingsResolver,
    ResolutionResolver,
    VoteResolver,
    MotionResolutionResolver,
    MeetingResolutionsResolver,
    CommunityResolutionsResolver,
  ],
  referenceResolvers: {
    // a plain reference: every Community field here is resolved through the per-request loaders
    Community: { __resolveReference: (ref: { id: string }, _ctx: Context) => ({ id: ref.id }) },
  },
  handlers: [knownCommunityHandler, ...REPRESENTATIVE_ROLL.handlers],
  createLoaders,
};
