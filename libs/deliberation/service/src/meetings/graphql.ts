import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { VOTE_CHOICES } from '@cdp/deliberation-domain';
import { LocalDate } from '@cdp/platform';
import { RUNS_PROCEDURES, check } from '@cdp/util';
import { CommunityType, RepresentativeType, type CommunityRef, type RepresentativeRef } from '../communities/graphql';
import { assertRead, type Context } from '../loaders';
import { recordMeeting } from './commands';
import type { MeetingEntity } from './entities';

export const VoteChoice = Object.fromEntries(VOTE_CHOICES.map((c) => [c, c])) as { [K in (typeof VOTE_CHOICES)[number]]: K };
registerEnumType(VoteChoice, {
  name: 'VoteChoice',
  description: 'A representative’s vote on a motion (R-D3)',
  valuesConfig: {
    FOR: { description: 'For 赞成' },
    AGAINST: { description: 'Against 反对' },
    ABSTAIN: { description: 'Abstain 弃权 (present members who do not vote count as abstaining too)' },
  },
});

@ObjectType('Meeting', { description: 'A meeting of the residents’ representative assembly 居民代表会议, counted against the roll at its date (R-D3)' })
export class MeetingType {
  @Field(() => ID, { description: 'Meeting id' })
  id!: string;

  @Field(() => LocalDate, { description: 'Date held' })
  heldOn!: string;

  @Field(() => Int, { description: 'Representatives on the roll on that date (R-D3)' })
  eligible!: number;

  @Field(() => Int, { description: 'Representatives who attended' })
  attended!: number;

  @Field(() => Boolean, { description: 'R-D3 quorum: more than half of the eligible members attended. An inquorate meeting decides nothing.' })
  quorate!: boolean;
}

@InputType({ description: 'One representative’s vote on one motion' })
class VoteInput {
  @Field(() => ID, { description: 'The motion 议案 (PROPOSED, of this community, proposed on or before the meeting date)' })
  motionId!: string;

  @Field(() => ID, { description: 'The representative voting (must be among the attendees)' })
  representativeId!: string;

  @Field(() => VoteChoice, { description: 'For, against or abstain' })
  choice!: string;
}

@InputType({ description: 'A meeting of the residents’ representative assembly that was held, with who attended and how they voted' })
class RecordMeetingInput {
  @Field(() => ID, { description: 'Community 社区' })
  communityId!: string;

  @Field(() => LocalDate, { description: 'Date held (not in the future); the roll is the one in office that day (R-D3)' })
  heldOn!: string;

  @Field(() => [ID], { description: 'Representatives who attended, each once and on the roll at the meeting date' })
  attendeeIds!: string[];

  @Field(() => [VoteInput], { nullable: true, description: 'Votes cast, at most one per representative per motion; every motion voted on is decided. Refused when the meeting is inquorate (R-D3).' })
  votes?: VoteInput[] | null;
}

@Resolver(() => MeetingType)
export class MeetingResolver {
  @Query(() => MeetingType, { nullable: true, description: 'One meeting by id (R-AUTH: needs read access to its community)' })
  async meeting(@Arg('id', () => ID, { description: 'Meeting id' }) id: string, @Ctx() ctx: Context): Promise<MeetingEntity | null> {
    const m = await ctx.loaders.meeting.load(check.uuid(id, 'id'));
    if (m) await assertRead(ctx, m.communityId);
    return m;
  }

  @FieldResolver(() => CommunityType, { description: 'The community 社区 whose assembly met' })
  community(@Root() m: MeetingEntity): CommunityRef {
    return { id: m.communityId };
  }

  @FieldResolver(() => [RepresentativeType], { description: 'Representatives who attended' })
  async attendees(@Root() m: MeetingEntity, @Ctx() ctx: Context): Promise<RepresentativeRef[]> {
    return (await ctx.loaders.attendanceByMeeting.load(m.id)).map((a) => ({ id: a.representativeId }));
  }

  // R-AUTH: STAFF or COMMITTEE here; that they act in the community, in the command
  @Authorized(RUNS_PROCEDURES)
  @Mutation(() => MeetingType, {
    description:
      'Record a meeting of the representative assembly and decide the motions voted on (R-D3, R-D5; STAFF or COMMITTEE of the community); announces deliberation.meeting.held.v1 and one deliberation.resolution.adopted.v1 or .rejected.v1 per motion',
  })
  recordMeeting(@Arg('input', () => RecordMeetingInput, { description: 'The meeting' }) input: RecordMeetingInput, @Ctx() ctx: Context): Promise<MeetingEntity> {
    return recordMeeting(ctx.em, ctx.actor, input);
  }
}

@Resolver(() => CommunityType)
export class CommunityMeetingsResolver {
  @FieldResolver(() => [MeetingType], { description: 'Meetings of the community’s representative assembly, oldest first (R-AUTH: needs read access to the community)' })
  async meetings(@Root() c: CommunityRef, @Ctx() ctx: Context): Promise<MeetingEntity[]> {
    await assertRead(ctx, c.id);
    return ctx.loaders.meetingsByCommunity.load(c.id);
  }
}
