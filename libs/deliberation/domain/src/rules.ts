import type { PayloadOf, meetingHeld, motionProposed, resolutionAdopted } from '@cdp/contracts';
import { badInput, check, conflict, notFound } from '@cdp/util';
import { REPRESENTATIVE_ASSEMBLY, VOTE_CHOICES, type Attendance, type Meeting, type Motion, type Resolution, type ResolutionStatus, type RollMember, type Vote, type VoteChoice } from './model';

export const TITLE_MAX = 200;
export const DESCRIPTION_MAX = 5000;
/** R-D5: the participation target (`000`: ≥ 95%). */
export const PARTICIPATION_TARGET = 0.95;

// ---------------------------------------------------------------------------------------------
// The roll and the two counts of R-D3
// ---------------------------------------------------------------------------------------------

/** R-D3: is this term of office on the roll on `date`? (started, not run out, not ended early) */
export function inOfficeOn(m: RollMember, date: string): boolean {
  return m.termStart !== null && m.termEnd !== null && m.termStart <= date && date <= m.termEnd && (m.endedOn === null || date <= m.endedOn);
}

/** R-D3: the roll is the assembly's membership at the meeting date — those in office that day, by id. */
export function rollAt<T extends RollMember>(members: readonly T[], date: string): T[] {
  const seen = new Set<string>();
  return members
    .filter((m) => inOfficeOn(m, date) && !seen.has(m.id) && seen.add(m.id))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** R-D3: a meeting is valid only when more than half of its eligible members attend. */
export function isQuorate(attended: number, eligible: number): boolean {
  return eligible > 0 && attended * 2 > eligible;
}

/** R-D3: a decision passes with more than half of the attendees' votes (non-voters count as abstaining). */
export function isAdopted(votesFor: number, attended: number): boolean {
  return votesFor * 2 > attended;
}

const half = (n: number): string => String(n / 2);

/** "8 of 9 attended (quorum: more than 4.5)" */
export function quorumText(attended: number, eligible: number): string {
  return `${attended} of ${eligible} attended (quorum: more than ${half(eligible)})`;
}

/** The `rule` of a resolution: "R-D3: 8 of 9 attended (quorum: more than 4.5); 6 of 8 voted for (majority: more than 4)" */
export function resolutionRule(eligible: number, attended: number, votesFor: number): string {
  return `R-D3: ${quorumText(attended, eligible)}; ${votesFor} of ${attended} voted for (majority: more than ${half(attended)})`;
}

/** R-D5: participation = attendees / eligible, summed over the quorate meetings; null when there is none. */
export function participationRate(meetings: readonly Pick<Meeting, 'eligible' | 'attended' | 'quorate'>[]): number | null {
  const quorate = meetings.filter((m) => m.quorate && m.eligible > 0);
  if (quorate.length === 0) return null;
  const attended = quorate.reduce((s, m) => s + m.attended, 0);
  const eligible = quorate.reduce((s, m) => s + m.eligible, 0);
  return attended / eligible;
}

// ---------------------------------------------------------------------------------------------
// Proposing a motion
// ---------------------------------------------------------------------------------------------

export interface ProposeMotionCommand {
  title: string;
  description?: string | null;
  /** R-D6 major matter 重大事项 (default false) */
  major?: boolean | null;
  /** default: `today` */
  proposedOn?: string | null;
}

/**
 * R-D2/R-D6: a new motion, PROPOSED, flagged major or not at creation. `community` must be one
 * the service knows (the caller checks). `today` is the China civil date.
 */
export function proposeMotion(
  id: string,
  community: { id: string },
  cmd: ProposeMotionCommand,
  today: string,
): { motion: Motion; event: PayloadOf<typeof motionProposed> } {
  const title = check.text(cmd.title, 'input.title', { max: TITLE_MAX });
  const description = check.optionalText(cmd.description, 'input.description', { max: DESCRIPTION_MAX }) ?? null;
  const major = cmd.major ?? false;
  if (typeof major !== 'boolean') throw badInput('major must be true or false', 'input.major', 'R-D6');
  const proposedOn = cmd.proposedOn === null || cmd.proposedOn === undefined ? today : check.date(cmd.proposedOn, 'input.proposedOn');
  if (proposedOn > today) throw badInput(`proposedOn ${proposedOn} is in the future (today is ${today})`, 'input.proposedOn');
  const motion: Motion = { id, communityId: community.id, title, description, major, status: 'PROPOSED', proposedOn };
  return { motion, event: { motionId: id, communityId: community.id, title, major, proposedOn } };
}

// ---------------------------------------------------------------------------------------------
// Recording a meeting
// ---------------------------------------------------------------------------------------------

export interface VoteCommand {
  motionId: string;
  representativeId: string;
  choice: string;
}

export interface RecordMeetingCommand {
  heldOn: string;
  attendeeIds: readonly string[];
  votes?: readonly VoteCommand[] | null;
}

/** A meeting command whose shape is valid (ids, dates, choices, no duplicates); not yet checked against state. */
export interface MeetingInput {
  heldOn: string;
  attendeeIds: string[];
  votes: { motionId: string; representativeId: string; choice: VoteChoice }[];
  /** the motions voted on, in order of first vote: the rows to load (and lock) */
  motionIds: string[];
}

/**
 * Checks what can be checked without the database: the date is real and not in the future, ids
 * are UUIDs, attendees are listed once, each representative votes at most once per motion
 * (R-D3 one representative, one vote per motion).
 */
export function parseMeetingInput(cmd: RecordMeetingCommand, today: string): MeetingInput {
  const heldOn = check.date(cmd.heldOn, 'input.heldOn');
  if (heldOn > today) throw badInput(`heldOn ${heldOn} is in the future (today is ${today}); record a meeting once it was held`, 'input.heldOn');
  if (!Array.isArray(cmd.attendeeIds)) throw badInput('attendeeIds must be a list', 'input.attendeeIds');
  const attendeeIds: string[] = [];
  for (const raw of cmd.attendeeIds) {
    const id = check.uuid(raw, 'input.attendeeIds');
    if (attendeeIds.includes(id)) throw badInput(`representative ${id} is listed twice among the attendees`, 'input.attendeeIds', 'R-D3');
    attendeeIds.push(id);
  }
  const votes: MeetingInput['votes'] = [];
  const cast = new Set<string>();
  const motionIds: string[] = [];
  (cmd.votes ?? []).forEach((v, i) => {
    const at = `input.votes.${i}`;
    const motionId = check.uuid(v.motionId, `${at}.motionId`);
    const representativeId = check.uuid(v.representativeId, `${at}.representativeId`);
    const choice = check.oneOf(v.choice, VOTE_CHOICES, `${at}.choice`);
    const key = `${motionId}/${representativeId}`;
    if (cast.has(key)) throw conflict(`representative ${representativeId} voted twice on motion ${motionId}: one representative, one vote per motion`, 'R-D3', at);
    cast.add(key);
    if (!motionIds.includes(motionId)) motionIds.push(motionId);
    votes.push({ motionId, representativeId, choice });
  });
  return { heldOn, attendeeIds, votes, motionIds };
}

export type ResolutionPayload = PayloadOf<typeof resolutionAdopted>;

export interface MeetingDecision {
  meeting: Meeting;
  attendance: Attendance[];
  votes: Vote[];
  resolutions: Resolution[];
  /** the voted motions with their new status */
  decided: Motion[];
  events: {
    held: PayloadOf<typeof meetingHeld>;
    /** one per decided motion, in vote order: announce as resolution.adopted.v1 or .rejected.v1 */
    resolutions: { status: ResolutionStatus; payload: ResolutionPayload }[];
  };
}

/**
 * R-D3/R-D5: records a meeting of the representative assembly and decides every motion voted on.
 *
 * - `roll` are the terms of office the service knows for the community (those not in office on
 *   `heldOn` are dropped here again: term not started, run out or ended early). An empty roll
 *   cannot meet (CONFLICT).
 * - Attendees must be on the roll; only attendees vote.
 * - Quorum: attended × 2 > eligible. An inquorate meeting is recorded as such but decides
 *   nothing: with votes it is refused (CONFLICT R-D3).
 * - Majority: a motion is ADOPTED when votesFor × 2 > attended (present members who did not vote
 *   count as abstentions), otherwise REJECTED; both are kept (R-D5).
 * - `motions` are the voted motions as loaded (any community): each must exist, belong to the
 *   community, be PROPOSED (a decided motion is not voted again, R-D2) and be proposed on or
 *   before the meeting date.
 */
export function decideMeeting(
  newId: () => string,
  communityId: string,
  roll: readonly RollMember[],
  motions: readonly Motion[],
  input: MeetingInput,
): MeetingDecision {
  const { heldOn } = input;
  const members = rollAt(roll, heldOn);
  if (members.length === 0) {
    throw conflict(`nobody is on the roll of the representative assembly on ${heldOn}: no meeting can be held`, 'R-D3', 'input.heldOn');
  }
  const onRoll = new Set(members.map((m) => m.id));
  for (const id of input.attendeeIds) {
    if (!onRoll.has(id)) throw badInput(`representative ${id} is not on the roll on ${heldOn} (the roll is the assembly's membership at the meeting date)`, 'input.attendeeIds', 'R-D3');
  }
  const present = new Set(input.attendeeIds);
  input.votes.forEach((v, i) => {
    if (!present.has(v.representativeId)) {
      throw badInput(`representative ${v.representativeId} did not attend the meeting and cannot vote`, `input.votes.${i}.representativeId`, 'R-D3');
    }
  });

  const eligible = members.length;
  const attended = input.attendeeIds.length;
  const quorate = isQuorate(attended, eligible);
  if (!quorate && input.votes.length > 0) {
    throw conflict(`quorum not reached: ${attended} of ${eligible} attended; more than ${half(eligible)} needed; no vote can be taken`, 'R-D3', 'input.attendeeIds');
  }

  const byId = new Map(motions.map((m) => [m.id, m]));
  const voted: Motion[] = input.motionIds.map((id) => {
    const field = `input.votes.${input.votes.findIndex((v) => v.motionId === id)}.motionId`;
    const m = byId.get(id);
    if (!m) throw notFound('motion', id, field);
    if (m.communityId !== communityId) throw badInput(`motion ${id} belongs to another community`, field);
    if (m.status !== 'PROPOSED') throw conflict(`motion “${m.title}” was already decided (${m.status}); a decided motion cannot be voted again`, 'R-D2', field);
    if (m.proposedOn > heldOn) throw badInput(`motion “${m.title}” was proposed on ${m.proposedOn}, after the meeting on ${heldOn}`, field, 'R-D2');
    return m;
  });

  const meeting: Meeting = { id: newId(), communityId, body: REPRESENTATIVE_ASSEMBLY, heldOn, eligible, attended, quorate };
  const attendance: Attendance[] = input.attendeeIds.map((representativeId) => ({ id: newId(), meetingId: meeting.id, representativeId }));
  const votes: Vote[] = input.votes.map((v) => ({ id: newId(), meetingId: meeting.id, ...v }));

  const resolutions: Resolution[] = [];
  const decided: Motion[] = [];
  const resolutionEvents: MeetingDecision['events']['resolutions'] = [];
  for (const motion of voted) {
    const mine = votes.filter((v) => v.motionId === motion.id);
    const votesFor = mine.filter((v) => v.choice === 'FOR').length;
    const votesAgainst = mine.filter((v) => v.choice === 'AGAINST').length;
    const abstentions = attended - votesFor - votesAgainst;
    const status: ResolutionStatus = isAdopted(votesFor, attended) ? 'ADOPTED' : 'REJECTED';
    const resolution: Resolution = {
      id: newId(),
      motionId: motion.id,
      meetingId: meeting.id,
      communityId,
      status,
      decidedOn: heldOn,
      eligible,
      attended,
      votesFor,
      votesAgainst,
      abstentions,
      rule: resolutionRule(eligible, attended, votesFor),
    };
    resolutions.push(resolution);
    decided.push({ ...motion, status });
    const { id: resolutionId, status: _s, ...rest } = resolution;
    resolutionEvents.push({ status, payload: { resolutionId, ...rest, title: motion.title } });
  }

  return {
    meeting,
    attendance,
    votes,
    resolutions,
    decided,
    events: {
      held: { meetingId: meeting.id, communityId, body: meeting.body, heldOn, eligible, attended, quorate, motionIds: voted.map((m) => m.id) },
      resolutions: resolutionEvents,
    },
  };
}
