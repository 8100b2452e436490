import type { FilterQuery } from '@mikro-orm/core';
import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { NOTICE_CATEGORIES } from '@cdp/contracts';
import { NOTICE_STATUSES, isOverdue } from '@cdp/disclosure-domain';
import { DateTime, LocalDate } from '@cdp/platform';
import { RUNS_PROCEDURES, chinaCivilDate, check } from '@cdp/util';
import { assertRead, mayReadCommunity, readableCommunities, type Context } from '../loaders';
import { approveNotice, rejectNotice, reviseNotice } from './commands';
import { NoticeEntity } from './entities';

export const NoticeCategory = Object.fromEntries(NOTICE_CATEGORIES.map((c) => [c, c])) as { [K in (typeof NOTICE_CATEGORIES)[number]]: K };
registerEnumType(NoticeCategory, {
  name: 'NoticeCategory',
  description: 'Category of a disclosure 公开类别 (R-P1)',
  valuesConfig: {
    RESOLUTION: { description: 'A resolution of the representative assembly, adopted or rejected 决议公开 (R-P3, R-D5)' },
    IMPLEMENTATION_RESULT: { description: 'The result of implementing a resolution 实施结果公开 (R-D7)' },
    FINANCE: { description: 'Finances 财务公开: expenditure, fees, donations, collective assets' },
    EVALUATION_RESULT: { description: 'Results of a democratic evaluation 民主评议结果 (R-E4)' },
    COMMUNITY_AFFAIRS: { description: 'Community affairs 居务公开' },
    PARTY_AFFAIRS: { description: 'Party affairs 党务公开' },
  },
});

export const NoticeStatus = Object.fromEntries(NOTICE_STATUSES.map((s) => [s, s])) as { [K in (typeof NOTICE_STATUSES)[number]]: K };
registerEnumType(NoticeStatus, {
  name: 'NoticeStatus',
  description: 'Where a notice stands in review and publication (R-P4, R-P5)',
  valuesConfig: {
    DRAFT: { description: 'Drafted or revised, waiting for the supervision committee’s review 待审核' },
    RETURNED: { description: 'Returned by the supervision committee with a reason 退回 (R-P4); revise it to resubmit' },
    PUBLISHED: { description: 'Approved and published 已公开; immutable from then on (R-P5)' },
  },
});

@ObjectType('Notice', { description: '公开/公示 — a notice to the residents of a community, reviewed by the supervision committee before publication (R-P4) and immutable once published (R-P5)' })
export class NoticeType {
  @Field(() => ID, { description: 'Notice id' })
  id!: string;

  @Field(() => NoticeCategory, { description: 'Disclosure category (R-P1)' })
  category!: string;

  @Field(() => String, { description: 'Title 标题 (1–200 characters)' })
  title!: string;

  @Field(() => String, { description: 'Text 正文 (1–20000 characters)' })
  body!: string;

  @Field(() => NoticeStatus, { description: 'Review and publication status' })
  status!: string;

  @Field(() => ID, { nullable: true, description: 'What the notice discloses, e.g. the resolution 决议 id for a RESOLUTION notice' })
  sourceId!: string | null;

  @Field(() => LocalDate, { description: 'R-P3: last day to publish on time, counted in working days (R-P8)' })
  dueOn!: string;

  @Field(() => Boolean, { description: 'R-P8: the due date counted days of a year without official holiday data (Monday–Friday assumed)' })
  dueDateApproximate!: boolean;

  @Field(() => DateTime, { nullable: true, description: 'When it was published 公开时间' })
  publishedAt!: Date | null;

  @Field(() => ID, { nullable: true, description: 'Resident id of the supervision-committee member 居务监督委员会成员 who approved it (R-P4)' })
  approvedBy!: string | null;

  @Field(() => String, { nullable: true, description: 'Why the supervision committee last returned it 退回理由 (R-P4); kept after revision' })
  returnReason!: string | null;

  @Field(() => String, { nullable: true, description: 'R-P5: SHA-256 (hex) of the published title and body (`title + "\\n" + body`), set on publication' })
  contentHash!: string | null;
}

@InputType({ description: 'A supervision-committee member approves a notice, which publishes it (R-P4); the reviewer is the caller' })
class ApproveNoticeInput {
  @Field(() => ID, { description: 'The notice (a DRAFT)' })
  noticeId!: string;
}

@InputType({ description: 'A supervision-committee member returns a notice with a reason 退回 (R-P4); the reviewer is the caller' })
class RejectNoticeInput {
  @Field(() => ID, { description: 'The notice (a DRAFT)' })
  noticeId!: string;

  @Field(() => String, { description: 'Why it goes back 退回理由 (1–500 characters)' })
  reason!: string;
}

@InputType({ description: 'Revise a draft or returned notice 修改; it goes (back) to DRAFT for review' })
class ReviseNoticeInput {
  @Field(() => ID, { description: 'The notice (DRAFT or RETURNED; a PUBLISHED notice cannot change, R-P5)' })
  noticeId!: string;

  @Field(() => String, { description: 'New title 标题 (1–200 characters)' })
  title!: string;

  @Field(() => String, { description: 'New text 正文 (1–20000 characters)' })
  body!: string;
}

const today = () => chinaCivilDate(new Date());

/** R-AUTH: a published notice is public; DRAFT and RETURNED ones are read only with read scope over the community. */
const PUBLISHED: NoticeEntity['status'] = 'PUBLISHED';

@Resolver(() => NoticeType)
export class NoticeResolver {
  @Query(() => NoticeType, { nullable: true, description: 'One notice by id. A published notice is public; a DRAFT or RETURNED one needs read scope over its community' })
  async notice(@Arg('id', () => ID, { description: 'Notice id' }) id: string, @Ctx() ctx: Context): Promise<NoticeEntity | null> {
    const n = await ctx.loaders.notice.load(check.uuid(id, 'id'));
    // R-AUTH: residents and the public read what was published; the rest is the community's
    if (n && n.status !== PUBLISHED) await assertRead(ctx, n.communityId);
    return n;
  }

  @Query(() => [NoticeType], {
    description: 'Notices, newest first, optionally of one community and/or in one status. Published notices are public; DRAFT and RETURNED ones are listed only where the caller has read scope',
  })
  async notices(
    @Ctx() ctx: Context,
    @Arg('status', () => NoticeStatus, { nullable: true, description: 'Only notices in this status' }) status?: string | null,
    @Arg('communityId', () => ID, { nullable: true, description: 'Only this community 社区' }) communityId?: string | null,
  ): Promise<NoticeEntity[]> {
    const community = communityId ? check.uuid(communityId, 'communityId') : null;
    const where: FilterQuery<NoticeEntity>[] = [];
    if (community) where.push({ communityId: community });
    if (status) where.push({ status: status as NoticeEntity['status'] });
    // R-AUTH: without read scope, only what was published (no error: it is the public view)
    if (community) {
      if (!(await mayReadCommunity(ctx, community))) where.push({ status: PUBLISHED });
    } else {
      const readable = await readableCommunities(ctx);
      if (readable !== 'all') where.push(readable.length ? { $or: [{ status: PUBLISHED }, { communityId: { $in: readable } }] } : { status: PUBLISHED });
    }
    return ctx.em.find(NoticeEntity, where.length ? { $and: where } : {}, { orderBy: { createdAt: 'desc', id: 'desc' } });
  }

  @FieldResolver(() => Boolean, { description: 'R-P3: overdue 逾期 — not published and past its due date (China time), or published after it' })
  overdue(@Root() n: NoticeEntity): boolean {
    return isOverdue(n, today());
  }

  @FieldResolver()
  async returnReason(@Root() n: NoticeEntity, @Ctx() ctx: Context): Promise<string | null> {
    // R-AUTH: of an unpublished notice, only for those with read scope (who alone see the notice)
    if (n.status !== PUBLISHED) await assertRead(ctx, n.communityId);
    return n.returnReason;
  }

  // R-AUTH: the reviewer is the caller, a SUPERVISOR acting in the notice's community (checked in the command), then R-P4
  @Authorized('SUPERVISOR')
  @Mutation(() => NoticeType, {
    description:
      'R-P4: a supervision-committee member approves a DRAFT, which publishes it; announces disclosure.notice.published.v1. The reviewer is the caller (role SUPERVISOR in the community). FORBIDDEN (R-P4) for anyone not on the committee today; CONFLICT (R-P5) once published',
  })
  approveNotice(@Arg('input', () => ApproveNoticeInput, { description: 'The notice' }) input: ApproveNoticeInput, @Ctx() ctx: Context): Promise<NoticeEntity> {
    return approveNotice(ctx.em, ctx.actor, input);
  }

  // R-AUTH: as approveNotice
  @Authorized('SUPERVISOR')
  @Mutation(() => NoticeType, {
    description: 'R-P4: a supervision-committee member returns a DRAFT with a reason (status RETURNED). The reviewer is the caller (role SUPERVISOR in the community). CONFLICT (R-P5) once published',
  })
  rejectNotice(@Arg('input', () => RejectNoticeInput, { description: 'Notice and reason' }) input: RejectNoticeInput, @Ctx() ctx: Context): Promise<NoticeEntity> {
    return rejectNotice(ctx.em, ctx.actor, input);
  }

  // R-AUTH: STAFF or COMMITTEE, of the notice's community (checked in the command)
  @Authorized(RUNS_PROCEDURES)
  @Mutation(() => NoticeType, { description: 'Revise a DRAFT or RETURNED notice; it goes back to DRAFT for review (R-P4). STAFF or COMMITTEE of the community. CONFLICT (R-P5) once published' })
  reviseNotice(@Arg('input', () => ReviseNoticeInput, { description: 'Notice and its new text' }) input: ReviseNoticeInput, @Ctx() ctx: Context): Promise<NoticeEntity> {
    return reviseNotice(ctx.em, ctx.actor, input);
  }
}
