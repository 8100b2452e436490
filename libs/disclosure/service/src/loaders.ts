import { groupedLoader, keyedLoader, type Em, type RequestContext } from '@cdp/platform';
import { NoticeEntity } from './notices/entities';

/** Per-request loaders: one SQL query per entity type and request, however many keys. */
export function createLoaders(em: Em) {
  const ids = (keys: readonly string[]) => ({ $in: [...keys] });
  return {
    notice: keyedLoader((k: readonly string[]) => em.find(NoticeEntity, { id: ids(k) }), (n) => n.id),
    /** every notice of each community, newest first (filtered by status in memory) */
    noticesByCommunity: groupedLoader(
      (k: readonly string[]) => em.find(NoticeEntity, { communityId: ids(k) }, { orderBy: { createdAt: 'desc', id: 'desc' } }),
      (n) => n.communityId,
    ),
  };
}

export type DisclosureLoaders = ReturnType<typeof createLoaders>;
export type Context = RequestContext<DisclosureLoaders>;
