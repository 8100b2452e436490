import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { MOTION_STATUSES } from '@cdp/deliberation-domain';
import { LocalDate } from '@cdp/platform';
import { RUNS_PROCEDURES, check } from '@cdp/util';
import { CommunityType, type CommunityRef } from '../communities/graphql';
import { assertRead, type Context } from '../loaders';
import { proposeMotion } from './commands';
import type { MotionEntity } from './entities';

export const MotionStatus = Object.fromEntries(MOTION_STATUSES.map((s) => [s, s])) as { [K in (typeof MOTION_STATUSES)[number]]: K };
registerEnumType(MotionStatus, {
  name: 'MotionStatus',
  description: 'Where a motion 议案 stands',
  valuesConfig: {
    PROPOSED: { description: 'Proposed 已提议, not yet decided by the representative assembly' },
    ADOPTED: { description: 'Adopted 通过 at a quorate meeting (R-D3)' },
    REJECTED: { description: 'Rejected 未通过 at a quorate meeting; kept and counted like adopted ones (R-D5)' },
  },
});

@ObjectType('Motion', { description: '议案 — a motion put to the residents’ representative assembly 居民代表会议 (R-D2)' })
export class MotionType {
  @Field(() => ID, { description: 'Motion id' })
  id!: string;

  @Field(() => String, { description: 'Title (1–200 characters)' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'What is proposed, in detail (up to 5000 characters)' })
  description!: string | null;

  @Field(() => Boolean, { description: 'R-D6 major matter 重大事项, reported to the street office 街道; flagged when proposed' })
  major!: boolean;

  @Field(() => MotionStatus, { description: 'Proposed, adopted or rejected' })
  status!: string;

  @Field(() => LocalDate, { description: 'Date proposed' })
  proposedOn!: string;
}

@InputType({ description: 'A motion 议案 to put to the residents’ representative assembly' })
class ProposeMotionInput {
  @Field(() => ID, { description: 'Community 社区 (must be registered with membership)' })
  communityId!: string;

  @Field(() => String, { description: 'Title (1–200 characters)' })
  title!: string;

  @Field(() => String, { nullable: true, description: 'What is proposed, in detail (up to 5000 characters)' })
  description?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'R-D6 major matter 重大事项, reported to the street office (default: false)' })
  major?: boolean | null;

  @Field(() => LocalDate, { nullable: true, description: 'Date proposed (default: today, China time; not in the future)' })
  proposedOn?: string | null;
}

@Resolver(() => MotionType)
export class MotionResolver {
  @Query(() => MotionType, { nullable: true, description: 'One motion 议案 by id (R-AUTH: an adopted one to anyone; otherwise needs read access to its community)' })
  async motion(@Arg('id', () => ID, { description: 'Motion id' }) id: string, @Ctx() ctx: Context): Promise<MotionEntity | null> {
    const m = await ctx.loaders.motion.load(check.uuid(id, 'id'));
    if (m && m.status !== 'ADOPTED') await assertRead(ctx, m.communityId);
    return m;
  }

  @FieldResolver(() => CommunityType, { description: 'The community 社区 it was proposed in' })
  community(@Root() m: MotionEntity): CommunityRef {
    return { id: m.communityId };
  }

  // R-AUTH: STAFF or COMMITTEE here; that they act in the community, in the command
  @Authorized(RUNS_PROCEDURES)
  @Mutation(() => MotionType, { description: 'Propose a motion 议案 (R-D2, R-D6; STAFF or COMMITTEE of the community); announces deliberation.motion.proposed.v1' })
  proposeMotion(@Arg('input', () => ProposeMotionInput, { description: 'The motion' }) input: ProposeMotionInput, @Ctx() ctx: Context): Promise<MotionEntity> {
    return proposeMotion(ctx.em, ctx.actor, input);
  }
}

@Resolver(() => CommunityType)
export class CommunityMotionsResolver {
  @FieldResolver(() => [MotionType], { description: 'Motions 议案 of the community, oldest first, optionally only those with one status (R-AUTH: needs read access to the community)' })
  async motions(
    @Root() c: CommunityRef,
    @Ctx() ctx: Context,
    @Arg('status', () => MotionStatus, { nullable: true, description: 'Only motions with this status' }) status?: string | null,
  ): Promise<MotionEntity[]> {
    await assertRead(ctx, c.id);
    const all = await ctx.loaders.motionsByCommunity.load(c.id);
    return status ? all.filter((m) => m.status === status) : all;
  }
}
