import { Arg, Authorized, Ctx, Directive, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { REPRESENTATIVE_END_REASONS } from '@cdp/contracts';
import { inOffice } from '@cdp/membership-domain';
import { LocalDate } from '@cdp/platform';
import { RUNS_PROCEDURES, chinaCivilDate, check, notFound } from '@cdp/util';
import { CommunityType, ResidentGroupType } from '../communities/graphql';
import type { CommunityEntity, ResidentGroupEntity } from '../communities/entities';
import { ResidentType } from '../residents/graphql';
import type { ResidentEntity } from '../residents/entities';
import { assertRead, type Context } from '../loaders';
import { electRepresentative, endRepresentativeTerm } from './commands';
import { RepresentativeEntity } from './entities';

export const RepresentativeEndReason = Object.fromEntries(REPRESENTATIVE_END_REASONS.map((r) => [r, r])) as { [K in (typeof REPRESENTATIVE_END_REASONS)[number]]: K };
registerEnumType(RepresentativeEndReason, {
  name: 'RepresentativeEndReason',
  description: 'Why a term ended early',
  valuesConfig: {
    RESIGNED: { description: 'Resigned 辞职' },
    MOVED_OUT: { description: 'Moved out of the community 迁出' },
    RECALLED: { description: 'Recalled by the group 罢免' },
    DECEASED: { description: 'Died 去世' },
  },
});

@ObjectType('Representative', { description: '居民代表 — one term of office of a residents’ representative (R-M2). Ended terms are kept (R-M3). Other services refer to it by id.' })
@Directive('@key(fields: "id")')
export class RepresentativeType {
  @Field(() => ID, { description: 'Representative id (one term)' })
  id!: string;

  @Field(() => LocalDate, { description: 'First day of the term' })
  termStart!: string;

  @Field(() => LocalDate, { description: 'Last day of the term as elected' })
  termEnd!: string;

  @Field(() => LocalDate, { nullable: true, description: 'Last day in office when the term ended early' })
  endedOn!: string | null;

  @Field(() => RepresentativeEndReason, { nullable: true, description: 'Why the term ended early' })
  endReason!: string | null;
}

@InputType({ description: 'Elect a resident as representative of their residents’ group' })
class ElectRepresentativeInput {
  @Field(() => ID, { description: 'The resident (must be 18 or older, R-M1)' })
  residentId!: string;

  @Field(() => LocalDate, { nullable: true, description: 'First day of the term (default: today, China time)' })
  termStart?: string | null;
}

@InputType({ description: 'End a representative’s term early' })
class EndRepresentativeTermInput {
  @Field(() => ID, { description: 'The representative' })
  representativeId!: string;

  @Field(() => LocalDate, { description: 'Last day in office' })
  endedOn!: string;

  @Field(() => RepresentativeEndReason, { description: 'Why' })
  reason!: string;
}

const today = () => chinaCivilDate(new Date());

@Resolver(() => RepresentativeType)
export class RepresentativeResolver {
  @Query(() => RepresentativeType, { nullable: true, description: 'One representative term by id' })
  async representative(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<RepresentativeEntity | null> {
    const r = await ctx.loaders.representative.load(check.uuid(id, 'id'));
    if (r) await assertRead(ctx, r.communityId);
    return r;
  }

  @FieldResolver(() => Boolean, { description: 'In office today' })
  active(@Root() r: RepresentativeEntity): boolean {
    return inOffice(r, today());
  }

  @FieldResolver(() => ResidentType, { description: 'The resident holding the office' })
  async resident(@Root() r: RepresentativeEntity, @Ctx() ctx: Context): Promise<ResidentEntity> {
    const res = await ctx.loaders.resident.load(r.residentId);
    if (!res) throw notFound('resident', r.residentId);
    return res;
  }

  @FieldResolver(() => ResidentGroupType, { description: 'The residents’ group that elected them' })
  async group(@Root() r: RepresentativeEntity, @Ctx() ctx: Context): Promise<ResidentGroupEntity> {
    const g = await ctx.loaders.group.load(r.groupId);
    if (!g) throw notFound('residents’ group', r.groupId);
    return g;
  }

  @Authorized(RUNS_PROCEDURES)
  @Mutation(() => RepresentativeType, { description: 'Elect a representative (R-M1, R-M2; STAFF or COMMITTEE of the community); announces membership.representative.elected.v1' })
  electRepresentative(@Arg('input', () => ElectRepresentativeInput) input: ElectRepresentativeInput, @Ctx() ctx: Context): Promise<RepresentativeEntity> {
    return electRepresentative(ctx.em, ctx.actor, input);
  }

  @Authorized(RUNS_PROCEDURES)
  @Mutation(() => RepresentativeType, { description: 'End a term early (R-M3; STAFF or COMMITTEE of the community); announces membership.representative.term-ended.v1' })
  endRepresentativeTerm(@Arg('input', () => EndRepresentativeTermInput) input: EndRepresentativeTermInput, @Ctx() ctx: Context): Promise<RepresentativeEntity> {
    return endRepresentativeTerm(ctx.em, ctx.actor, input);
  }
}

@Resolver(() => CommunityType)
export class CommunityRepresentativesResolver {
  @FieldResolver(() => [RepresentativeType], { description: 'Representatives in office on a date (default today); the roll of the representative assembly' })
  async representatives(
    @Root() c: CommunityEntity,
    @Ctx() ctx: Context,
    @Arg('activeOn', () => LocalDate, { nullable: true, description: 'Date (default: today)' }) activeOn?: string | null,
  ): Promise<RepresentativeEntity[]> {
    await assertRead(ctx, c.id);
    const on = activeOn ?? today();
    return (await ctx.loaders.representativesByCommunity.load(c.id)).filter((r) => inOffice(r, on));
  }
}

@Resolver(() => ResidentGroupType)
export class GroupRepresentativesResolver {
  @FieldResolver(() => [RepresentativeType], { description: 'Representatives of the group in office today' })
  async representatives(@Root() g: ResidentGroupEntity, @Ctx() ctx: Context): Promise<RepresentativeEntity[]> {
    return (await ctx.loaders.representativesByGroup.load(g.id)).filter((r) => inOffice(r, today()));
  }

  @FieldResolver(() => Int, { description: 'R-M2: seats still to fill to reach the community’s minimum (0 when enough)' })
  async representativesNeeded(@Root() g: ResidentGroupEntity, @Ctx() ctx: Context): Promise<number> {
    const [reps, community] = await Promise.all([ctx.loaders.representativesByGroup.load(g.id), ctx.loaders.community.load(g.communityId)]);
    const active = reps.filter((r) => inOffice(r, today())).length;
    return Math.max(0, (community?.minRepresentativesPerGroup ?? 0) - active);
  }
}
