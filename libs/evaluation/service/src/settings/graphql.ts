import { Arg, Authorized, Ctx, Field, FieldResolver, Float, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { EvaluationSettings } from '@cdp/evaluation-domain';
import { requireKnownCommunity } from '@cdp/platform';
import { RUNS_PROCEDURES, check, requireRead } from '@cdp/util';
import { CommunityType, type CommunityRef } from '../communities/graphql';
import type { Context } from '../loaders';
import { configureEvaluation, settingsFor } from './commands';
import type { EvaluationSettingsEntity } from './entities';

@ObjectType('EvaluationSettings', {
  description: 'R-E7 satisfaction thresholds of a community (满意 / 基本满意 / 不满意). The seeds leave them blank: the defaults (80% / 60%) are ours and configurable per community.',
})
export class EvaluationSettingsType {
  @Field(() => Float, { description: 'Satisfied 满意 from this satisfaction rate, a fraction (default 0.8)' })
  satisfiedThreshold!: number;

  @Field(() => Float, { description: 'Basically satisfied 基本满意 from this satisfaction rate, a fraction (default 0.6); below it: dissatisfied 不满意' })
  basicallySatisfiedThreshold!: number;
}

@InputType({ description: 'Set a community’s R-E7 satisfaction thresholds: 0 < basicallySatisfiedThreshold < satisfiedThreshold ≤ 1. Sessions opened afterwards use them.' })
class ConfigureEvaluationInput {
  @Field(() => ID, { description: 'The community 社区' })
  communityId!: string;

  @Field(() => Float, { description: 'Satisfied 满意 from this satisfaction rate (a fraction, at most 1)' })
  satisfiedThreshold!: number;

  @Field(() => Float, { description: 'Basically satisfied 基本满意 from this satisfaction rate (a fraction above 0, below satisfiedThreshold)' })
  basicallySatisfiedThreshold!: number;
}

@Resolver(() => EvaluationSettingsType)
export class EvaluationSettingsResolver {
  @Authorized()
  @Query(() => EvaluationSettingsType, {
    description: 'The R-E7 thresholds in force for a community, its own or the defaults (not public: those acting in the community, its street and district officials, ADMIN)',
  })
  async evaluationSettings(@Arg('communityId', () => ID, { description: 'The community 社区' }) communityId: string, @Ctx() ctx: Context): Promise<EvaluationSettings> {
    const id = check.uuid(communityId, 'communityId');
    const community = await requireKnownCommunity(ctx.em, id, 'communityId');
    requireRead(ctx.actor, { id, street: community.street, districtId: community.districtId });
    return settingsFor(ctx.em, id);
  }

  @FieldResolver(() => CommunityType, { description: 'The community 社区 the thresholds belong to' })
  community(@Root() s: EvaluationSettings): CommunityRef {
    return { id: s.communityId };
  }

  @Authorized(RUNS_PROCEDURES)
  @Mutation(() => EvaluationSettingsType, { description: 'Configure a community’s R-E7 satisfaction thresholds (ours, configurable per community; STAFF or COMMITTEE of the community)' })
  configureEvaluation(@Arg('input', () => ConfigureEvaluationInput, { description: 'The community and its thresholds' }) input: ConfigureEvaluationInput, @Ctx() ctx: Context): Promise<EvaluationSettingsEntity> {
    return configureEvaluation(ctx.em, ctx.actor, input);
  }
}
