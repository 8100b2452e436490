import { Arg, Authorized, Ctx, Directive, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { RUNS_PROCEDURES, check, notFound } from '@cdp/util';
import { assertRead, type Context } from '../loaders';
import { createCommunity, createDistrict, createGroup } from './commands';
import { CommunityEntity, DistrictEntity, ResidentGroupEntity } from './entities';

@ObjectType('District', { description: '区 — a district; its communities are the district dashboard’s scope' })
export class DistrictType {
  @Field(() => ID, { description: 'District id' })
  id!: string;

  @Field(() => String, { description: 'Name of the district' })
  name!: string;
}

@ObjectType('Community', { description: '社区 — an urban community led by its residents’ committee 居委会. Owned by membership; other services add their fields.' })
@Directive('@key(fields: "id")')
export class CommunityType {
  @Field(() => ID, { description: 'Community id (the Kafka key of every event about it)' })
  id!: string;

  @Field(() => String, { description: 'Name of the community' })
  name!: string;

  @Field(() => String, { description: 'Street office 街道 it belongs to' })
  street!: string;

  @Field(() => Int, { description: 'R-M2: length of a representative’s term in years (default 2)' })
  representativeTermYears!: number;

  @Field(() => Int, { description: 'R-M2: representatives each residents’ group should elect, at least (default 2)' })
  minRepresentativesPerGroup!: number;

  @Field(() => Int, { description: 'R-M2: representatives a residents’ group may elect, at most (default 3)' })
  maxRepresentativesPerGroup!: number;
}

@ObjectType('ResidentGroup', { description: '居民小组 — a residents’ group; it elects 2–3 representatives (R-M2)' })
export class ResidentGroupType {
  @Field(() => ID, { description: 'Group id' })
  id!: string;

  @Field(() => String, { description: 'Name, e.g. “第一居民小组”' })
  name!: string;
}

@InputType({ description: 'A new district' })
class CreateDistrictInput {
  @Field(() => String, { description: 'Name, unique (1–100 characters)' })
  name!: string;
}

@InputType({ description: 'A new community (社区) in a district' })
class CreateCommunityInput {
  @Field(() => ID, { description: 'District it belongs to' })
  districtId!: string;

  @Field(() => String, { description: 'Name, unique within the district (1–100 characters)' })
  name!: string;

  @Field(() => String, { description: 'Street office 街道 (1–100 characters)' })
  street!: string;

  @Field(() => Int, { nullable: true, description: 'R-M2 term length in years (1–10; default 2)' })
  representativeTermYears?: number | null;

  @Field(() => Int, { nullable: true, description: 'R-M2 minimum representatives per group (default 2)' })
  minRepresentativesPerGroup?: number | null;

  @Field(() => Int, { nullable: true, description: 'R-M2 maximum representatives per group (default 3)' })
  maxRepresentativesPerGroup?: number | null;
}

@InputType({ description: 'A new residents’ group 居民小组 in a community' })
class CreateResidentGroupInput {
  @Field(() => ID, { description: 'Community' })
  communityId!: string;

  @Field(() => String, { description: 'Name, unique within the community (1–100 characters)' })
  name!: string;
}

@Resolver(() => DistrictType)
export class DistrictResolver {
  @Query(() => [DistrictType], { description: 'All districts' })
  districts(@Ctx() ctx: Context): Promise<DistrictEntity[]> {
    return ctx.em.find(DistrictEntity, {}, { orderBy: { name: 'asc' } });
  }

  @Query(() => DistrictType, { nullable: true, description: 'One district by id' })
  district(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<DistrictEntity | null> {
    return ctx.loaders.district.load(check.uuid(id, 'id'));
  }

  @FieldResolver(() => [CommunityType], { description: 'Communities of the district, by name' })
  communities(@Root() d: DistrictEntity, @Ctx() ctx: Context): Promise<CommunityEntity[]> {
    return ctx.loaders.communitiesByDistrict.load(d.id);
  }

  @Authorized('ADMIN')
  @Mutation(() => DistrictType, { description: 'Create a district (role ADMIN)' })
  createDistrict(@Arg('input', () => CreateDistrictInput) input: CreateDistrictInput, @Ctx() ctx: Context): Promise<DistrictEntity> {
    return createDistrict(ctx.em, input);
  }
}

@Resolver(() => CommunityType)
export class CommunityResolver {
  @Query(() => [CommunityType], { description: 'Communities, optionally of one district, by name' })
  communities(@Arg('district', () => ID, { nullable: true, description: 'Only this district' }) district: string | null, @Ctx() ctx: Context): Promise<CommunityEntity[]> {
    const where = district ? { districtId: check.uuid(district, 'district') } : {};
    return ctx.em.find(CommunityEntity, where, { orderBy: { name: 'asc', id: 'asc' } });
  }

  @Query(() => CommunityType, { nullable: true, description: 'One community by id' })
  community(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<CommunityEntity | null> {
    return ctx.loaders.community.load(check.uuid(id, 'id'));
  }

  @FieldResolver(() => DistrictType, { description: 'The district' })
  async district(@Root() c: CommunityEntity, @Ctx() ctx: Context): Promise<DistrictEntity> {
    const d = await ctx.loaders.district.load(c.districtId);
    if (!d) throw notFound('district', c.districtId);
    return d;
  }

  @FieldResolver(() => [ResidentGroupType], { description: 'Residents’ groups, by name' })
  async groups(@Root() c: CommunityEntity, @Ctx() ctx: Context): Promise<ResidentGroupEntity[]> {
    await assertRead(ctx, c.id);
    return ctx.loaders.groupsByCommunity.load(c.id);
  }

  @FieldResolver(() => Int, { description: 'Registered residents' })
  async residentCount(@Root() c: CommunityEntity, @Ctx() ctx: Context): Promise<number> {
    await assertRead(ctx, c.id);
    return ctx.loaders.residentCountByCommunity.load(c.id);
  }

  @Authorized('ADMIN')
  @Mutation(() => CommunityType, { description: 'Register a community (role ADMIN); announces membership.community.registered.v1' })
  createCommunity(@Arg('input', () => CreateCommunityInput) input: CreateCommunityInput, @Ctx() ctx: Context): Promise<CommunityEntity> {
    return createCommunity(ctx.em, input);
  }
}

@Resolver(() => ResidentGroupType)
export class ResidentGroupResolver {
  @Query(() => ResidentGroupType, { nullable: true, description: 'One residents’ group by id' })
  async residentGroup(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ResidentGroupEntity | null> {
    const g = await ctx.loaders.group.load(check.uuid(id, 'id'));
    if (g) await assertRead(ctx, g.communityId);
    return g;
  }

  @FieldResolver(() => CommunityType, { description: 'The community' })
  async community(@Root() g: ResidentGroupEntity, @Ctx() ctx: Context): Promise<CommunityEntity> {
    const c = await ctx.loaders.community.load(g.communityId);
    if (!c) throw notFound('community', g.communityId);
    return c;
  }

  @Authorized(RUNS_PROCEDURES)
  @Mutation(() => ResidentGroupType, { description: 'Create a residents’ group 居民小组 (STAFF or COMMITTEE of the community)' })
  createResidentGroup(@Arg('input', () => CreateResidentGroupInput) input: CreateResidentGroupInput, @Ctx() ctx: Context): Promise<ResidentGroupEntity> {
    return createGroup(ctx.em, ctx.actor, input);
  }
}
