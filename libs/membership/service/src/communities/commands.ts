import { randomUUID } from 'node:crypto';
import { communityRegistered } from '@cdp/contracts';
import { createResidentGroup, registerCommunity, type RegisterCommunityCommand } from '@cdp/membership-domain';
import { recordEvent, type Em } from '@cdp/platform';
import { RUNS_PROCEDURES, check, conflict, notFound, requireActIn, type Actor } from '@cdp/util';
import { CommunityEntity, DistrictEntity, ResidentGroupEntity } from './entities';

export async function createDistrict(em: Em, input: { name: string }): Promise<DistrictEntity> {
  const name = check.text(input.name, 'input.name', { max: 100 });
  return em.transactional(async (tx) => {
    if (await tx.count(DistrictEntity, { name })) throw conflict(`a district named ${name} exists`, undefined, 'input.name');
    const district = tx.create(DistrictEntity, { id: randomUUID(), name, createdAt: new Date() });
    tx.persist(district);
    return district;
  });
}

/** Registers a community and announces it (`membership.community.registered.v1`). */
export async function createCommunity(em: Em, input: RegisterCommunityCommand): Promise<CommunityEntity> {
  const districtId = check.uuid(input.districtId, 'input.districtId');
  return em.transactional(async (tx) => {
    const district = await tx.findOne(DistrictEntity, { id: districtId });
    if (!district) throw notFound('district', districtId, 'input.districtId');
    const now = new Date();
    const { community, event } = registerCommunity(randomUUID(), input, now);
    if (await tx.count(CommunityEntity, { districtId, name: community.name })) {
      throw conflict(`district ${district.name} already has a community named ${community.name}`, undefined, 'input.name');
    }
    const entity = tx.create(CommunityEntity, { ...community, createdAt: now });
    tx.persist(entity);
    recordEvent(tx, 'membership', communityRegistered, event, now);
    return entity;
  });
}

export async function createGroup(em: Em, actor: Actor | null, input: { communityId: string; name: string }): Promise<ResidentGroupEntity> {
  const communityId = check.uuid(input.communityId, 'input.communityId');
  return em.transactional(async (tx) => {
    const community = await tx.findOne(CommunityEntity, { id: communityId });
    if (!community) throw notFound('community', communityId, 'input.communityId');
    requireActIn(actor, community.id, RUNS_PROCEDURES);
    const group = createResidentGroup(randomUUID(), community, input.name);
    if (await tx.count(ResidentGroupEntity, { communityId, name: group.name })) {
      throw conflict(`${community.name} already has a group named ${group.name}`, undefined, 'input.name');
    }
    const entity = tx.create(ResidentGroupEntity, group);
    tx.persist(entity);
    return entity;
  });
}
