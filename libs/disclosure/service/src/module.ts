import { KnownCommunity, knownCommunityHandler, type ServiceModule } from '@cdp/platform';
import { CommunityNoticesResolver, NoticeCommunityResolver, type CommunityRef } from './communities/graphql';
import { NoticeEntity } from './notices/entities';
import { NoticeResolver } from './notices/graphql';
import { resolutionAdoptedHandler, resolutionRejectedHandler } from './notices/handlers';
import { DisclosureSettingsEntity } from './settings/entities';
import { DisclosureSettingsResolver } from './settings/graphql';
import { SupervisorSeatEntity } from './supervisors/entities';
import { bodyMemberAppointedHandler } from './supervisors/handlers';
import { createLoaders, type DisclosureLoaders } from './loaders';

/**
 * The disclosure service 居务公开, registered in one place: drafts resolution notices from
 * deliberation's events (R-P3), has the supervision committee review them (R-P4) and publishes
 * them immutably (R-P5). Owns `Notice`; adds `notices` and `overdueNotices` to `Community`.
 */
export const disclosureModule: ServiceModule<DisclosureLoaders> = {
  name: 'disclosure',
  defaultPort: 4003,
  entities: [NoticeEntity, SupervisorSeatEntity, DisclosureSettingsEntity, KnownCommunity],
  resolvers: [NoticeResolver, NoticeCommunityResolver, CommunityNoticesResolver, DisclosureSettingsResolver],
  referenceResolvers: {
    // nothing to load: the fields disclosure adds are resolved (batched) from the id alone
    Community: { __resolveReference: (ref: { id: string }): CommunityRef => ({ id: ref.id }) },
  },
  handlers: [knownCommunityHandler, bodyMemberAppointedHandler, resolutionAdoptedHandler, resolutionRejectedHandler],
  createLoaders,
};
