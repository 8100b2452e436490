import { randomUUID } from 'node:crypto';
import { resolutionAdopted, resolutionRejected } from '@cdp/contracts';
import { draftResolutionNotice, settingsOrDefault, type ResolutionDecided, type ResolutionOutcome } from '@cdp/disclosure-domain';
import { on, type Em, type HandlerDeps } from '@cdp/platform';
import { DisclosureSettingsEntity } from '../settings/entities';
import { NoticeEntity } from './entities';

/**
 * R-P3: drafts the one resolution notice of a resolution, due N working days after the decision
 * (R-P8, N per community, default 5). A resolution already disclosed — the same event again
 * under a new id, or its twin outcome — drafts nothing; the unique (category, sourceId) backs
 * this up. The community need not be known yet: events arrive in any order.
 */
async function draftResolution(em: Em, outcome: ResolutionOutcome, p: ResolutionDecided, deps: HandlerDeps): Promise<void> {
  if (await em.count(NoticeEntity, { category: 'RESOLUTION', sourceId: p.resolutionId })) {
    deps.logger.info({ resolutionId: p.resolutionId }, 'resolution notice already drafted; nothing to do');
    return;
  }
  const stored = await em.findOne(DisclosureSettingsEntity, { communityId: p.communityId });
  const notice = draftResolutionNotice(randomUUID(), outcome, p, settingsOrDefault(p.communityId, stored), deps.calendar, new Date());
  em.persist(em.create(NoticeEntity, notice));
}

export const resolutionAdoptedHandler = on(resolutionAdopted, (em, p, _meta, deps) => draftResolution(em, 'ADOPTED', p, deps));
export const resolutionRejectedHandler = on(resolutionRejected, (em, p, _meta, deps) => draftResolution(em, 'REJECTED', p, deps));
