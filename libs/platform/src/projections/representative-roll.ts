import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import { representativeElected, representativeTermEnded } from '@cdp/contracts';
import type { Em } from '../orm';
import { on } from '../messaging/consumer';

/**
 * A service's own roll of residents' representatives, kept from
 * `membership.representative.elected.v1` and `membership.representative.term-ended.v1`.
 * Events may arrive in any order: a term-ended that comes first leaves a row with only
 * `endedOn`, completed when the election arrives (`termStart` null = not yet known).
 */
@Entity({ tableName: 'representative_roll' })
export class RollEntry {
  /** representative id (one term) */
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'uuid' })
  @Index()
  communityId!: string;

  @Property({ type: 'uuid', nullable: true })
  residentId!: string | null;

  @Property({ type: 'uuid', nullable: true })
  groupId!: string | null;

  @Property({ type: 'string', length: 10, nullable: true })
  termStart!: string | null;

  @Property({ type: 'string', length: 10, nullable: true })
  termEnd!: string | null;

  @Property({ type: 'string', length: 10, nullable: true })
  endedOn!: string | null;
}

export const representativeElectedHandler = on(representativeElected, async (em, p) => {
  const row = await em.findOne(RollEntry, { id: p.representativeId });
  const data = { communityId: p.communityId, residentId: p.residentId, groupId: p.groupId, termStart: p.termStart, termEnd: p.termEnd };
  if (row) em.assign(row, data);
  else em.persist(em.create(RollEntry, { id: p.representativeId, ...data, endedOn: null }));
});

export const representativeTermEndedHandler = on(representativeTermEnded, async (em, p) => {
  const row = await em.findOne(RollEntry, { id: p.representativeId });
  if (row) em.assign(row, { endedOn: p.endedOn });
  else em.persist(em.create(RollEntry, { id: p.representativeId, communityId: p.communityId, residentId: null, groupId: null, termStart: null, termEnd: null, endedOn: p.endedOn }));
});

/** Entities and handlers a service adds to its module to keep the roll. */
export const REPRESENTATIVE_ROLL = { entities: [RollEntry], handlers: [representativeElectedHandler, representativeTermEndedHandler] };

/** Representatives of a community in office on `date` (R-D3, R-E5: the roll at that date). */
export async function rollOn(em: Em, communityId: string, date: string): Promise<RollEntry[]> {
  const rows = await em.find(RollEntry, { communityId, termStart: { $ne: null, $lte: date }, termEnd: { $gte: date } }, { orderBy: { id: 'asc' } });
  return rows.filter((r) => r.endedOn === null || r.endedOn >= date);
}
