import { randomUUID } from 'node:crypto';
import { residentRegistered } from '@cdp/contracts';
import { registerResident as decide, type RegisterResidentCommand } from '@cdp/membership-domain';
import { recordEvent, type Em } from '@cdp/platform';
import { RUNS_PROCEDURES, chinaCivilDate, check, conflict, notFound, requireActIn, type Actor } from '@cdp/util';
import { ResidentGroupEntity } from '../communities/entities';
import { ResidentEntity } from './entities';

export interface RegisterResidentInput extends Omit<RegisterResidentCommand, 'registeredOn'> {
  groupId: string;
  registeredOn?: string | null;
}

/** Registers a resident in a group; announces `membership.resident.registered.v1` (ids only). */
export async function registerResident(em: Em, actor: Actor | null, input: RegisterResidentInput): Promise<ResidentEntity> {
  const groupId = check.uuid(input.groupId, 'input.groupId');
  return em.transactional(async (tx) => {
    const group = await tx.findOne(ResidentGroupEntity, { id: groupId });
    if (!group) throw notFound('residents’ group', groupId, 'input.groupId');
    requireActIn(actor, group.communityId, RUNS_PROCEDURES);
    const { resident, event } = decide(randomUUID(), group, { ...input, registeredOn: input.registeredOn ?? chinaCivilDate(new Date()) });
    if (resident.idNumber && (await tx.count(ResidentEntity, { communityId: group.communityId, idNumber: resident.idNumber }))) {
      throw conflict('a resident with this ID number is already registered in the community', undefined, 'input.idNumber');
    }
    const entity = tx.create(ResidentEntity, resident);
    tx.persist(entity);
    recordEvent(tx, 'membership', residentRegistered, event);
    return entity;
  });
}
