import { bodyMemberAppointed } from '@cdp/contracts';
import { supervisorSeatFrom } from '@cdp/disclosure-domain';
import { on } from '@cdp/platform';
import { SupervisorSeatEntity } from './entities';

/**
 * R-P4: keeps the roll of supervision-committee members from
 * `membership.body-member.appointed.v1`; other bodies are ignored. Idempotent: an upsert by
 * membership id, so a redelivered or republished appointment changes nothing.
 */
export const bodyMemberAppointedHandler = on(bodyMemberAppointed, async (em, p) => {
  const seat = supervisorSeatFrom(p);
  if (!seat) return;
  const row = await em.findOne(SupervisorSeatEntity, { id: seat.id });
  if (row) em.assign(row, seat);
  else em.persist(em.create(SupervisorSeatEntity, seat));
});
