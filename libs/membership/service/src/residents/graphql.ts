import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { isAdult, maskIdNumber, maskPhone } from '@cdp/membership-domain';
import { LocalDate } from '@cdp/platform';
import { RUNS_PROCEDURES, chinaCivilDate, check, notFound } from '@cdp/util';
import { CommunityType, ResidentGroupType } from '../communities/graphql';
import type { CommunityEntity, ResidentGroupEntity } from '../communities/entities';
import { assertRead, type Context } from '../loaders';
import { registerResident } from './commands';
import { ResidentEntity } from './entities';

@ObjectType('Resident', { description: '居民 — a registered resident. ID and phone numbers are shown masked only (R-P6); the birth date is not exposed.' })
export class ResidentType {
  @Field(() => ID, { description: 'Resident id' })
  id!: string;

  @Field(() => String, { description: 'Name' })
  name!: string;

  @Field(() => LocalDate, { description: 'Registration date' })
  registeredOn!: string;
}

@InputType({ description: 'A resident to register in a residents’ group' })
class RegisterResidentInput {
  @Field(() => ID, { description: 'Residents’ group 居民小组' })
  groupId!: string;

  @Field(() => String, { description: 'Name (1–50 characters)' })
  name!: string;

  @Field(() => LocalDate, { description: 'Date of birth (decides voting age, R-M1)' })
  birthDate!: string;

  @Field(() => String, { nullable: true, description: 'Resident ID number 身份证号 (18 characters, checked)' })
  idNumber?: string | null;

  @Field(() => String, { nullable: true, description: 'Mobile number (11 digits)' })
  phone?: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Registration date (default: today, China time)' })
  registeredOn?: string | null;
}

@Resolver(() => ResidentType)
export class ResidentResolver {
  @Query(() => ResidentType, { nullable: true, description: 'One resident by id' })
  async resident(@Arg('id', () => ID) id: string, @Ctx() ctx: Context): Promise<ResidentEntity | null> {
    const r = await ctx.loaders.resident.load(check.uuid(id, 'id'));
    if (r) await assertRead(ctx, r.communityId);
    return r;
  }

  @FieldResolver(() => Boolean, { description: 'R-M1: 18 or older today, so may vote in residents’ meetings' })
  adult(@Root() r: ResidentEntity): boolean {
    return isAdult(r.birthDate, chinaCivilDate(new Date()));
  }

  @FieldResolver(() => String, { nullable: true, description: 'ID number with the middle masked, e.g. 110105********002X (R-P6)' })
  idNumberMasked(@Root() r: ResidentEntity): string | null {
    return r.idNumber ? maskIdNumber(r.idNumber) : null;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Mobile number with the middle masked, e.g. 138****8000 (R-P6)' })
  phoneMasked(@Root() r: ResidentEntity): string | null {
    return r.phone ? maskPhone(r.phone) : null;
  }

  @FieldResolver(() => ResidentGroupType, { description: 'The residents’ group' })
  async group(@Root() r: ResidentEntity, @Ctx() ctx: Context): Promise<ResidentGroupEntity> {
    const g = await ctx.loaders.group.load(r.groupId);
    if (!g) throw notFound('residents’ group', r.groupId);
    return g;
  }

  @FieldResolver(() => CommunityType, { description: 'The community' })
  async community(@Root() r: ResidentEntity, @Ctx() ctx: Context): Promise<CommunityEntity> {
    const c = await ctx.loaders.community.load(r.communityId);
    if (!c) throw notFound('community', r.communityId);
    return c;
  }

  @Authorized(RUNS_PROCEDURES)
  @Mutation(() => ResidentType, { description: 'Register a resident (STAFF or COMMITTEE of the community); announces membership.resident.registered.v1 (ids only)' })
  registerResident(@Arg('input', () => RegisterResidentInput) input: RegisterResidentInput, @Ctx() ctx: Context): Promise<ResidentEntity> {
    return registerResident(ctx.em, ctx.actor, input);
  }
}
