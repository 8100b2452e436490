import { Arg, Ctx, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { RESOLUTION_STATUSES } from '@cdp/deliberation-domain';
import { LocalDate } from '@cdp/platform';
import { check, notFound } from '@cdp/util';
import { CommunityType, RepresentativeType, type CommunityRef, type RepresentativeRef } from '../communities/graphql';
import { MeetingType, VoteChoice } from '../meetings/graphql';
import type { MeetingEntity, VoteEntity } from '../meetings/entities';
import { MotionType } from '../motions/graphql';
import type { MotionEntity } from '../motions/entities';
import { assertRead, mayReadCommunity, type Context } from '../loaders';
import type { ResolutionEntity } from './entities';

export const ResolutionStatus = Object.fromEntries(RESOLUTION_STATUSES.map((s) => [s, s])) as { [K in (typeof RESOLUTION_STATUSES)[number]]: K };
registerEnumType(ResolutionStatus, {
  name: 'ResolutionStatus',
  description: 'Outcome of a motion at a quorate meeting (R-D5: both are kept and counted)',
  valuesConfig: {
    ADOPTED: { description: 'Adopted 通过: more than half of the attendees voted for it (R-D3)' },
    REJECTED: { description: 'Rejected 未通过: half of the attendees or fewer voted for it' },
  },
});

@ObjectType('Resolution', { description: '决议 — the decision on one motion at one quorate meeting, with the numbers that decided it (R-D3, R-D5)' })
export class ResolutionType {
  @Field(() => ID, { description: 'Resolution id' })
  id!: string;

  @Field(() => ResolutionStatus, { description: 'Adopted or rejected' })
  status!: string;

  @Field(() => LocalDate, { description: 'Date decided (the meeting date)' })
  decidedOn!: string;

  @Field(() => Int, { description: 'Representatives on the roll at the meeting date' })
  eligible!: number;

  @Field(() => Int, { description: 'Representatives present' })
  attended!: number;

  @Field(() => Int, { description: 'Votes for 赞成' })
  votesFor!: number;

  @Field(() => Int, { description: 'Votes against 反对' })
  votesAgainst!: number;

  @Field(() => Int, { description: 'Abstentions 弃权, including present members who did not vote' })
  abstentions!: number;

  @Field(() => String, { description: 'The rule that decided it, with the numbers, e.g. “R-D3: 8 of 9 attended (quorum: more than 4.5); 6 of 8 voted for (majority: more than 4)”' })
  rule!: string;
}

@ObjectType('Vote', { description: 'One representative’s vote on one motion, kept for audit (R-D3: one representative, one vote per motion)' })
export class VoteType {
  @Field(() => ID, { description: 'Vote id' })
  id!: string;

  @Field(() => VoteChoice, { description: 'For, against or abstain' })
  choice!: string;
}

/**
 * R-AUTH: adopted resolutions are public — their numbers, rule, date, community and the motion
 * they adopted, to anyone, without a token (R-P1: resolutions are disclosed; a public dashboard of
 * decisions). Rejected resolutions, the meeting behind a resolution and the individual votes need
 * read access to the community.
 */
@Resolver(() => ResolutionType)
export class ResolutionResolver {
  @Query(() => ResolutionType, { nullable: true, description: 'One resolution 决议 by id (R-AUTH: an adopted one to anyone; a rejected one needs read access to its community)' })
  async resolution(@Arg('id', () => ID, { description: 'Resolution id' }) id: string, @Ctx() ctx: Context): Promise<ResolutionEntity | null> {
    const r = await ctx.loaders.resolution.load(check.uuid(id, 'id'));
    if (r && r.status !== 'ADOPTED') await assertRead(ctx, r.communityId);
    return r;
  }

  @FieldResolver(() => MotionType, { description: 'The motion 议案 decided (R-AUTH: public when the resolution was adopted; otherwise needs read access to the community)' })
  async motion(@Root() r: ResolutionEntity, @Ctx() ctx: Context): Promise<MotionEntity> {
    if (r.status !== 'ADOPTED') await assertRead(ctx, r.communityId);
    const m = await ctx.loaders.motion.load(r.motionId);
    if (!m) throw notFound('motion', r.motionId);
    return m;
  }

  @FieldResolver(() => MeetingType, { description: 'The meeting that decided it (R-AUTH: needs read access to the community)' })
  async meeting(@Root() r: ResolutionEntity, @Ctx() ctx: Context): Promise<MeetingEntity> {
    await assertRead(ctx, r.communityId);
    const m = await ctx.loaders.meeting.load(r.meetingId);
    if (!m) throw notFound('meeting', r.meetingId);
    return m;
  }

  @FieldResolver(() => CommunityType, { description: 'The community 社区' })
  community(@Root() r: ResolutionEntity): CommunityRef {
    return { id: r.communityId };
  }

  @FieldResolver(() => [VoteType], { description: 'The individual votes cast on the motion (present members without a vote are not listed; R-AUTH: needs read access to the community)' })
  async votes(@Root() r: ResolutionEntity, @Ctx() ctx: Context): Promise<VoteEntity[]> {
    await assertRead(ctx, r.communityId);
    return ctx.loaders.votesByMotion.load(r.motionId);
  }
}

@Resolver(() => VoteType)
export class VoteResolver {
  @FieldResolver(() => RepresentativeType, { description: 'The representative who voted' })
  representative(@Root() v: VoteEntity): RepresentativeRef {
    return { id: v.representativeId };
  }
}

@Resolver(() => MotionType)
export class MotionResolutionResolver {
  @FieldResolver(() => ResolutionType, { nullable: true, description: 'The resolution 决议 that decided it; null while PROPOSED' })
  resolution(@Root() m: MotionEntity, @Ctx() ctx: Context): Promise<ResolutionEntity | null> {
    return ctx.loaders.resolutionByMotion.load(m.id);
  }
}

@Resolver(() => MeetingType)
export class MeetingResolutionsResolver {
  @FieldResolver(() => [ResolutionType], { description: 'Resolutions decided at the meeting (none when it was inquorate)' })
  resolutions(@Root() m: MeetingEntity, @Ctx() ctx: Context): Promise<ResolutionEntity[]> {
    return ctx.loaders.resolutionsByMeeting.load(m.id);
  }
}

@Resolver(() => CommunityType)
export class CommunityResolutionsResolver {
  @FieldResolver(() => [ResolutionType], {
    description:
      'Resolutions 决议 of the community’s representative assembly, oldest first, optionally only adopted or only rejected (R-D5). R-AUTH: without read access to the community, only the adopted ones (public)',
  })
  async resolutions(
    @Root() c: CommunityRef,
    @Ctx() ctx: Context,
    @Arg('status', () => ResolutionStatus, { nullable: true, description: 'Only resolutions with this outcome' }) status?: string | null,
  ): Promise<ResolutionEntity[]> {
    // R-AUTH: a caller without read scope (or without a token) sees the public ones, no error
    const [readable, all] = await Promise.all([mayReadCommunity(ctx, c.id), ctx.loaders.resolutionsByCommunity.load(c.id)]);
    return all.filter((r) => (!status || r.status === status) && (readable || r.status === 'ADOPTED'));
  }
}
