import type { PayloadOf, bodyMemberAppointed, noticePublished, resolutionAdopted } from '@cdp/contracts';
import { chinaCivilDate, forbidden, check, conflict, type WorkingDayResult } from '@cdp/util';
import { DEFAULT_DISCLOSURE_SETTINGS, NOTICE_LIMITS, type DisclosureSettings, type Notice, type ResolutionOutcome, type SupervisorSeat } from './model';

/** What a resolution event carries (adopted and rejected share the shape). */
export type ResolutionDecided = PayloadOf<typeof resolutionAdopted>;

/** The part of the working-day calendar (R-P8) the rules need. */
export interface WorkingDays {
  addWorkingDays(from: string, n: number): WorkingDayResult;
}

/** R-P3 (ours, configurable): settings of a community, or the defaults when it has none. */
export function settingsOrDefault(communityId: string, stored: DisclosureSettings | null | undefined): DisclosureSettings {
  return stored ?? { communityId, resolutionDueWorkingDays: DEFAULT_DISCLOSURE_SETTINGS.resolutionDueWorkingDays };
}

/** R-P3: validates a community's disclosure settings. */
export function configureDisclosure(communityId: string, cmd: { resolutionDueWorkingDays: number }): DisclosureSettings {
  return { communityId, resolutionDueWorkingDays: check.intRange(cmd.resolutionDueWorkingDays, 'input.resolutionDueWorkingDays', 1, 30) };
}

/**
 * R-P3/R-P8: a resolution is disclosed within N working days of the decision (default 5);
 * weekends and public holidays do not count, adjusted working days 调休 do. `approximate` is
 * true when a year without official holiday data was counted.
 */
export function resolutionDueDate(calendar: WorkingDays, decidedOn: string, settings: DisclosureSettings): WorkingDayResult {
  return calendar.addWorkingDays(check.date(decidedOn, 'decidedOn'), settings.resolutionDueWorkingDays);
}

/** Shortens `text` to at most `max` characters (code points), marking the cut with “…”. */
function fit(text: string, max: number): string {
  const chars = Array.from(text);
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Title of a resolution notice, e.g. 关于“3号楼加装电梯方案”的决议公开 (at most 200 characters). */
export function resolutionNoticeTitle(title: string, outcome: ResolutionOutcome): string {
  const [before, after] = outcome === 'ADOPTED' ? ['关于“', '”的决议公开'] : ['关于“', '”未获通过的公开'];
  return `${before}${fit(title, NOTICE_LIMITS.title - before.length - after.length)}${after}`;
}

/** Body of a resolution notice: the counts and the rule that decided (R-D3, R-D5). */
export function resolutionNoticeBody(r: ResolutionDecided, outcome: ResolutionOutcome): string {
  return [
    `${r.decidedOn}，居民代表会议对“${r.title}”进行了表决，现将结果公开如下：`,
    `应到${r.eligible}人，实到${r.attended}人；赞成${r.votesFor}票，反对${r.votesAgainst}票，弃权${r.abstentions}票。`,
    `表决结果：${outcome === 'ADOPTED' ? '通过' : '未获通过'}。`,
    `计票依据：${r.rule}`,
    '居民对本公开如有意见，可向居务监督委员会反映。',
  ].join('\n');
}

/**
 * R-P3: drafts the notice that discloses a resolution, adopted or rejected (R-D5). It waits in
 * DRAFT for the supervision committee's review (R-P4) and is due N working days after the
 * decision (R-P8).
 */
export function draftResolutionNotice(id: string, outcome: ResolutionOutcome, r: ResolutionDecided, settings: DisclosureSettings, calendar: WorkingDays, now: Date): Notice {
  const due = resolutionDueDate(calendar, r.decidedOn, settings);
  return {
    id,
    communityId: r.communityId,
    category: 'RESOLUTION',
    sourceId: r.resolutionId,
    title: resolutionNoticeTitle(r.title, outcome),
    body: resolutionNoticeBody(r, outcome),
    status: 'DRAFT',
    dueOn: due.date,
    dueDateApproximate: due.approximate,
    createdAt: now,
    publishedAt: null,
    approvedBy: null,
    returnedBy: null,
    returnReason: null,
    contentHash: null,
  };
}

/** A seat to keep from `membership.body-member.appointed.v1`, or null when it is another body. */
export function supervisorSeatFrom(p: PayloadOf<typeof bodyMemberAppointed>): SupervisorSeat | null {
  if (p.body !== 'SUPERVISION_COMMITTEE') return null;
  return { id: p.membershipId, communityId: p.communityId, residentId: p.residentId, startedOn: p.startedOn, endsOn: p.endsOn ?? null };
}

/** Does the resident sit on the community's supervision committee on `on` (R-P4, R-M3)? */
export function onSupervisionCommittee(seats: readonly SupervisorSeat[], communityId: string, residentId: string, on: string): boolean {
  return seats.some((s) => s.communityId === communityId && s.residentId === residentId && s.startedOn <= on && (s.endsOn === null || on <= s.endsOn));
}

/**
 * R-P4: only a member of the community's supervision committee, on that day, may review its
 * notices (FORBIDDEN, rule R-P4; `field` names the input that carried the reviewer, if any —
 * the service takes the reviewer from the caller's token, so it names none).
 */
export function requireOnSupervisionCommittee(seats: readonly SupervisorSeat[], communityId: string, residentId: string, today: string, field?: string): void {
  if (!onSupervisionCommittee(seats, communityId, residentId, today)) {
    throw forbidden(`the reviewer is not a member of the community’s supervision committee 居务监督委员会 on ${today}`, 'R-P4', field);
  }
}

/** R-P4: the reviewer of a notice sits on its community's supervision committee today. */
function requireReviewer(seats: readonly SupervisorSeat[], notice: Notice, reviewerId: string, today: string): void {
  requireOnSupervisionCommittee(seats, notice.communityId, reviewerId, today, 'input.reviewerId');
}

/** R-P5: a published notice is never changed; a correction is a new notice. */
function requireNotPublished(notice: Notice): void {
  if (notice.status === 'PUBLISHED') throw conflict('the notice is published and cannot be changed; publish a correcting notice instead', 'R-P5', 'input.noticeId');
}

/** R-P5: what the content hash covers. */
export function noticeContent(title: string, body: string): string {
  return `${title}\n${body}`;
}

/** R-P3: a publication on or before the due date (China civil date) is on time. */
export function publishedOnTime(dueOn: string, publishedAt: Date): boolean {
  return chinaCivilDate(publishedAt) <= dueOn;
}

/**
 * R-P3 overdue: not published and the due date has passed, or published after the due date.
 * `today` is the China civil date.
 */
export function isOverdue(notice: Pick<Notice, 'status' | 'dueOn' | 'publishedAt'>, today: string): boolean {
  if (notice.status === 'PUBLISHED' && notice.publishedAt) return !publishedOnTime(notice.dueOn, notice.publishedAt);
  return today > notice.dueOn;
}

export interface ApproveContext {
  /** the supervision-committee seats of the notice's community (any dates) */
  seats: readonly SupervisorSeat[];
  now: Date;
  /** SHA-256 hex of a string (the service supplies node:crypto) */
  sha256Hex(content: string): string;
}

/**
 * R-P4: a supervision-committee member approves a draft, which publishes it at once (R-P5:
 * from then on it is immutable; the content hash makes the record tamper-evident).
 */
export function approveNotice(notice: Notice, reviewerId: string, ctx: ApproveContext): { notice: Notice; event: PayloadOf<typeof noticePublished> } {
  requireNotPublished(notice);
  if (notice.status !== 'DRAFT') throw conflict('the notice was returned; revise it before it is reviewed again', 'R-P4', 'input.noticeId');
  requireReviewer(ctx.seats, notice, reviewerId, chinaCivilDate(ctx.now));
  const contentHash = ctx.sha256Hex(noticeContent(notice.title, notice.body));
  if (!/^[0-9a-f]{64}$/.test(contentHash)) throw new Error('sha256Hex must return 64 lower-case hex digits');
  const published: Notice = { ...notice, status: 'PUBLISHED', publishedAt: ctx.now, approvedBy: reviewerId, contentHash };
  return {
    notice: published,
    event: {
      noticeId: notice.id,
      communityId: notice.communityId,
      category: notice.category,
      ...(notice.sourceId ? { sourceId: notice.sourceId } : {}),
      title: notice.title,
      publishedAt: ctx.now.toISOString(),
      dueOn: notice.dueOn,
      onTime: publishedOnTime(notice.dueOn, ctx.now),
      approvedBy: reviewerId,
      contentHash,
    },
  };
}

/** R-P4: the supervision committee returns a draft with a reason (1–500 characters). */
export function rejectNotice(notice: Notice, cmd: { reviewerId: string; reason: string }, ctx: { seats: readonly SupervisorSeat[]; now: Date }): Notice {
  const reason = check.text(cmd.reason, 'input.reason', { max: NOTICE_LIMITS.reason });
  requireNotPublished(notice);
  if (notice.status !== 'DRAFT') throw conflict('the notice was already returned; it can be reviewed again once revised', 'R-P4', 'input.noticeId');
  requireReviewer(ctx.seats, notice, cmd.reviewerId, chinaCivilDate(ctx.now));
  return { ...notice, status: 'RETURNED', returnedBy: cmd.reviewerId, returnReason: reason };
}

/**
 * R-P4: staff revise a draft or a returned notice; it goes (back) to DRAFT for review. The last
 * return reason is kept so the reviewer sees what was asked. R-P5: never once published.
 */
export function reviseNotice(notice: Notice, cmd: { title: string; body: string }): Notice {
  const title = check.text(cmd.title, 'input.title', { max: NOTICE_LIMITS.title });
  const body = check.text(cmd.body, 'input.body', { max: NOTICE_LIMITS.body });
  requireNotPublished(notice);
  if (notice.status !== 'DRAFT' && notice.status !== 'RETURNED') throw conflict(`a ${notice.status} notice cannot be revised`, 'R-P4', 'input.noticeId');
  return { ...notice, title, body, status: 'DRAFT' };
}
