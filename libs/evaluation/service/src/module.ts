import { KnownCommunity, knownCommunityHandler, REPRESENTATIVE_ROLL, type ServiceModule } from '@cdp/platform';
import { requireActor } from '@cdp/util';
import { BallotEntity, EvaluationSessionEntity, ParticipationEntity, SessionVoterEntity } from './sessions/entities';
import { CommunityEvaluationResolver, EvaluationSessionResolver } from './sessions/graphql';
import { EvaluationSettingsEntity } from './settings/entities';
import { EvaluationSettingsResolver } from './settings/graphql';
import { assertRead, createLoaders, type Context, type EvaluationLoaders } from './loaders';
import { evaluationSchemaExtras } from './storage';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/**
 * The evaluation service 民主评议, registered in one place: sessions, their frozen rolls, secret
 * ballots kept apart from participation (R-E6), the count and grade (R-E5, R-E7) and the
 * per-community thresholds. Keeps its own copy of the communities and the representative roll
 * from membership's events. Adds `evaluationSessions` to `Community`. Sessions are not public
 * (see `assertRead`); STAFF/COMMITTEE run them, representatives vote as themselves.
 */
export const evaluationModule: ServiceModule<EvaluationLoaders> = {
  name: 'evaluation',
  defaultPort: 4004,
  entities: [EvaluationSessionEntity, SessionVoterEntity, ParticipationEntity, BallotEntity, EvaluationSettingsEntity, KnownCommunity, ...REPRESENTATIVE_ROLL.entities],
  resolvers: [EvaluationSessionResolver, CommunityEvaluationResolver, EvaluationSettingsResolver],
  referenceResolvers: {
    Community: { __resolveReference: (ref: { id: string }) => ({ id: ref.id }) },
    EvaluationSession: {
      __resolveReference: async (ref: { id: string }, ctx: Context) => {
        requireActor(ctx.actor);
        const session = UUID_RE.test(ref.id) ? await ctx.loaders.session.load(ref.id.toLowerCase()) : null;
        if (session) await assertRead(ctx, session.communityId);
        return session;
      },
    },
  },
  handlers: [knownCommunityHandler, ...REPRESENTATIVE_ROLL.handlers],
  createLoaders,
  afterSchema: evaluationSchemaExtras,
};
