import { groupedLoader, keyedLoader, KnownCommunity, type Em, type RequestContext } from '@cdp/platform';
import { mayRead, requireActor, requireRead } from '@cdp/util';
import { EvaluationSessionEntity } from './sessions/entities';

/** Per-request loaders: one SQL query per entity type and request, however many keys. */
export function createLoaders(em: Em) {
  const ids = (keys: readonly string[]) => ({ $in: [...keys] });
  return {
    session: keyedLoader((k: readonly string[]) => em.find(EvaluationSessionEntity, { id: ids(k) }), (s) => s.id),
    /** all sessions of each community, newest first (filtered by status in memory: still one query) */
    sessionsByCommunity: groupedLoader(
      (k: readonly string[]) => em.find(EvaluationSessionEntity, { communityId: ids(k) }, { orderBy: { openedAt: 'desc', id: 'desc' } }),
      (s) => s.communityId,
    ),
    /** where a community sits (street, district), for the read scopes */
    community: keyedLoader((k: readonly string[]) => em.find(KnownCommunity, { id: ids(k) }), (c) => c.id),
  };
}

export type EvaluationLoaders = ReturnType<typeof createLoaders>;
export type Context = RequestContext<EvaluationLoaders>;

/**
 * Evaluation sessions and settings are not public: they are read by those who act in the
 * community and by the street / district officials over it (access policy in @cdp/util).
 * Anonymous → UNAUTHENTICATED; anyone else who may not read → FORBIDDEN (never partial data).
 * The community's place is looked up (batched) only when the caller's own claims do not
 * already decide. A community evaluation has not heard of is readable by ADMIN and by those
 * acting in it only (fail closed).
 */
export async function assertRead(ctx: Context, communityId: string): Promise<void> {
  const actor = requireActor(ctx.actor);
  if (mayRead(actor, { id: communityId })) return;
  const community = await ctx.loaders.community.load(communityId);
  requireRead(actor, { id: communityId, street: community?.street, districtId: community?.districtId });
}
