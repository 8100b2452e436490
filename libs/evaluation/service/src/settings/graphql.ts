import { Arg, Ctx, Field, FieldResolver, Float, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { EvaluationSettings } from '@cdp/evaluation-domain';
import { requireKnownCommunity } from '@cdp/platform';
import { check } from '@cdp/util';
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
  @Query(() => EvaluationSettingsType, { description: 'The R-E7 thresholds in force for a community (its own or the defaults)' })
  async evaluationSettings(@Arg('communityId', () => ID, { description: 'The community 社区' }) communityId: string, @Ctx() ctx: Context): Promise<EvaluationSettings> {
    const id = check.uuid(communityId, 'communityId');
    await requireKnownCommunity(ctx.em, id, 'communityId');
    return settingsFor(ctx.em, id);
  }

  @FieldResolver(() => CommunityType, { description: 'The community 社区 the thresholds belong to' })
  community(@Root() s: EvaluationSettings): CommunityRef {
    return { id: s.communityId };
  }

  @Mutation(() => EvaluationSettingsType, { description: 'Configure a community’s R-E7 satisfaction thresholds (ours, configurable per community)' })
  configureEvaluation(@Arg('input', () => ConfigureEvaluationInput, { description: 'The community and its thresholds' }) input: ConfigureEvaluationInput, @Ctx() ctx: Context): Promise<EvaluationSettingsEntity> {
    return configureEvaluation(ctx.em, input);
  }
}
