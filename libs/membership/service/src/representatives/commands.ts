import { randomUUID } from 'node:crypto';
import { representativeElected, representativeTermEnded } from '@cdp/contracts';
import { electRepresentative as decideElection, endRepresentativeTerm as decideEnd } from '@cdp/membership-domain';
import { forUpdate, recordEvent, type Em } from '@cdp/platform';
import { RUNS_PROCEDURES, chinaCivilDate, check, notFound, requireActIn, type Actor } from '@cdp/util';
import { CommunityEntity, ResidentGroupEntity } from '../communities/entities';
import { ResidentEntity } from '../residents/entities';
import { RepresentativeEntity } from './entities';

/** R-M1/R-M2: elects a resident as representative of their group; announces membership.representative.elected.v1. */
export async function electRepresentative(em: Em, actor: Actor | null, input: { residentId: string; termStart?: string | null }): Promise<RepresentativeEntity> {
  const residentId = check.uuid(input.residentId, 'input.residentId');
  const termStart = input.termStart ? check.date(input.termStart, 'input.termStart') : chinaCivilDate(new Date());
  return em.transactional(async (tx) => {
    const resident = await tx.findOne(ResidentEntity, { id: residentId });
    if (!resident) throw notFound('resident', residentId, 'input.residentId');
    requireActIn(actor, resident.communityId, RUNS_PROCEDURES);
    // serialise elections in one group so two concurrent ones cannot both take the last seat
    await tx.findOneOrFail(ResidentGroupEntity, { id: resident.groupId }, forUpdate(tx));
    const community = await tx.findOneOrFail(CommunityEntity, { id: resident.communityId });
    const current = await tx.find(RepresentativeEntity, { groupId: resident.groupId });
    const { representative, event } = decideElection(randomUUID(), community, resident, current, { termStart });
    const entity = tx.create(RepresentativeEntity, representative);
    tx.persist(entity);
    recordEvent(tx, 'membership', representativeElected, event);
    return entity;
  });
}

/** Ends a term early (R-M3); announces membership.representative.term-ended.v1. */
export async function endRepresentativeTerm(em: Em, actor: Actor | null, input: { representativeId: string; endedOn: string; reason: string }): Promise<RepresentativeEntity> {
  const id = check.uuid(input.representativeId, 'input.representativeId');
  return em.transactional(async (tx) => {
    const rep = await tx.findOne(RepresentativeEntity, { id }, forUpdate(tx));
    if (!rep) throw notFound('representative', id, 'input.representativeId');
    requireActIn(actor, rep.communityId, RUNS_PROCEDURES);
    const { representative, event } = decideEnd(rep, input);
    tx.assign(rep, { endedOn: representative.endedOn, endReason: representative.endReason });
    recordEvent(tx, 'membership', representativeTermEnded, event);
    return rep;
  });
}
