import { configureDisclosure as decide, settingsOrDefault, type DisclosureSettings } from '@cdp/disclosure-domain';
import { requireKnownCommunity, type Em } from '@cdp/platform';
import { check } from '@cdp/util';
import { DisclosureSettingsEntity } from './entities';

/**
 * R-P3: stores a community's disclosure settings (an upsert). Applies to notices drafted from
 * then on; the due dates of existing notices stay as they were drafted.
 */
export async function configureDisclosure(em: Em, input: { communityId: string; resolutionDueWorkingDays: number }): Promise<DisclosureSettingsEntity> {
  const communityId = check.uuid(input.communityId, 'input.communityId');
  const settings = decide(communityId, input);
  return em.transactional(async (tx) => {
    await requireKnownCommunity(tx, communityId);
    return tx.upsert(DisclosureSettingsEntity, { ...settings, updatedAt: new Date() });
  });
}

/** The community's settings, or the defaults when it has none (NOT_FOUND when unknown). */
export async function disclosureSettings(em: Em, communityId: string): Promise<DisclosureSettings> {
  const id = check.uuid(communityId, 'communityId');
  await requireKnownCommunity(em, id, 'communityId');
  const stored = await em.findOne(DisclosureSettingsEntity, { communityId: id });
  return settingsOrDefault(id, stored);
}
