import { createHash } from 'node:crypto';
import { noticePublished } from '@cdp/contracts';
import { approveNotice as decideApproval, rejectNotice as decideReturn, reviseNotice as decideRevision } from '@cdp/disclosure-domain';
import { forUpdate, recordEvent, type Em } from '@cdp/platform';
import { check, notFound } from '@cdp/util';
import { SupervisorSeatEntity } from '../supervisors/entities';
import { NoticeEntity } from './entities';

const sha256Hex = (content: string): string => createHash('sha256').update(content, 'utf8').digest('hex');

/** Loads the notice with a row lock, so two reviews of one notice are serialised. */
async function lockNotice(tx: Em, id: string): Promise<NoticeEntity> {
  const notice = await tx.findOne(NoticeEntity, { id }, forUpdate(tx));
  if (!notice) throw notFound('notice', id, 'input.noticeId');
  return notice;
}

/** The reviewer's seats on the supervision committee of the notice's community (R-P4). */
const seatsOf = (tx: Em, communityId: string, residentId: string) => tx.find(SupervisorSeatEntity, { communityId, residentId });

/**
 * R-P4/R-P5: a supervision-committee member approves a draft, which publishes it in the same
 * transaction and announces `disclosure.notice.published.v1` through the outbox.
 */
export async function approveNotice(em: Em, input: { noticeId: string; reviewerId: string }): Promise<NoticeEntity> {
  const noticeId = check.uuid(input.noticeId, 'input.noticeId');
  const reviewerId = check.uuid(input.reviewerId, 'input.reviewerId');
  return em.transactional(async (tx) => {
    const notice = await lockNotice(tx, noticeId);
    const now = new Date();
    const { notice: published, event } = decideApproval(notice, reviewerId, { seats: await seatsOf(tx, notice.communityId, reviewerId), now, sha256Hex });
    tx.assign(notice, { status: published.status, publishedAt: published.publishedAt, approvedBy: published.approvedBy, contentHash: published.contentHash });
    recordEvent(tx, 'disclosure', noticePublished, event, now);
    return notice;
  });
}

/** R-P4: the supervision committee returns a draft with a reason. */
export async function rejectNotice(em: Em, input: { noticeId: string; reviewerId: string; reason: string }): Promise<NoticeEntity> {
  const noticeId = check.uuid(input.noticeId, 'input.noticeId');
  const reviewerId = check.uuid(input.reviewerId, 'input.reviewerId');
  return em.transactional(async (tx) => {
    const notice = await lockNotice(tx, noticeId);
    const returned = decideReturn(notice, { reviewerId, reason: input.reason }, { seats: await seatsOf(tx, notice.communityId, reviewerId), now: new Date() });
    tx.assign(notice, { status: returned.status, returnedBy: returned.returnedBy, returnReason: returned.returnReason });
    return notice;
  });
}

/** R-P4: revises a draft or returned notice, which goes (back) to DRAFT; R-P5: never a published one. */
export async function reviseNotice(em: Em, input: { noticeId: string; title: string; body: string }): Promise<NoticeEntity> {
  const noticeId = check.uuid(input.noticeId, 'input.noticeId');
  return em.transactional(async (tx) => {
    const notice = await lockNotice(tx, noticeId);
    const revised = decideRevision(notice, input);
    tx.assign(notice, { title: revised.title, body: revised.body, status: revised.status });
    return notice;
  });
}
