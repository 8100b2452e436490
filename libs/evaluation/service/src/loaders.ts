import { groupedLoader, keyedLoader, type Em, type RequestContext } from '@cdp/platform';
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
  };
}

export type EvaluationLoaders = ReturnType<typeof createLoaders>;
export type Context = RequestContext<EvaluationLoaders>;
