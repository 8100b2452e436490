import { Arg, Ctx, Directive, Field, FieldResolver, Float, ID, ObjectType, Resolver, Root } from 'type-graphql';
import { participationRate, rollAt } from '@cdp/deliberation-domain';
import { LocalDate, type RollEntry } from '@cdp/platform';
import { chinaCivilDate } from '@cdp/util';
import { assertRead, type Context } from '../loaders';

/** What a `Community` is to this subgraph: its id (membership owns the rest). */
export interface CommunityRef {
  id: string;
}

/** What a `Representative` is to this subgraph: its id (membership resolves the rest). */
export interface RepresentativeRef {
  id: string;
}

// descriptions as in membership (the owner), so composition has one wording for the supergraph
@ObjectType('Community', { description: '社区 — an urban community led by its residents’ committee 居委会. Owned by membership; other services add their fields.' })
@Directive('@key(fields: "id")')
export class CommunityType {
  @Field(() => ID, { description: 'Community id (the Kafka key of every event about it)' })
  id!: string;
}

@ObjectType('Representative', { description: '居民代表 — one term of office of a residents’ representative (R-M2). Ended terms are kept (R-M3). Other services refer to it by id.' })
@Directive('@key(fields: "id", resolvable: false)')
export class RepresentativeType {
  @Field(() => ID, { description: 'Representative id (one term)' })
  id!: string;
}

@Resolver(() => CommunityType)
export class CommunityAssemblyResolver {
  @FieldResolver(() => [RepresentativeType], {
    description:
      'R-D3: the roll of the residents’ representative assembly 居民代表会议 on a date — the representatives in office that day, as this service learned them from membership events (R-AUTH: needs read access to the community)',
  })
  async assemblyRoll(
    @Root() c: CommunityRef,
    @Ctx() ctx: Context,
    @Arg('on', () => LocalDate, { nullable: true, description: 'Date of the roll (default: today, China time)' }) on?: string | null,
  ): Promise<RollEntry[]> {
    await assertRead(ctx, c.id);
    return rollAt(await ctx.loaders.rollByCommunity.load(c.id), on ?? chinaCivilDate(new Date()));
  }

  @FieldResolver(() => Float, {
    nullable: true,
    description: 'R-D5 participation rate 参与率: attendees ÷ eligible members summed over the community’s quorate meetings (target ≥ 0.95); null before the first quorate meeting (R-AUTH: needs read access to the community)',
  })
  async participationRate(@Root() c: CommunityRef, @Ctx() ctx: Context): Promise<number | null> {
    await assertRead(ctx, c.id);
    return participationRate(await ctx.loaders.meetingsByCommunity.load(c.id));
  }
}
