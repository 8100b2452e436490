import { Arg, Ctx, Directive, Field, FieldResolver, ID, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { isOverdue } from '@cdp/disclosure-domain';
import { chinaCivilDate } from '@cdp/util';
import { assertRead, mayReadCommunity, type Context } from '../loaders';
import { NoticeStatus, NoticeType } from '../notices/graphql';
import type { NoticeEntity } from '../notices/entities';

/** What a Community reference carries into this subgraph. */
export interface CommunityRef {
  id: string;
}

// descriptions identical to membership's (the owner), so composition has nothing to choose between
@ObjectType('Community', { description: '社区 — an urban community led by its residents’ committee 居委会. Owned by membership; other services add their fields.' })
@Directive('@key(fields: "id")')
export class CommunityType {
  @Field(() => ID, { description: 'Community id (the Kafka key of every event about it)' })
  id!: string;
}

@Resolver(() => CommunityType)
export class CommunityNoticesResolver {
  @FieldResolver(() => [NoticeType], { description: 'Notices of the community, newest first, optionally in one status. Published notices are public; DRAFT and RETURNED ones need read scope' })
  async notices(
    @Root() c: CommunityRef,
    @Ctx() ctx: Context,
    @Arg('status', () => NoticeStatus, { nullable: true, description: 'Only notices in this status' }) status?: string | null,
  ): Promise<NoticeEntity[]> {
    // R-AUTH: residents and the public read what was published (no error); the rest needs read scope
    const [all, scoped] = await Promise.all([ctx.loaders.noticesByCommunity.load(c.id), mayReadCommunity(ctx, c.id)]);
    return all.filter((n) => (!status || n.status === status) && (scoped || n.status === 'PUBLISHED'));
  }

  @FieldResolver(() => Int, { description: 'R-P3: notices overdue 逾期 today (China time) — unpublished past their due date, or published late. Needs read scope over the community' })
  async overdueNotices(@Root() c: CommunityRef, @Ctx() ctx: Context): Promise<number> {
    // R-AUTH: not public (it counts unpublished notices)
    await assertRead(ctx, c.id);
    const today = chinaCivilDate(new Date());
    return (await ctx.loaders.noticesByCommunity.load(c.id)).filter((n) => isOverdue(n, today)).length;
  }
}

@Resolver(() => NoticeType)
export class NoticeCommunityResolver {
  @FieldResolver(() => CommunityType, { description: 'The community 社区 the notice is addressed to' })
  community(@Root() n: NoticeEntity): CommunityRef {
    return { id: n.communityId };
  }
}
