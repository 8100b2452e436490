import { randomUUID } from 'node:crypto';
import { bodyMemberAppointed } from '@cdp/contracts';
import { appointBodyMember as decide } from '@cdp/membership-domain';
import { forUpdate, recordEvent, type Em } from '@cdp/platform';
import { RUNS_PROCEDURES, chinaCivilDate, check, notFound, requireActIn, type Actor } from '@cdp/util';
import { ResidentEntity } from '../residents/entities';
import { BodyMembershipEntity } from './entities';

/** R-M3: appoints a resident to a body; announces membership.body-member.appointed.v1. */
export async function appointBodyMember(em: Em, actor: Actor | null, input: { residentId: string; body: string; startedOn?: string | null; endsOn?: string | null }): Promise<BodyMembershipEntity> {
  const residentId = check.uuid(input.residentId, 'input.residentId');
  return em.transactional(async (tx) => {
    const resident = await tx.findOne(ResidentEntity, { id: residentId }, forUpdate(tx));
    if (!resident) throw notFound('resident', residentId, 'input.residentId');
    requireActIn(actor, resident.communityId, RUNS_PROCEDURES);
    const current = await tx.find(BodyMembershipEntity, { residentId });
    const { membership, event } = decide(randomUUID(), resident, current, { body: input.body, startedOn: input.startedOn ?? chinaCivilDate(new Date()), endsOn: input.endsOn });
    const entity = tx.create(BodyMembershipEntity, membership);
    tx.persist(entity);
    recordEvent(tx, 'membership', bodyMemberAppointed, event);
    return entity;
  });
}
