import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Resolver, Root, registerEnumType } from 'type-graphql';
import { BODY_KINDS } from '@cdp/contracts';
import { LocalDate } from '@cdp/platform';
import { RUNS_PROCEDURES, chinaCivilDate, notFound } from '@cdp/util';
import { CommunityType } from '../communities/graphql';
import type { CommunityEntity } from '../communities/entities';
import { ResidentType } from '../residents/graphql';
import type { ResidentEntity } from '../residents/entities';
import { assertRead, type Context } from '../loaders';
import { appointBodyMember } from './commands';
import { BodyMembershipEntity } from './entities';

export const BodyKind = Object.fromEntries(BODY_KINDS.map((b) => [b, b])) as { [K in (typeof BODY_KINDS)[number]]: K };
registerEnumType(BodyKind, {
  name: 'BodyKind',
  description: 'Bodies of a community (组织)',
  valuesConfig: {
    RESIDENTS_COMMITTEE: { description: 'Residents’ committee 居民委员会' },
    PARTY_ORGANISATION: { description: 'Community party organisation 社区党组织' },
    SUPERVISION_COMMITTEE: { description: 'Supervision committee 居务监督委员会: reviews notices before publication (R-P4)' },
    DEMOCRATIC_FINANCE_GROUP: { description: 'Democratic finance group 民主理财小组' },
    EVALUATION_GROUP: { description: 'Evaluation and supervision group 民主评议和民主监督小组' },
    MEDIATION_COMMITTEE: { description: 'Mediation committee 调解委员会' },
  },
});

@ObjectType('BodyMembership', { description: 'A seat on a body of the community, time-bounded (R-M3)' })
export class BodyMembershipType {
  @Field(() => ID, { description: 'Membership id' })
  id!: string;

  @Field(() => BodyKind, { description: 'Which body' })
  body!: string;

  @Field(() => LocalDate, { description: 'First day' })
  startedOn!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Last day, when fixed' })
  endsOn!: string | null;
}

@InputType({ description: 'Appoint (or record the election of) a resident to a body' })
class AppointBodyMemberInput {
  @Field(() => ID, { description: 'The resident (18 or older)' })
  residentId!: string;

  @Field(() => BodyKind, { description: 'Which body' })
  body!: string;

  @Field(() => LocalDate, { nullable: true, description: 'First day (default: today, China time)' })
  startedOn?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Last day, when fixed' })
  endsOn?: string | null;
}

@Resolver(() => BodyMembershipType)
export class BodyMembershipResolver {
  @FieldResolver(() => ResidentType, { description: 'The member' })
  async resident(@Root() m: BodyMembershipEntity, @Ctx() ctx: Context): Promise<ResidentEntity> {
    const r = await ctx.loaders.resident.load(m.residentId);
    if (!r) throw notFound('resident', m.residentId);
    return r;
  }

  @Authorized(RUNS_PROCEDURES)
  @Mutation(() => BodyMembershipType, { description: 'Appoint a resident to a body (R-M3; STAFF or COMMITTEE of the community); announces membership.body-member.appointed.v1' })
  appointBodyMember(@Arg('input', () => AppointBodyMemberInput) input: AppointBodyMemberInput, @Ctx() ctx: Context): Promise<BodyMembershipEntity> {
    return appointBodyMember(ctx.em, ctx.actor, input);
  }
}

@Resolver(() => CommunityType)
export class CommunityBodiesResolver {
  @FieldResolver(() => [BodyMembershipType], { description: 'Current members of the community’s bodies, optionally of one body' })
  async bodyMembers(@Root() c: CommunityEntity, @Ctx() ctx: Context, @Arg('body', () => BodyKind, { nullable: true, description: 'Only this body' }) body?: string | null): Promise<BodyMembershipEntity[]> {
    await assertRead(ctx, c.id);
    const today = chinaCivilDate(new Date());
    return (await ctx.loaders.bodyMembersByCommunity.load(c.id)).filter((m) => (!body || m.body === body) && m.startedOn <= today && (m.endsOn === null || m.endsOn >= today));
  }
}
