import { configureDisclosure as decide, settingsOrDefault, type DisclosureSettings } from '@cdp/disclosure-domain';
import { requireKnownCommunity, type Em } from '@cdp/platform';
import { RUNS_PROCEDURES, check, requireActIn, requireRead, type Actor } from '@cdp/util';
import { DisclosureSettingsEntity } from './entities';

/**
 * R-P3: stores a community's disclosure settings (an upsert). Applies to notices drafted from
 * then on; the due dates of existing notices stay as they were drafted. R-AUTH: STAFF or
 * COMMITTEE of the community.
 */
export async function configureDisclosure(em: Em, actor: Actor | null, input: { communityId: string; resolutionDueWorkingDays: number }): Promise<DisclosureSettingsEntity> {
  const communityId = check.uuid(input.communityId, 'input.communityId');
  const settings = decide(communityId, input);
  return em.transactional(async (tx) => {
    await requireKnownCommunity(tx, communityId);
    requireActIn(actor, communityId, RUNS_PROCEDURES);
    return tx.upsert(DisclosureSettingsEntity, { ...settings, updatedAt: new Date() });
  });
}

/**
 * The community's settings, or the defaults when it has none (NOT_FOUND when unknown). R-AUTH:
 * not public — read scope over the community (UNAUTHENTICATED without a token, else FORBIDDEN).
 */
export async function disclosureSettings(em: Em, actor: Actor | null, communityId: string): Promise<DisclosureSettings> {
  const id = check.uuid(communityId, 'communityId');
  const community = await requireKnownCommunity(em, id, 'communityId');
  requireRead(actor, { id: community.id, street: community.street, districtId: community.districtId });
  const stored = await em.findOne(DisclosureSettingsEntity, { communityId: id });
  return settingsOrDefault(id, stored);
}
