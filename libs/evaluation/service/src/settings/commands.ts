import { configureEvaluation as decideSettings, settingsOrDefault, type ConfigureEvaluationCommand, type EvaluationSettings } from '@cdp/evaluation-domain';
import { forUpdate, requireKnownCommunity, type Em } from '@cdp/platform';
import { RUNS_PROCEDURES, check, requireActIn, type Actor } from '@cdp/util';
import { EvaluationSettingsEntity } from './entities';

/** R-E7: sets a community's satisfaction thresholds; sessions opened afterwards use them. STAFF or COMMITTEE of the community. */
export async function configureEvaluation(em: Em, actor: Actor | null, input: ConfigureEvaluationCommand & { communityId: string }): Promise<EvaluationSettingsEntity> {
  const communityId = check.uuid(input.communityId, 'input.communityId');
  const settings = decideSettings(communityId, input);
  return em.transactional(async (tx) => {
    await requireKnownCommunity(tx, communityId);
    requireActIn(actor, communityId, RUNS_PROCEDURES);
    const existing = await tx.findOne(EvaluationSettingsEntity, { communityId }, forUpdate(tx));
    const data = { satisfiedThreshold: settings.satisfiedThreshold, basicallySatisfiedThreshold: settings.basicallySatisfiedThreshold, updatedAt: new Date() };
    if (existing) {
      tx.assign(existing, data);
      return existing;
    }
    const entity = tx.create(EvaluationSettingsEntity, { communityId, ...data });
    tx.persist(entity);
    return entity;
  });
}

/** The thresholds in force for a known community (its own or the defaults). */
export async function settingsFor(em: Em, communityId: string): Promise<EvaluationSettings> {
  return settingsOrDefault(communityId, await em.findOne(EvaluationSettingsEntity, { communityId }));
}
