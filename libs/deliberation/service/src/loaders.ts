import { groupedLoader, KnownCommunity, keyedLoader, RollEntry, type Em, type RequestContext } from '@cdp/platform';
import { forbidden, hasRole, mayRead, requireActor, type Actor } from '@cdp/util';
import { MotionEntity } from './motions/entities';
import { MeetingAttendanceEntity, MeetingEntity, VoteEntity } from './meetings/entities';
import { ResolutionEntity } from './resolutions/entities';

/**
 * Per-request loaders: one SQL query per entity type and request, however many keys. The
 * per-community lists load every row of the community once; arguments such as `status` or a
 * roll date filter in memory, so differently-filtered fields still share that one query.
 */
export function createLoaders(em: Em) {
  const ids = (keys: readonly string[]) => ({ $in: [...keys] });
  return {
    motion: keyedLoader((k: readonly string[]) => em.find(MotionEntity, { id: ids(k) }), (m) => m.id),
    meeting: keyedLoader((k: readonly string[]) => em.find(MeetingEntity, { id: ids(k) }), (m) => m.id),
    resolution: keyedLoader((k: readonly string[]) => em.find(ResolutionEntity, { id: ids(k) }), (r) => r.id),
    resolutionByMotion: keyedLoader((k: readonly string[]) => em.find(ResolutionEntity, { motionId: ids(k) }), (r) => r.motionId),
    motionsByCommunity: groupedLoader(
      (k: readonly string[]) => em.find(MotionEntity, { communityId: ids(k) }, { orderBy: { proposedOn: 'asc', createdAt: 'asc', id: 'asc' } }),
      (m) => m.communityId,
    ),
    meetingsByCommunity: groupedLoader(
      (k: readonly string[]) => em.find(MeetingEntity, { communityId: ids(k) }, { orderBy: { heldOn: 'asc', recordedAt: 'asc', id: 'asc' } }),
      (m) => m.communityId,
    ),
    resolutionsByCommunity: groupedLoader(
      (k: readonly string[]) => em.find(ResolutionEntity, { communityId: ids(k) }, { orderBy: { decidedOn: 'asc', id: 'asc' } }),
      (r) => r.communityId,
    ),
    resolutionsByMeeting: groupedLoader((k: readonly string[]) => em.find(ResolutionEntity, { meetingId: ids(k) }, { orderBy: { id: 'asc' } }), (r) => r.meetingId),
    attendanceByMeeting: groupedLoader((k: readonly string[]) => em.find(MeetingAttendanceEntity, { meetingId: ids(k) }, { orderBy: { representativeId: 'asc' } }), (a) => a.meetingId),
    votesByMotion: groupedLoader((k: readonly string[]) => em.find(VoteEntity, { motionId: ids(k) }, { orderBy: { representativeId: 'asc' } }), (v) => v.motionId),
    /** where a community sits (street, district), for the officials' read scopes (R-AUTH) */
    knownCommunity: keyedLoader((k: readonly string[]) => em.find(KnownCommunity, { id: ids(k) }), (c) => c.id),
    /** every known term of office of the community; the roll at a date is filtered from it (R-D3) */
    rollByCommunity: groupedLoader((k: readonly string[]) => em.find(RollEntry, { communityId: ids(k) }, { orderBy: { id: 'asc' } }), (r) => r.communityId),
  };
}

export type DeliberationLoaders = ReturnType<typeof createLoaders>;
export type Context = RequestContext<DeliberationLoaders>;

/**
 * R-AUTH read scope: may the caller read the non-public data of the community (motions,
 * meetings, the roll, votes, rejected resolutions)? Those who act in it and ADMIN may, without a
 * query; street and district officials by where the community sits, from this service's copy of
 * the known communities (one batched query per request). A community this service has not heard
 * of is checked by its id only.
 */
export async function mayReadCommunity(ctx: Pick<Context, 'actor' | 'loaders'>, communityId: string): Promise<boolean> {
  const actor: Actor | null = ctx.actor;
  if (!actor) return false;
  if (mayRead(actor, { id: communityId })) return true;
  if (!hasRole(actor, 'STREET_OFFICIAL', 'DISTRICT_OFFICIAL')) return false;
  const c = await ctx.loaders.knownCommunity.load(communityId);
  return mayRead(actor, c ? { id: c.id, street: c.street, districtId: c.districtId } : { id: communityId });
}

/** R-AUTH: the same as a guard: UNAUTHENTICATED without a token, FORBIDDEN without read scope. */
export async function assertRead(ctx: Pick<Context, 'actor' | 'loaders'>, communityId: string): Promise<void> {
  requireActor(ctx.actor);
  if (!(await mayReadCommunity(ctx, communityId))) throw forbidden(`you may not read community ${communityId}`);
}
