import { randomUUID } from 'node:crypto';
import { meetingHeld, resolutionAdopted, resolutionRejected } from '@cdp/contracts';
import { decideMeeting, parseMeetingInput, type RecordMeetingCommand } from '@cdp/deliberation-domain';
import { forUpdate, recordEvent, requireKnownCommunity, rollOn, type Em } from '@cdp/platform';
import { RUNS_PROCEDURES, chinaCivilDate, check, requireActIn, type Actor } from '@cdp/util';
import { MotionEntity } from '../motions/entities';
import { ResolutionEntity } from '../resolutions/entities';
import { MeetingAttendanceEntity, MeetingEntity, VoteEntity } from './entities';

export interface RecordMeetingInput extends RecordMeetingCommand {
  communityId: string;
}

/**
 * R-D3/R-D5: records a meeting of the representative assembly against the roll at its date and
 * decides the motions voted on. In one transaction: the meeting, its attendance, the votes, one
 * resolution per voted motion, the motions' new status and the outbox rows
 * (deliberation.meeting.held.v1, then one resolution.adopted.v1 / .rejected.v1 per motion).
 * The voted motions are locked first, so two meetings cannot decide the same motion.
 * R-AUTH: only STAFF or COMMITTEE of that community (checked once the input is well-formed and
 * the community found, before the motions are loaded and the rules applied).
 */
export async function recordMeeting(em: Em, actor: Actor | null, input: RecordMeetingInput): Promise<MeetingEntity> {
  const communityId = check.uuid(input.communityId, 'input.communityId');
  const now = new Date();
  const cmd = parseMeetingInput(input, chinaCivilDate(now));
  return em.transactional(async (tx) => {
    const community = await requireKnownCommunity(tx, communityId);
    requireActIn(actor, community.id, RUNS_PROCEDURES);
    // lock in id order so concurrent meetings over overlapping motions cannot deadlock
    const motions = cmd.motionIds.length ? await tx.find(MotionEntity, { id: { $in: cmd.motionIds } }, { ...forUpdate(tx), orderBy: { id: 'asc' } }) : [];
    const roll = await rollOn(tx, communityId, cmd.heldOn);
    const d = decideMeeting(randomUUID, communityId, roll, motions, cmd);

    const meeting = tx.create(MeetingEntity, { ...d.meeting, recordedAt: now });
    tx.persist(meeting);
    for (const a of d.attendance) tx.persist(tx.create(MeetingAttendanceEntity, a));
    for (const v of d.votes) tx.persist(tx.create(VoteEntity, v));
    for (const r of d.resolutions) tx.persist(tx.create(ResolutionEntity, r));
    const byId = new Map(motions.map((m) => [m.id, m]));
    for (const m of d.decided) tx.assign(byId.get(m.id)!, { status: m.status });

    recordEvent(tx, 'deliberation', meetingHeld, d.events.held, now);
    for (const e of d.events.resolutions) recordEvent(tx, 'deliberation', e.status === 'ADOPTED' ? resolutionAdopted : resolutionRejected, e.payload, now);
    return meeting;
  });
}
