/**
 * Who may do what (plain TypeScript, used by resolvers and again by the commands/domain).
 * Roles come from the caller's token; the communities, street and district claims say where
 * the caller acts or reads.
 */
import { DomainError, forbidden } from './errors';

export const ROLES = ['RESIDENT', 'REPRESENTATIVE', 'STAFF', 'COMMITTEE', 'SUPERVISOR', 'STREET_OFFICIAL', 'DISTRICT_OFFICIAL', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller. */
export interface Actor {
  /** subject: for residents, representatives and supervisors their resident id */
  sub: string;
  roles: Role[];
  /** communities the person acts in */
  communities: string[];
  /** street office 街道 (name) a street official reads */
  street?: string;
  /** district id a district official reads */
  district?: string;
}

/** Where a community sits, for read scopes. */
export interface CommunityPlace {
  id: string;
  street?: string | null;
  districtId?: string | null;
}

/** Roles that run procedures in their own communities (社区工作人员, 两委). */
export const RUNS_PROCEDURES: Role[] = ['STAFF', 'COMMITTEE'];

export function hasRole(actor: Actor | null | undefined, ...roles: Role[]): boolean {
  return !!actor && actor.roles.some((r) => roles.includes(r));
}

export function requireActor(actor: Actor | null | undefined): Actor {
  if (!actor) throw new DomainError('UNAUTHENTICATED', 'a valid bearer token is required');
  return actor;
}

/** The caller holds one of `roles` and acts in `communityId` (else FORBIDDEN). */
export function requireActIn(actor: Actor | null | undefined, communityId: string, roles: Role[]): Actor {
  const a = requireActor(actor);
  if (!hasRole(a, ...roles)) throw forbidden(`this needs one of the roles ${roles.join(', ')}`);
  if (!a.communities.includes(communityId)) throw forbidden(`you do not act in community ${communityId}`);
  return a;
}

/**
 * Roles whose holders read the non-public data of the communities they act in. A RESIDENT
 * reads what is public (published notices, adopted resolutions), like anyone.
 */
export const READS_OWN_COMMUNITY: Role[] = ['STAFF', 'COMMITTEE', 'SUPERVISOR', 'REPRESENTATIVE'];

/** May the caller read the non-public data of this community? */
export function mayRead(actor: Actor | null | undefined, place: CommunityPlace): boolean {
  if (!actor) return false;
  if (hasRole(actor, 'ADMIN')) return true;
  if (hasRole(actor, 'DISTRICT_OFFICIAL') && actor.district && actor.district === place.districtId) return true;
  if (hasRole(actor, 'STREET_OFFICIAL') && actor.street && actor.street === place.street) return true;
  return hasRole(actor, ...READS_OWN_COMMUNITY) && actor.communities.includes(place.id);
}

export function requireRead(actor: Actor | null | undefined, place: CommunityPlace): Actor {
  const a = requireActor(actor);
  if (!mayRead(a, place)) throw forbidden(`you may not read community ${place.id}`);
  return a;
}
