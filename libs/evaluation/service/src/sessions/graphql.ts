import { Arg, Authorized, Ctx, Directive, Field, FieldResolver, Float, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root, registerEnumType } from 'type-graphql';
import { EVALUATION_GRADES, EVALUATION_SUBJECTS, SATISFACTION_LEVELS } from '@cdp/contracts';
import { SESSION_STATUSES, type EvaluationGrade, type EvaluationSubject, type SatisfactionLevel, type SessionStatus } from '@cdp/evaluation-domain';
import { DateTime, LocalDate } from '@cdp/platform';
import { RUNS_PROCEDURES, check } from '@cdp/util';
import { CommunityType, type CommunityRef } from '../communities/graphql';
import { assertRead, type Context } from '../loaders';
import { castBallot, closeSession, openSession, type BallotReceipt } from './commands';
import type { EvaluationSessionEntity } from './entities';

const enumOf = <T extends string>(values: readonly T[]) => Object.fromEntries(values.map((v) => [v, v])) as { [K in T]: K };

export const EvaluationSubjectEnum = enumOf(EVALUATION_SUBJECTS);
registerEnumType(EvaluationSubjectEnum, {
  name: 'EvaluationSubject',
  description: 'What is evaluated (R-E1)',
  valuesConfig: {
    RESIDENTS_COMMITTEE: { description: 'The residents’ committee 居民委员会 as a whole' },
    COMMITTEE_MEMBER: { description: 'One member of the residents’ committee 居委会成员' },
    COMMUNITY_STAFF: { description: 'Community staff 社区工作人员' },
    SERVICE: { description: 'A service or facility 服务与设施' },
  },
});

export const EvaluationGradeEnum = enumOf(EVALUATION_GRADES);
registerEnumType(EvaluationGradeEnum, {
  name: 'EvaluationGrade',
  description: 'Grade of a ballot or of a session (R-E7)',
  valuesConfig: {
    EXCELLENT: { description: 'Excellent 优秀' },
    COMPETENT: { description: 'Competent 称职' },
    INCOMPETENT: { description: 'Incompetent 不称职' },
  },
});

export const SatisfactionLevelEnum = enumOf(SATISFACTION_LEVELS);
registerEnumType(SatisfactionLevelEnum, {
  name: 'SatisfactionLevel',
  description: 'Satisfaction by satisfaction rate (R-E7; thresholds configurable per community)',
  valuesConfig: {
    SATISFIED: { description: 'Satisfied 满意' },
    BASICALLY_SATISFIED: { description: 'Basically satisfied 基本满意' },
    DISSATISFIED: { description: 'Dissatisfied 不满意' },
  },
});

export const EvaluationSessionStatusEnum = enumOf(SESSION_STATUSES);
registerEnumType(EvaluationSessionStatusEnum, {
  name: 'EvaluationSessionStatus',
  description: 'Where an evaluation session stands (R-E4, R-E5)',
  valuesConfig: {
    OPEN: { description: 'Representatives are voting 投票中' },
    CONCLUDED: { description: 'Closed with at least 4/5 of the roll taking part; counted and graded 有效' },
    INVALID: { description: 'Closed with fewer than 4/5 of the roll taking part; counted, not graded 无效 (R-E5)' },
  },
});

@ObjectType('EvaluationSession', {
  description:
    '民主评议 — a democratic evaluation session: representatives grade the subject by secret ballot 无记名投票 (R-E4, R-E6). Counts, grade and satisfaction are null while it is OPEN, so nobody watches a running count.',
})
@Directive('@key(fields: "id")')
export class EvaluationSessionType {
  @Field(() => ID, { description: 'Session id' })
  id!: string;

  @Field(() => String, { description: 'Title, e.g. “2026年下半年居委会民主评议”' })
  title!: string;

  @Field(() => EvaluationSubjectEnum, { description: 'What is evaluated (R-E1)' })
  subjectKind!: EvaluationSubject;

  @Field(() => ID, { nullable: true, description: 'The person or body evaluated, when it has an id' })
  subjectId!: string | null;

  @Field(() => EvaluationSessionStatusEnum, { description: 'OPEN, CONCLUDED (valid) or INVALID (R-E5)' })
  status!: SessionStatus;

  @Field(() => LocalDate, { description: 'Day it was opened (China); the roll is the representatives in office that day' })
  openedOn!: string;

  @Field(() => DateTime, { nullable: true, description: 'When it was closed and counted' })
  concludedAt!: Date | null;

  @Field(() => Int, { description: 'Representatives on the roll 应到人数 (R-E5)' })
  eligible!: number;

  @Field(() => Int, { description: 'Representatives who have voted 实到人数' })
  participated!: number;

  @Field(() => Float, { description: 'R-E7 satisfied 满意 threshold in force when the session opened' })
  satisfiedThreshold!: number;

  @Field(() => Float, { description: 'R-E7 basically satisfied 基本满意 threshold in force when the session opened' })
  basicallySatisfiedThreshold!: number;

  @Field(() => Int, { nullable: true, description: 'Ballots “excellent 优秀”; null while OPEN' })
  excellent!: number | null;

  @Field(() => Int, { nullable: true, description: 'Ballots “competent 称职”; null while OPEN' })
  competent!: number | null;

  @Field(() => Int, { nullable: true, description: 'Ballots “incompetent 不称职”; null while OPEN' })
  incompetent!: number | null;

  @Field(() => Boolean, { nullable: true, description: 'At least 4/5 of the roll took part (R-E5); null while OPEN' })
  valid!: boolean | null;

  @Field(() => EvaluationGradeEnum, { nullable: true, description: 'Resulting grade (R-E7); null while OPEN and when INVALID' })
  grade!: EvaluationGrade | null;

  @Field(() => Float, { nullable: true, description: 'Satisfaction rate 满意率 = (excellent + competent) / ballots; null while OPEN and when INVALID' })
  satisfactionRate!: number | null;

  @Field(() => SatisfactionLevelEnum, { nullable: true, description: 'Satisfied 满意 / basically satisfied 基本满意 / dissatisfied 不满意 (R-E7); null while OPEN and when INVALID' })
  satisfactionLevel!: SatisfactionLevel | null;
}

@ObjectType('BallotReceipt', { description: 'R-E6: the acknowledgement of a secret ballot — it says the ballot is in the box, nothing that identifies it' })
export class BallotReceiptType {
  @Field(() => ID, { description: 'The session voted in' })
  sessionId!: string;

  @Field(() => Boolean, { description: 'Always true: the ballot was recorded' })
  recorded!: boolean;
}

@InputType({ description: 'Open a democratic evaluation session 民主评议 in a community; its roll is the representatives in office today' })
class OpenEvaluationSessionInput {
  @Field(() => ID, { description: 'The community 社区' })
  communityId!: string;

  @Field(() => String, { description: 'Title (1–200 characters), e.g. “2026年下半年居委会民主评议”' })
  title!: string;

  @Field(() => EvaluationSubjectEnum, { description: 'What is evaluated (R-E1)' })
  subjectKind!: string;

  @Field(() => ID, { nullable: true, description: 'The person or body evaluated, when it has an id' })
  subjectId?: string | null;
}

@InputType({
  description: 'A secret ballot 无记名投票 (R-E6). The voter is the caller — the representative on the session’s roll whose resident id is the token’s subject (R-E5) — and votes once (R-E6)',
})
class CastBallotInput {
  @Field(() => ID, { description: 'The session' })
  sessionId!: string;

  @Field(() => EvaluationGradeEnum, { description: 'The grade given: excellent 优秀, competent 称职 or incompetent 不称职' })
  grade!: string;
}

@InputType({ description: 'Close and count a session' })
class CloseEvaluationSessionInput {
  @Field(() => ID, { description: 'The session' })
  sessionId!: string;
}

@Resolver(() => EvaluationSessionType)
export class EvaluationSessionResolver {
  @Authorized()
  @Query(() => EvaluationSessionType, {
    nullable: true,
    description: 'One evaluation session by id (not public: those acting in its community, its street and district officials, ADMIN)',
  })
  async evaluationSession(@Arg('id', () => ID, { description: 'Session id' }) id: string, @Ctx() ctx: Context): Promise<EvaluationSessionEntity | null> {
    const session = await ctx.loaders.session.load(check.uuid(id, 'id'));
    if (session) await assertRead(ctx, session.communityId);
    return session;
  }

  @FieldResolver(() => CommunityType, { description: 'The community 社区 holding the evaluation' })
  community(@Root() s: EvaluationSessionEntity): CommunityRef {
    return { id: s.communityId };
  }

  @Authorized(RUNS_PROCEDURES)
  @Mutation(() => EvaluationSessionType, {
    description: 'Open an evaluation session (R-E4; STAFF or COMMITTEE of the community); the roll is frozen from the representatives in office today (R-E5)',
  })
  openEvaluationSession(
    @Arg('input', () => OpenEvaluationSessionInput, { description: 'Community, title and subject' }) input: OpenEvaluationSessionInput,
    @Ctx() ctx: Context,
  ): Promise<EvaluationSessionEntity> {
    return openSession(ctx.em, ctx.actor, input);
  }

  @Authorized('REPRESENTATIVE')
  @Mutation(() => BallotReceiptType, {
    description:
      'Cast a secret ballot (R-E6) as the calling representative: once per person on the session’s roll (R-E5); the answer never identifies the ballot',
  })
  castBallot(@Arg('input', () => CastBallotInput, { description: 'Session and grade' }) input: CastBallotInput, @Ctx() ctx: Context): Promise<BallotReceipt> {
    return castBallot(ctx.em, ctx.actor, input);
  }

  @Authorized(RUNS_PROCEDURES)
  @Mutation(() => EvaluationSessionType, {
    description:
      'Close and count a session (STAFF or COMMITTEE of the community): valid with at least 4/5 of the roll (R-E5), then graded (R-E7); announces evaluation.session.concluded.v1 with totals only',
  })
  closeEvaluationSession(
    @Arg('input', () => CloseEvaluationSessionInput, { description: 'The session to close' }) input: CloseEvaluationSessionInput,
    @Ctx() ctx: Context,
  ): Promise<EvaluationSessionEntity> {
    return closeSession(ctx.em, ctx.actor, input);
  }
}

@Resolver(() => CommunityType)
export class CommunityEvaluationResolver {
  @Authorized()
  @FieldResolver(() => [EvaluationSessionType], {
    description: 'Evaluation sessions 民主评议 of the community, newest first (not public: those acting in the community, its street and district officials, ADMIN)',
  })
  async evaluationSessions(
    @Root() c: CommunityRef,
    @Ctx() ctx: Context,
    @Arg('status', () => EvaluationSessionStatusEnum, { nullable: true, description: 'Only sessions in this status' }) status?: SessionStatus | null,
  ): Promise<EvaluationSessionEntity[]> {
    const communityId = check.uuid(c.id, 'id');
    await assertRead(ctx, communityId);
    const sessions = await ctx.loaders.sessionsByCommunity.load(communityId);
    return status ? sessions.filter((s) => s.status === status) : sessions;
  }
}
