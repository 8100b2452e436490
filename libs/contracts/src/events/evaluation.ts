import { z } from 'zod';
import { defineEvent, f } from '../define';

/** What is evaluated (R-E1). */
export const EVALUATION_SUBJECTS = ['RESIDENTS_COMMITTEE', 'COMMITTEE_MEMBER', 'COMMUNITY_STAFF', 'SERVICE'] as const;
/** Satisfaction levels by satisfaction rate (R-E7). */
export const SATISFACTION_LEVELS = ['SATISFIED', 'BASICALLY_SATISFIED', 'DISSATISFIED'] as const;
/** Grades (R-E7). */
export const EVALUATION_GRADES = ['EXCELLENT', 'COMPETENT', 'INCOMPETENT'] as const;

export const sessionConcluded = defineEvent({
  topic: 'evaluation.session.concluded.v1',
  name: 'EvaluationSessionConcluded',
  producer: 'evaluation',
  consumers: [],
  aggregate: 'EvaluationSession',
  subjectField: 'sessionId',
  summary: 'A democratic evaluation 民主评议 session was closed and counted',
  description:
    'R-E5/R-E7: `valid` is false when fewer than 4/5 of the representatives took part; then no grade is given. Counts are totals only: no event ever says who voted how (R-E6, R-E10).',
  schema: z.object({
    sessionId: f.id('Evaluation session id'),
    communityId: f.communityId(),
    subjectKind: z.enum(EVALUATION_SUBJECTS).describe('What was evaluated (R-E1)'),
    subjectId: f.id('The person or body evaluated, when it has an id').optional(),
    title: z.string().min(1).max(200).describe('Title of the session, e.g. “2026年下半年居委会民主评议”'),
    concludedAt: f.instant('When it was closed'),
    eligible: f.count('Representatives on the roll'),
    participated: f.count('Representatives who cast a ballot'),
    valid: z.boolean().describe('At least 4/5 of the roll took part (R-E5)'),
    excellent: f.count('Ballots “excellent 优秀”'),
    competent: f.count('Ballots “competent 称职”'),
    incompetent: f.count('Ballots “incompetent 不称职”'),
    grade: z.enum(EVALUATION_GRADES).describe('Resulting grade (R-E7); absent when not valid').optional(),
    satisfactionRate: z.number().min(0).max(1).describe('(excellent + competent) / ballots').optional(),
    satisfactionLevel: z.enum(SATISFACTION_LEVELS).describe('满意 / 基本满意 / 不满意 by satisfaction rate (R-E7); absent when not valid').optional(),
  }),
  example: {
    sessionId: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
    communityId: '7d0c5d9e-0f7a-4a53-9d3a-5b1f1d0e8a11',
    subjectKind: 'RESIDENTS_COMMITTEE',
    title: '2026年下半年居委会民主评议',
    concludedAt: '2026-08-20T08:00:00.000Z',
    eligible: 9,
    participated: 8,
    valid: true,
    excellent: 5,
    competent: 3,
    incompetent: 0,
    grade: 'EXCELLENT',
    satisfactionRate: 1,
    satisfactionLevel: 'SATISFIED',
  },
});
