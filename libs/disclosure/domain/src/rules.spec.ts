import { createHash } from 'node:crypto';
import { noticePublished } from '@cdp/contracts';
import { DomainError, WorkingDayCalendar } from '@cdp/util';
import {
  approveNotice,
  configureDisclosure,
  draftResolutionNotice,
  isOverdue,
  onSupervisionCommittee,
  rejectNotice,
  requireOnSupervisionCommittee,
  resolutionNoticeTitle,
  reviseNotice,
  settingsOrDefault,
  supervisorSeatFrom,
  type ResolutionDecided,
} from './rules';
import type { Notice, SupervisorSeat } from './model';

const calendar = new WorkingDayCalendar();
const communityId = '7d0c5d9e-0f7a-4a53-9d3a-5b1f1d0e8a11';
const otherCommunityId = '0b9f1c6e-3c1e-4a59-8f0e-6a0f3c9b2d10';
const supervisor = '5e3b7f0a-8c1d-4e2f-9a3b-1c2d3e4f5a6b';
const formerSupervisor = '6f4c8a1b-9d2e-4f3a-8b4c-2d3e4f5a6b7c';
const staff = '7a5d9b2c-0e3f-4a4b-9c5d-3e4f5a6b7c8d';
const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');

const resolution = (over: Partial<ResolutionDecided> = {}): ResolutionDecided => ({
  resolutionId: '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a',
  motionId: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
  meetingId: '6b7c8d9e-0f1a-4b2c-9d3e-4f5a6b7c8d9e',
  communityId,
  title: '3号楼加装电梯方案',
  decidedOn: '2026-11-10',
  eligible: 9,
  attended: 8,
  votesFor: 6,
  votesAgainst: 1,
  abstentions: 1,
  rule: 'R-D3: 8 of 9 attended (quorum: more than 4.5); 6 of 8 voted for (majority: more than 4)',
  ...over,
});

const seats: SupervisorSeat[] = [
  { id: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f', communityId, residentId: supervisor, startedOn: '2026-01-01', endsOn: null },
  { id: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e70', communityId, residentId: formerSupervisor, startedOn: '2024-01-01', endsOn: '2026-06-30' },
];

const draft = (over: Partial<Notice> = {}): Notice => ({
  ...draftResolutionNotice('8a9b0c1d-2e3f-4a5b-9c6d-7e8f9a0b1c2d', 'ADOPTED', resolution(), settingsOrDefault(communityId, null), calendar, new Date('2026-11-10T08:00:00Z')),
  ...over,
});

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

function codeOf(fn: () => unknown): string | undefined {
  const e = errorOf(fn);
  if (e === undefined) return undefined;
  return e instanceof DomainError ? `${e.code}${e.rule ? ` ${e.rule}` : ''}` : 'OTHER';
}

describe('disclosure rules', () => {
  it('R-P3 drafts a resolution notice due 5 working days after the decision', () => {
    const n = draft();
    expect(n).toMatchObject({ category: 'RESOLUTION', sourceId: resolution().resolutionId, status: 'DRAFT', communityId, title: '关于“3号楼加装电梯方案”的决议公开' });
    // Tuesday 10 November → Tuesday 17 November
    expect(n.dueOn).toBe('2026-11-17');
    expect(n.dueDateApproximate).toBe(false);
    expect(n.body).toContain('应到9人，实到8人；赞成6票，反对1票，弃权1票。');
    expect(n.body).toContain('表决结果：通过。');
    expect(n.body).toContain(resolution().rule);
  });

  it('R-P3/R-P8 a resolution decided on 30 September is due after the National Day holiday', () => {
    const n = draftResolutionNotice('x', 'ADOPTED', resolution({ decidedOn: '2026-09-30' }), settingsOrDefault(communityId, null), calendar, new Date());
    // 1–7 October are holidays; 8, 9, 10 (adjusted Saturday 调休), 12, 13 October are the five working days
    expect(n.dueOn).toBe('2026-10-13');
    expect(calendar.workingDaysBetween('2026-09-30', n.dueOn)).toBe(5);
  });

  it('R-P8 a due date counted into a year without holiday data is flagged approximate', () => {
    const year = Math.max(...calendar.coveredYears());
    const n = draftResolutionNotice('x', 'ADOPTED', resolution({ decidedOn: `${year}-12-28` }), settingsOrDefault(communityId, null), calendar, new Date());
    expect(n.dueDateApproximate).toBe(true);
  });

  it('R-P3 the number of working days is configurable per community (1–30)', () => {
    const three = configureDisclosure(communityId, { resolutionDueWorkingDays: 3 });
    expect(draftResolutionNotice('x', 'ADOPTED', resolution(), three, calendar, new Date()).dueOn).toBe('2026-11-13');
    expect(codeOf(() => configureDisclosure(communityId, { resolutionDueWorkingDays: 0 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => configureDisclosure(communityId, { resolutionDueWorkingDays: 31 }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => configureDisclosure(communityId, { resolutionDueWorkingDays: 2.5 }))).toBe('BAD_USER_INPUT');
    expect(settingsOrDefault(communityId, null).resolutionDueWorkingDays).toBe(5);
  });

  it('R-D5 a rejected resolution is disclosed too, titled as not adopted', () => {
    const n = draftResolutionNotice('x', 'REJECTED', resolution({ title: '小区停车收费调整', votesFor: 3, votesAgainst: 4 }), settingsOrDefault(communityId, null), calendar, new Date());
    expect(n.title).toBe('关于“小区停车收费调整”未获通过的公开');
    expect(n.body).toContain('表决结果：未获通过。');
  });

  it('a generated title never exceeds 200 characters', () => {
    const t = resolutionNoticeTitle('长'.repeat(200), 'REJECTED');
    expect(t.length).toBe(200);
    expect(t.startsWith('关于“长')).toBe(true);
    expect(t.endsWith('…”未获通过的公开')).toBe(true);
  });

  it('R-P4 keeps only supervision-committee seats', () => {
    const base = { membershipId: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f', residentId: supervisor, communityId, startedOn: '2026-01-01' };
    expect(supervisorSeatFrom({ ...base, body: 'SUPERVISION_COMMITTEE' })).toEqual({ id: base.membershipId, communityId, residentId: supervisor, startedOn: '2026-01-01', endsOn: null });
    expect(supervisorSeatFrom({ ...base, body: 'RESIDENTS_COMMITTEE' })).toBeNull();
    expect(onSupervisionCommittee(seats, communityId, supervisor, '2026-11-26')).toBe(true);
    expect(onSupervisionCommittee(seats, otherCommunityId, supervisor, '2026-11-26')).toBe(false);
    expect(onSupervisionCommittee(seats, communityId, supervisor, '2025-12-31')).toBe(false);
  });

  it('R-P4 a supervision-committee member approves: the notice is published with its content hash', () => {
    const now = new Date('2026-11-12T02:00:00Z');
    const { notice, event } = approveNotice(draft(), supervisor, { seats, now, sha256Hex });
    expect(notice).toMatchObject({ status: 'PUBLISHED', publishedAt: now, approvedBy: supervisor });
    expect(notice.contentHash).toBe(sha256Hex(`${notice.title}\n${notice.body}`));
    expect(noticePublished.schema.parse(event)).toEqual(event);
    expect(event).toMatchObject({ noticeId: notice.id, communityId, category: 'RESOLUTION', sourceId: resolution().resolutionId, dueOn: '2026-11-17', onTime: true, approvedBy: supervisor, contentHash: notice.contentHash });
    expect(event).not.toHaveProperty('body');
  });

  it('R-P4 a non-supervisor cannot approve or return a notice', () => {
    const now = new Date('2026-11-12T02:00:00Z');
    expect(codeOf(() => approveNotice(draft(), staff, { seats, now, sha256Hex }))).toBe('FORBIDDEN R-P4');
    expect(codeOf(() => rejectNotice(draft(), { reviewerId: staff, reason: '数字有误' }, { seats, now }))).toBe('FORBIDDEN R-P4');
    expect(errorOf(() => approveNotice(draft(), staff, { seats, now, sha256Hex }))).toMatchObject({ code: 'FORBIDDEN', field: 'input.reviewerId', rule: 'R-P4' });
  });

  it('R-P4 the roll check on its own: members in office pass, anyone else is FORBIDDEN R-P4 naming no field unless asked', () => {
    expect(codeOf(() => requireOnSupervisionCommittee(seats, communityId, supervisor, '2026-11-26'))).toBeUndefined();
    for (const [c, r] of [[communityId, staff], [communityId, formerSupervisor], [otherCommunityId, supervisor]] as const) {
      expect(codeOf(() => requireOnSupervisionCommittee(seats, c, r, '2026-11-26'))).toBe('FORBIDDEN R-P4');
    }
    expect(errorOf(() => requireOnSupervisionCommittee(seats, communityId, staff, '2026-11-26'))).toMatchObject({ field: undefined, rule: 'R-P4' });
    expect(errorOf(() => requireOnSupervisionCommittee(seats, communityId, staff, '2026-11-26', 'input.x'))).toMatchObject({ field: 'input.x' });
  });

  it('R-P4 a supervisor of another community cannot approve', () => {
    const elsewhere = draft({ communityId: otherCommunityId });
    expect(codeOf(() => approveNotice(elsewhere, supervisor, { seats, now: new Date('2026-11-12T02:00:00Z'), sha256Hex }))).toBe('FORBIDDEN R-P4');
  });

  it('R-P4 a supervisor whose membership ended is refused', () => {
    const now = new Date('2026-11-12T02:00:00Z');
    expect(codeOf(() => approveNotice(draft(), formerSupervisor, { seats, now, sha256Hex }))).toBe('FORBIDDEN R-P4');
    // while the seat lasted (30 June 2026, China time) the same person could approve
    expect(approveNotice(draft(), formerSupervisor, { seats, now: new Date('2026-06-30T15:00:00Z'), sha256Hex }).notice.status).toBe('PUBLISHED');
    expect(codeOf(() => approveNotice(draft(), formerSupervisor, { seats, now: new Date('2026-06-30T16:00:00Z'), sha256Hex }))).toBe('FORBIDDEN R-P4');
  });

  it('R-P4 a returned notice carries the reason and must be revised before it is reviewed again', () => {
    const now = new Date('2026-11-12T02:00:00Z');
    const returned = rejectNotice(draft(), { reviewerId: supervisor, reason: '  请补充实施时间  ' }, { seats, now });
    expect(returned).toMatchObject({ status: 'RETURNED', returnReason: '请补充实施时间', returnedBy: supervisor });
    expect(codeOf(() => approveNotice(returned, supervisor, { seats, now, sha256Hex }))).toBe('CONFLICT R-P4');
    expect(codeOf(() => rejectNotice(returned, { reviewerId: supervisor, reason: 'again' }, { seats, now }))).toBe('CONFLICT R-P4');
    expect(codeOf(() => rejectNotice(draft(), { reviewerId: supervisor, reason: '' }, { seats, now }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => rejectNotice(draft(), { reviewerId: supervisor, reason: 'x'.repeat(501) }, { seats, now }))).toBe('BAD_USER_INPUT');
  });

  it('R-P4 revise works from DRAFT or RETURNED and goes back to DRAFT', () => {
    const now = new Date('2026-11-12T02:00:00Z');
    const returned = rejectNotice(draft(), { reviewerId: supervisor, reason: '请补充实施时间' }, { seats, now });
    const revised = reviseNotice(returned, { title: ' 新标题 ', body: '新正文' });
    expect(revised).toMatchObject({ status: 'DRAFT', title: '新标题', body: '新正文', returnReason: '请补充实施时间' });
    expect(reviseNotice(draft(), { title: 'T', body: 'B' }).status).toBe('DRAFT');
    expect(approveNotice(revised, supervisor, { seats, now, sha256Hex }).notice.contentHash).toBe(sha256Hex('新标题\n新正文'));
    expect(codeOf(() => reviseNotice(draft(), { title: '', body: 'B' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => reviseNotice(draft(), { title: 'x'.repeat(201), body: 'B' }))).toBe('BAD_USER_INPUT');
    expect(codeOf(() => reviseNotice(draft(), { title: 'T', body: 'x'.repeat(20001) }))).toBe('BAD_USER_INPUT');
  });

  it('R-P5 a published notice is immutable: approve, reject and revise are refused', () => {
    const now = new Date('2026-11-12T02:00:00Z');
    const { notice } = approveNotice(draft(), supervisor, { seats, now, sha256Hex });
    expect(codeOf(() => approveNotice(notice, supervisor, { seats, now, sha256Hex }))).toBe('CONFLICT R-P5');
    expect(codeOf(() => rejectNotice(notice, { reviewerId: supervisor, reason: '改' }, { seats, now }))).toBe('CONFLICT R-P5');
    expect(codeOf(() => reviseNotice(notice, { title: 'T', body: 'B' }))).toBe('CONFLICT R-P5');
    expect(errorOf(() => reviseNotice(notice, { title: 'T', body: 'B' }))).toMatchObject({ field: 'input.noticeId' });
  });

  it('R-P3 overdue: unpublished past the due date, or published after it', () => {
    const n = draft(); // due 2026-11-17
    expect(isOverdue(n, '2026-11-17')).toBe(false);
    expect(isOverdue(n, '2026-11-18')).toBe(true);
    expect(isOverdue({ ...n, status: 'RETURNED' }, '2026-11-18')).toBe(true);
    // published on the due date (China time: 17 Nov 23:30 is 15:30 UTC): on time, forever
    const onTime = approveNotice(n, supervisor, { seats, now: new Date('2026-11-17T15:30:00Z'), sha256Hex });
    expect(onTime.event.onTime).toBe(true);
    expect(isOverdue(onTime.notice, '2027-01-01')).toBe(false);
    // published a day late (18 Nov 00:30 China time): overdue, and the event says so
    const late = approveNotice(n, supervisor, { seats, now: new Date('2026-11-17T16:30:00Z'), sha256Hex });
    expect(late.event.onTime).toBe(false);
    expect(isOverdue(late.notice, '2026-11-18')).toBe(true);
  });
});
