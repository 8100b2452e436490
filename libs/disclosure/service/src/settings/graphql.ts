import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import type { DisclosureSettings } from '@cdp/disclosure-domain';
import { RUNS_PROCEDURES } from '@cdp/util';
import type { Context } from '../loaders';
import { configureDisclosure, disclosureSettings } from './commands';

@ObjectType('DisclosureSettings', { description: 'A community’s disclosure settings 公开设置 (R-P3: the numbers are ours, configurable per community)' })
export class DisclosureSettingsType {
  @Field(() => ID, { description: 'Community id' })
  communityId!: string;

  @Field(() => Int, { description: 'R-P3: a resolution is disclosed within this many working days of the decision (default 5)' })
  resolutionDueWorkingDays!: number;
}

@InputType({ description: 'Set a community’s disclosure settings (R-P3)' })
class ConfigureDisclosureInput {
  @Field(() => ID, { description: 'The community 社区 (known from membership.community.registered.v1)' })
  communityId!: string;

  @Field(() => Int, { description: 'Working days to disclose a resolution in (1–30; default 5); applies to notices drafted from now on' })
  resolutionDueWorkingDays!: number;
}

@Resolver(() => DisclosureSettingsType)
export class DisclosureSettingsResolver {
  @Query(() => DisclosureSettingsType, { description: 'A community’s disclosure settings (the defaults when never configured); needs read scope over the community' })
  disclosureSettings(@Arg('communityId', () => ID, { description: 'The community 社区' }) communityId: string, @Ctx() ctx: Context): Promise<DisclosureSettings> {
    return disclosureSettings(ctx.em, ctx.actor, communityId);
  }

  // R-AUTH: STAFF or COMMITTEE, of this community (checked again in the command)
  @Authorized(RUNS_PROCEDURES)
  @Mutation(() => DisclosureSettingsType, { description: 'R-P3: configure how many working days a community has to disclose a resolution (STAFF or COMMITTEE of the community)' })
  configureDisclosure(@Arg('input', () => ConfigureDisclosureInput, { description: 'Community and settings' }) input: ConfigureDisclosureInput, @Ctx() ctx: Context): Promise<DisclosureSettings> {
    return configureDisclosure(ctx.em, ctx.actor, input);
  }
}
