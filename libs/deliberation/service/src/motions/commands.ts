import { randomUUID } from 'node:crypto';
import { motionProposed } from '@cdp/contracts';
import { proposeMotion as decide, type ProposeMotionCommand } from '@cdp/deliberation-domain';
import { recordEvent, requireKnownCommunity, type Em } from '@cdp/platform';
import { RUNS_PROCEDURES, chinaCivilDate, check, requireActIn, type Actor } from '@cdp/util';
import { MotionEntity } from './entities';

export interface ProposeMotionInput extends ProposeMotionCommand {
  communityId: string;
}

/**
 * R-D2/R-D6: proposes a motion in a community this service knows; announces
 * deliberation.motion.proposed.v1. R-AUTH: only STAFF or COMMITTEE of that community (checked
 * after the community is found, before the rules).
 */
export async function proposeMotion(em: Em, actor: Actor | null, input: ProposeMotionInput): Promise<MotionEntity> {
  const communityId = check.uuid(input.communityId, 'input.communityId');
  return em.transactional(async (tx) => {
    const community = await requireKnownCommunity(tx, communityId);
    requireActIn(actor, community.id, RUNS_PROCEDURES);
    const now = new Date();
    const { motion, event } = decide(randomUUID(), community, input, chinaCivilDate(now));
    const entity = tx.create(MotionEntity, { ...motion, createdAt: now });
    tx.persist(entity);
    recordEvent(tx, 'deliberation', motionProposed, event, now);
    return entity;
  });
}
