import { createHash } from 'node:crypto';
import { noticePublished } from '@cdp/contracts';
import { approveNotice as decideApproval, rejectNotice as decideReturn, requireOnSupervisionCommittee, reviseNotice as decideRevision } from '@cdp/disclosure-domain';
import { forUpdate, recordEvent, type Em } from '@cdp/platform';
import { RUNS_PROCEDURES, chinaCivilDate, check, notFound, requireActIn, type Actor } from '@cdp/util';
import { SupervisorSeatEntity } from '../supervisors/entities';
import { NoticeEntity } from './entities';

const sha256Hex = (content: string): string => createHash('sha256').update(content, 'utf8').digest('hex');

/** Loads the notice with a row lock, so two reviews of one notice are serialised. */
async function lockNotice(tx: Em, id: string): Promise<NoticeEntity> {
  const notice = await tx.findOne(NoticeEntity, { id }, forUpdate(tx));
  if (!notice) throw notFound('notice', id, 'input.noticeId');
  return notice;
}

/** The resident id a token subject names, or null when the subject is no resident id. */
function residentIdOf(sub: string): string | null {
  try {
    return check.uuid(sub, 'sub');
  } catch {
    return null;
  }
}

/**
 * The reviewer is the caller (R-AUTH): a SUPERVISOR acting in the notice's community, whose
 * token subject is their resident id. Then R-P4: that resident sits on the community's
 * supervision committee today (FORBIDDEN R-P4 otherwise; a subject that is no resident id sits
 * nowhere). Returns the reviewer's resident id and the seats for the domain's own check.
 */
async function requireReviewer(tx: Em, actor: Actor | null, notice: NoticeEntity, now: Date) {
  const reviewer = requireActIn(actor, notice.communityId, ['SUPERVISOR']);
  const residentId = residentIdOf(reviewer.sub);
  // a subject that is no resident id sits on no committee (and is never compared with a uuid column)
  const seats = residentId ? await tx.find(SupervisorSeatEntity, { communityId: notice.communityId, residentId }) : [];
  const reviewerId = residentId ?? reviewer.sub;
  requireOnSupervisionCommittee(seats, notice.communityId, reviewerId, chinaCivilDate(now));
  return { reviewerId, seats };
}

/**
 * R-P4/R-P5: a supervision-committee member approves a draft, which publishes it in the same
 * transaction and announces `disclosure.notice.published.v1` through the outbox. The reviewer
 * is the caller (R-AUTH: role SUPERVISOR in the notice's community).
 */
export async function approveNotice(em: Em, actor: Actor | null, input: { noticeId: string }): Promise<NoticeEntity> {
  const noticeId = check.uuid(input.noticeId, 'input.noticeId');
  return em.transactional(async (tx) => {
    const notice = await lockNotice(tx, noticeId);
    const now = new Date();
    const { reviewerId, seats } = await requireReviewer(tx, actor, notice, now);
    const { notice: published, event } = decideApproval(notice, reviewerId, { seats, now, sha256Hex });
    tx.assign(notice, { status: published.status, publishedAt: published.publishedAt, approvedBy: published.approvedBy, contentHash: published.contentHash });
    recordEvent(tx, 'disclosure', noticePublished, event, now);
    return notice;
  });
}

/** R-P4: the supervision committee returns a draft with a reason; the reviewer is the caller (R-AUTH). */
export async function rejectNotice(em: Em, actor: Actor | null, input: { noticeId: string; reason: string }): Promise<NoticeEntity> {
  const noticeId = check.uuid(input.noticeId, 'input.noticeId');
  return em.transactional(async (tx) => {
    const notice = await lockNotice(tx, noticeId);
    const now = new Date();
    const { reviewerId, seats } = await requireReviewer(tx, actor, notice, now);
    const returned = decideReturn(notice, { reviewerId, reason: input.reason }, { seats, now });
    tx.assign(notice, { status: returned.status, returnedBy: returned.returnedBy, returnReason: returned.returnReason });
    return notice;
  });
}

/** R-P4: revises a draft or returned notice, which goes (back) to DRAFT; R-P5: never a published one. R-AUTH: STAFF or COMMITTEE of its community. */
export async function reviseNotice(em: Em, actor: Actor | null, input: { noticeId: string; title: string; body: string }): Promise<NoticeEntity> {
  const noticeId = check.uuid(input.noticeId, 'input.noticeId');
  return em.transactional(async (tx) => {
    const notice = await lockNotice(tx, noticeId);
    // R-AUTH: staff or committee of the notice's community
    requireActIn(actor, notice.communityId, RUNS_PROCEDURES);
    const revised = decideRevision(notice, input);
    tx.assign(notice, { title: revised.title, body: revised.body, status: revised.status });
    return notice;
  });
}
