import { motionProposed, meetingHeld, resolutionAdopted, resolutionRejected } from '@cdp/contracts';
import { DomainError } from '@cdp/util';
import {
  decideMeeting,
  inOfficeOn,
  isAdopted,
  isQuorate,
  parseMeetingInput,
  participationRate,
  proposeMotion,
  resolutionRule,
  rollAt,
  type RecordMeetingCommand,
  type VoteCommand,
} from './rules';
import type { Motion, RollMember } from './model';

const COMMUNITY = '7d0c5d9e-0f7a-4a53-9d3a-5b1f1d0e8a11';
const OTHER_COMMUNITY = '0b9f1c6e-3c1e-4a59-8f0e-6a0f3c9b2d10';
const TODAY = '2026-11-26';
const HELD_ON = '2026-11-10';

/** representative n (1-based), in office for the whole of 2026–2027 unless overridden */
const repId = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const member = (n: number, over: Partial<RollMember> = {}): RollMember => ({ id: repId(n), termStart: '2026-01-01', termEnd: '2027-12-31', endedOn: null, ...over });
const roll = (n: number) => Array.from({ length: n }, (_, i) => member(i + 1));
const reps = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => repId(from + i));

const motionId = (n: number) => `1a2b3c4d-5e6f-4a7b-8c9d-${String(n).padStart(12, '0')}`;
const motion = (n: number, over: Partial<Motion> = {}): Motion => ({
  id: motionId(n),
  communityId: COMMUNITY,
  title: `议案${n}`,
  description: null,
  major: false,
  status: 'PROPOSED',
  proposedOn: '2026-11-01',
  ...over,
});

/** votes on motion `m`: `for` FOR, then `against` AGAINST, then `abstain` ABSTAIN, from representatives 1, 2, … */
function ballot(m: number, counts: { for?: number; against?: number; abstain?: number }, firstRep = 1): VoteCommand[] {
  const choices = [...Array(counts.for ?? 0).fill('FOR'), ...Array(counts.against ?? 0).fill('AGAINST'), ...Array(counts.abstain ?? 0).fill('ABSTAIN')] as string[];
  return choices.map((choice, i) => ({ motionId: motionId(m), representativeId: repId(firstRep + i), choice }));
}

let seq = 0;
const newId = () => `ffffffff-0000-4000-8000-${String((seq += 1)).padStart(12, '0')}`;

function decide(cmd: RecordMeetingCommand, state: { roll?: RollMember[]; motions?: Motion[] } = {}) {
  return decideMeeting(newId, COMMUNITY, state.roll ?? roll(9), state.motions ?? [motion(1), motion(2)], parseMeetingInput(cmd, TODAY));
}

/** "CODE rule field" of the DomainError `fn` throws */
function errorOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof DomainError)) return `OTHER ${(e as Error).message}`;
    return [e.code, e.rule, e.field].filter(Boolean).join(' ');
  }
  return undefined;
}

function messageOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

describe('deliberation rules', () => {
  describe('proposing a motion (R-D2, R-D6)', () => {
    it('R-D6 a motion is proposed PROPOSED, flagged major at creation, dated today by default', () => {
      const { motion: m, event } = proposeMotion(motionId(1), { id: COMMUNITY }, { title: ' 3号楼加装电梯方案 ', major: true }, TODAY);
      expect(m).toEqual({ id: motionId(1), communityId: COMMUNITY, title: '3号楼加装电梯方案', description: null, major: true, status: 'PROPOSED', proposedOn: TODAY });
      expect(event).toEqual({ motionId: motionId(1), communityId: COMMUNITY, title: '3号楼加装电梯方案', major: true, proposedOn: TODAY });
      expect(motionProposed.schema.safeParse(event).success).toBe(true);
      expect(proposeMotion(motionId(2), { id: COMMUNITY }, { title: 'x', proposedOn: '2026-10-01' }, TODAY).motion).toMatchObject({ major: false, proposedOn: '2026-10-01' });
    });

    it('R-D2 the title has 1–200 characters and the description at most 5000', () => {
      const c = { id: COMMUNITY };
      expect(errorOf(() => proposeMotion(motionId(1), c, { title: '   ' }, TODAY))).toBe('BAD_USER_INPUT input.title');
      expect(errorOf(() => proposeMotion(motionId(1), c, { title: 'x'.repeat(201) }, TODAY))).toBe('BAD_USER_INPUT input.title');
      expect(proposeMotion(motionId(1), c, { title: 'x'.repeat(200) }, TODAY).motion.title).toHaveLength(200);
      expect(errorOf(() => proposeMotion(motionId(1), c, { title: 'x', description: 'y'.repeat(5001) }, TODAY))).toBe('BAD_USER_INPUT input.description');
      expect(proposeMotion(motionId(1), c, { title: 'x', description: 'y'.repeat(5000) }, TODAY).motion.description).toHaveLength(5000);
      expect(proposeMotion(motionId(1), c, { title: 'x', description: '  ' }, TODAY).motion.description).toBeNull();
    });

    it('a motion cannot be dated in the future or on a date that does not exist', () => {
      expect(errorOf(() => proposeMotion(motionId(1), { id: COMMUNITY }, { title: 'x', proposedOn: '2026-11-27' }, TODAY))).toBe('BAD_USER_INPUT input.proposedOn');
      expect(errorOf(() => proposeMotion(motionId(1), { id: COMMUNITY }, { title: 'x', proposedOn: '2026-02-30' }, TODAY))).toBe('BAD_USER_INPUT input.proposedOn');
    });
  });

  describe('the roll at the meeting date (R-D3)', () => {
    it('R-D3 the roll holds exactly the terms in office on the meeting date', () => {
      const members = [
        member(1),
        member(2, { termStart: '2026-11-11' }), // term not yet started
        member(3, { endedOn: '2026-11-09' }), // ended early, before the meeting
        member(4, { endedOn: HELD_ON }), // last day in office is the meeting day: still on the roll
        member(5, { termStart: '2024-11-10', termEnd: '2026-11-09' }), // ran out the day before
        member(6, { termStart: HELD_ON }), // first day is the meeting day
        member(7, { termStart: null, termEnd: null, endedOn: '2027-01-01' }), // only the term-ended event arrived so far
      ];
      expect(rollAt(members, HELD_ON).map((m) => m.id)).toEqual([repId(1), repId(4), repId(6)]);
      expect(inOfficeOn(member(1), '2027-12-31')).toBe(true);
      expect(inOfficeOn(member(1), '2028-01-01')).toBe(false);
    });

    it('R-D3 a representative whose term has not started or ended early is not eligible and cannot attend', () => {
      const members = [...roll(5), member(6, { termStart: '2026-11-11' }), member(7, { endedOn: '2026-11-01' })];
      const d = decide({ heldOn: HELD_ON, attendeeIds: reps(1, 3) }, { roll: members });
      expect(d.meeting).toMatchObject({ eligible: 5, attended: 3, quorate: true });
      expect(errorOf(() => decide({ heldOn: HELD_ON, attendeeIds: [...reps(1, 3), repId(6)] }, { roll: members }))).toBe('BAD_USER_INPUT R-D3 input.attendeeIds');
      expect(errorOf(() => decide({ heldOn: HELD_ON, attendeeIds: [...reps(1, 3), repId(7)] }, { roll: members }))).toBe('BAD_USER_INPUT R-D3 input.attendeeIds');
      expect(errorOf(() => decide({ heldOn: HELD_ON, attendeeIds: [...reps(1, 3), repId(99)] }, { roll: members }))).toBe('BAD_USER_INPUT R-D3 input.attendeeIds');
    });

    it('R-D3 an assembly with nobody on the roll at the meeting date cannot meet', () => {
      expect(errorOf(() => decide({ heldOn: HELD_ON, attendeeIds: [] }, { roll: [] }))).toBe('CONFLICT R-D3 input.heldOn');
      expect(errorOf(() => decide({ heldOn: HELD_ON, attendeeIds: [] }, { roll: [member(1, { termStart: '2026-12-01' })] }))).toBe('CONFLICT R-D3 input.heldOn');
    });
  });

  describe('quorum (R-D3)', () => {
    it('R-D3 a meeting where exactly half attend is not quorate', () => {
      expect(isQuorate(4, 8)).toBe(false);
      const d = decide({ heldOn: HELD_ON, attendeeIds: reps(1, 4) }, { roll: roll(8) });
      expect(d.meeting).toMatchObject({ eligible: 8, attended: 4, quorate: false });
    });

    it('R-D3 a meeting where more than half attend is quorate', () => {
      expect(isQuorate(5, 8)).toBe(true);
      expect(isQuorate(5, 9)).toBe(true);
      expect(isQuorate(4, 9)).toBe(false);
      expect(isQuorate(1, 1)).toBe(true);
      expect(isQuorate(0, 0)).toBe(false);
      expect(decide({ heldOn: HELD_ON, attendeeIds: reps(1, 5) }, { roll: roll(8) }).meeting.quorate).toBe(true);
    });

    it('R-D3 an inquorate meeting with votes is refused and says why', () => {
      const cmd = { heldOn: HELD_ON, attendeeIds: reps(1, 4), votes: ballot(1, { for: 4 }) };
      expect(errorOf(() => decide(cmd))).toBe('CONFLICT R-D3 input.attendeeIds');
      expect(messageOf(() => decide(cmd))).toBe('quorum not reached: 4 of 9 attended; more than 4.5 needed; no vote can be taken');
    });

    it('R-D3 an inquorate meeting without votes is recorded as such and decides nothing', () => {
      const d = decide({ heldOn: HELD_ON, attendeeIds: reps(1, 4) });
      expect(d.meeting).toMatchObject({ communityId: COMMUNITY, body: 'REPRESENTATIVE_ASSEMBLY', heldOn: HELD_ON, eligible: 9, attended: 4, quorate: false });
      expect(d.attendance.map((a) => a.representativeId)).toEqual(reps(1, 4));
      expect(d.resolutions).toEqual([]);
      expect(d.events.held).toMatchObject({ quorate: false, motionIds: [] });
      expect(meetingHeld.schema.safeParse(d.events.held).success).toBe(true);
    });
  });

  describe('majority (R-D3, R-D5)', () => {
    it('R-D3 a motion with exactly half of the attendees for it is rejected', () => {
      expect(isAdopted(4, 8)).toBe(false);
      const d = decide({ heldOn: HELD_ON, attendeeIds: reps(1, 8), votes: ballot(1, { for: 4, against: 4 }) });
      expect(d.resolutions[0]).toMatchObject({ status: 'REJECTED', votesFor: 4, votesAgainst: 4, abstentions: 0 });
    });

    it('R-D3 a motion with more than half of the attendees for it is adopted, with the numbers in its rule', () => {
      expect(isAdopted(5, 8)).toBe(true);
      const d = decide({ heldOn: HELD_ON, attendeeIds: reps(1, 8), votes: ballot(1, { for: 6, against: 1, abstain: 1 }) });
      expect(d.resolutions).toHaveLength(1);
      expect(d.resolutions[0]).toMatchObject({
        motionId: motionId(1),
        meetingId: d.meeting.id,
        communityId: COMMUNITY,
        status: 'ADOPTED',
        decidedOn: HELD_ON,
        eligible: 9,
        attended: 8,
        votesFor: 6,
        votesAgainst: 1,
        abstentions: 1,
        rule: 'R-D3: 8 of 9 attended (quorum: more than 4.5); 6 of 8 voted for (majority: more than 4)',
      });
      // the contract's own example, word for word
      expect(resolutionRule(9, 8, 6)).toBe(resolutionAdopted.example.rule);
      expect(resolutionRule(9, 8, 3)).toBe(resolutionRejected.example.rule);
    });

    it('R-D3 present members who do not vote count as abstentions: a majority of votes cast is not enough', () => {
      // 5 for, 1 against, 3 present and silent: 5 of 9 attendees is a majority
      const adopted = decide({ heldOn: HELD_ON, attendeeIds: reps(1, 9), votes: ballot(1, { for: 5, against: 1 }) }, { roll: roll(9) });
      expect(adopted.resolutions[0]).toMatchObject({ status: 'ADOPTED', votesFor: 5, votesAgainst: 1, abstentions: 3 });
      // 4 for, 1 against: a majority of the votes cast but not of the 9 present
      const rejected = decide({ heldOn: HELD_ON, attendeeIds: reps(1, 9), votes: ballot(1, { for: 4, against: 1 }) }, { roll: roll(9) });
      expect(rejected.resolutions[0]).toMatchObject({ status: 'REJECTED', votesFor: 4, votesAgainst: 1, abstentions: 4 });
      expect(rejected.resolutions[0]!.rule).toBe('R-D3: 9 of 9 attended (quorum: more than 4.5); 4 of 9 voted for (majority: more than 4.5)');
    });

    it('R-D5 each voted motion gets a resolution, adopted or rejected, and the events announce both', () => {
      const votes = [...ballot(1, { for: 6, against: 1, abstain: 1 }), ...ballot(2, { for: 3, against: 4 })];
      const d = decide({ heldOn: HELD_ON, attendeeIds: reps(1, 8), votes });
      expect(d.resolutions.map((r) => [r.motionId, r.status, r.abstentions])).toEqual([
        [motionId(1), 'ADOPTED', 1],
        [motionId(2), 'REJECTED', 1],
      ]);
      expect(d.decided.map((m) => [m.id, m.status])).toEqual([
        [motionId(1), 'ADOPTED'],
        [motionId(2), 'REJECTED'],
      ]);
      expect(d.votes).toHaveLength(15);
      expect(d.votes.every((v) => v.meetingId === d.meeting.id)).toBe(true);
      expect(d.events.held).toEqual({ meetingId: d.meeting.id, communityId: COMMUNITY, body: 'REPRESENTATIVE_ASSEMBLY', heldOn: HELD_ON, eligible: 9, attended: 8, quorate: true, motionIds: [motionId(1), motionId(2)] });
      const [adopted, rejected] = d.events.resolutions;
      expect(adopted).toEqual({ status: 'ADOPTED', payload: { resolutionId: d.resolutions[0]!.id, motionId: motionId(1), meetingId: d.meeting.id, communityId: COMMUNITY, title: '议案1', decidedOn: HELD_ON, eligible: 9, attended: 8, votesFor: 6, votesAgainst: 1, abstentions: 1, rule: d.resolutions[0]!.rule } });
      expect(resolutionAdopted.schema.safeParse(adopted!.payload).success).toBe(true);
      expect(rejected!.status).toBe('REJECTED');
      expect(resolutionRejected.schema.safeParse(rejected!.payload).success).toBe(true);
      expect(meetingHeld.schema.safeParse(d.events.held).success).toBe(true);
    });

    it('R-D3 a quorate meeting may decide nothing', () => {
      const d = decide({ heldOn: HELD_ON, attendeeIds: reps(1, 9) });
      expect(d.meeting.quorate).toBe(true);
      expect(d.resolutions).toEqual([]);
    });
  });

  describe('votes (R-D3)', () => {
    it('R-D3 only attendees vote', () => {
      const votes = [...ballot(1, { for: 5 }), { motionId: motionId(1), representativeId: repId(9), choice: 'FOR' }];
      expect(errorOf(() => decide({ heldOn: HELD_ON, attendeeIds: reps(1, 6), votes }))).toBe('BAD_USER_INPUT R-D3 input.votes.5.representativeId');
    });

    it('R-D3 one representative, one vote per motion', () => {
      const votes = [...ballot(1, { for: 3 }), { motionId: motionId(1), representativeId: repId(2), choice: 'AGAINST' }];
      expect(errorOf(() => decide({ heldOn: HELD_ON, attendeeIds: reps(1, 6), votes }))).toBe('CONFLICT R-D3 input.votes.3');
      // the same representative on two different motions is fine
      const two = decide({ heldOn: HELD_ON, attendeeIds: reps(1, 6), votes: [...ballot(1, { for: 4 }), ...ballot(2, { for: 4 })] });
      expect(two.resolutions).toHaveLength(2);
    });

    it('R-D3 an attendee listed twice is refused', () => {
      expect(errorOf(() => decide({ heldOn: HELD_ON, attendeeIds: [...reps(1, 5), repId(1)] }))).toBe('BAD_USER_INPUT R-D3 input.attendeeIds');
    });

    it('R-D2 a decided motion cannot be voted again', () => {
      for (const status of ['ADOPTED', 'REJECTED'] as const) {
        expect(errorOf(() => decide({ heldOn: HELD_ON, attendeeIds: reps(1, 6), votes: ballot(1, { for: 6 }) }, { motions: [motion(1, { status })] }))).toBe('CONFLICT R-D2 input.votes.0.motionId');
      }
    });

    it('voted motions must exist, belong to the community and be proposed by the meeting date', () => {
      const cmd = (m: number) => ({ heldOn: HELD_ON, attendeeIds: reps(1, 6), votes: [...ballot(1, { for: 2 }), ...ballot(m, { for: 6 })] });
      expect(errorOf(() => decide(cmd(3)))).toBe('NOT_FOUND input.votes.2.motionId');
      expect(errorOf(() => decide(cmd(2), { motions: [motion(1), motion(2, { communityId: OTHER_COMMUNITY })] }))).toBe('BAD_USER_INPUT input.votes.2.motionId');
      expect(errorOf(() => decide(cmd(2), { motions: [motion(1), motion(2, { proposedOn: '2026-11-11' })] }))).toBe('BAD_USER_INPUT R-D2 input.votes.2.motionId');
      expect(decide(cmd(2), { motions: [motion(1), motion(2, { proposedOn: HELD_ON })] }).resolutions).toHaveLength(2);
    });

    it('checks ids, choices and the meeting date before anything else', () => {
      const base = { heldOn: HELD_ON, attendeeIds: reps(1, 6) };
      expect(errorOf(() => parseMeetingInput({ ...base, heldOn: '2026-11-27' }, TODAY))).toBe('BAD_USER_INPUT input.heldOn');
      expect(errorOf(() => parseMeetingInput({ ...base, heldOn: '10/11/2026' }, TODAY))).toBe('BAD_USER_INPUT input.heldOn');
      expect(parseMeetingInput({ ...base, heldOn: TODAY }, TODAY).heldOn).toBe(TODAY);
      expect(errorOf(() => parseMeetingInput({ ...base, attendeeIds: ['not-a-uuid'] }, TODAY))).toBe('BAD_USER_INPUT input.attendeeIds');
      expect(errorOf(() => parseMeetingInput({ ...base, votes: [{ motionId: 'x', representativeId: repId(1), choice: 'FOR' }] }, TODAY))).toBe('BAD_USER_INPUT input.votes.0.motionId');
      expect(errorOf(() => parseMeetingInput({ ...base, votes: [{ motionId: motionId(1), representativeId: repId(1), choice: 'MAYBE' }] }, TODAY))).toBe('BAD_USER_INPUT input.votes.0.choice');
      const upper = parseMeetingInput({ ...base, attendeeIds: [repId(1).toUpperCase()], votes: [...ballot(2, { for: 1 }), ...ballot(1, { for: 1 }), ...ballot(2, { against: 1 }, 2)] }, TODAY);
      expect(upper.attendeeIds).toEqual([repId(1)]);
      expect(upper.motionIds).toEqual([motionId(2), motionId(1)]);
    });
  });

  describe('participation (R-D5)', () => {
    it('R-D5 participation is attendees over eligible across quorate meetings, null without any', () => {
      expect(participationRate([])).toBeNull();
      expect(participationRate([{ eligible: 9, attended: 4, quorate: false }])).toBeNull();
      expect(
        participationRate([
          { eligible: 9, attended: 8, quorate: true },
          { eligible: 10, attended: 9, quorate: true },
          { eligible: 9, attended: 4, quorate: false },
        ]),
      ).toBeCloseTo(17 / 19);
    });
  });
});
