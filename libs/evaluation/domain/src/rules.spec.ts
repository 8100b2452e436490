import { randomUUID } from 'node:crypto';
import { sessionConcluded } from '@cdp/contracts';
import { DomainError } from '@cdp/util';
import { castBallot, closeSession, configureEvaluation, gradeFor, isQuorate, mixBallots, openSession, satisfactionLevelFor, satisfactionRateOf, settingsOrDefault, tally } from './rules';
import { DEFAULT_EVALUATION_SETTINGS, type Ballot, type EvaluationGrade, type EvaluationSession } from './model';

const communityId = '7d0c5d9e-0f7a-4a53-9d3a-5b1f1d0e8a11';
const rep = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const roll = (n: number) => Array.from({ length: n }, (_, i) => rep(i + 1));
const now = new Date('2026-08-20T02:00:00.000Z');
const defaults = settingsOrDefault(communityId, null);

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? `${e.code}${e.rule ? ` ${e.rule}` : ''}` : 'OTHER';
  }
  return undefined;
}

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return e instanceof DomainError ? e.field : 'OTHER';
  }
  return undefined;
}

const open = (n: number, settings = defaults): EvaluationSession =>
  openSession('2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e', communityId, { title: '2026年下半年居委会民主评议', subjectKind: 'RESIDENTS_COMMITTEE' }, roll(n), settings, now).session;

/** ballots with the given numbers of each grade */
const ballots = (excellent: number, competent: number, incompetent: number): Ballot[] =>
  (
    [
      ...Array<EvaluationGrade>(excellent).fill('EXCELLENT'),
      ...Array<EvaluationGrade>(competent).fill('COMPETENT'),
      ...Array<EvaluationGrade>(incompetent).fill('INCOMPETENT'),
    ] as EvaluationGrade[]
  ).map((grade) => ({ id: randomUUID(), sessionId: 's', grade }));

const close = (eligible: number, b: Ballot[], settings = defaults) => closeSession(open(eligible, settings), { participated: b.length, ballots: b }, now);

describe('evaluation rules', () => {
  describe('R-E5 at least four fifths of the roll must take part', () => {
    it.each([
      [10, 8, true],
      [10, 7, false],
      [5, 4, true],
      [5, 3, false],
      [9, 8, true],
      [9, 7, false], // 7/9 = 0.78 < 0.8
      [11, 9, true], // 9/11 = 0.818
      [11, 8, false],
      [427, 342, true], // 342/427 = 0.8009
      [427, 341, false], // 341/427 = 0.7986
      [1, 1, true],
      [1, 0, false],
    ])('R-E5 %i eligible, %i took part → valid %s', (eligible, participated, valid) => {
      expect(isQuorate(eligible, participated)).toBe(valid);
    });

    it('R-E5 exactly 4/5 (8 of 10) is valid and graded; just below (7 of 10) is INVALID without grade', () => {
      const ok = close(10, ballots(5, 3, 0));
      expect(ok.session).toMatchObject({ status: 'CONCLUDED', valid: true, grade: 'EXCELLENT', participated: 8, eligible: 10 });
      const low = close(10, ballots(5, 2, 0));
      expect(low.session).toMatchObject({ status: 'INVALID', valid: false, grade: null, satisfactionRate: null, satisfactionLevel: null, excellent: 5, competent: 2, incompetent: 0 });
      expect(low.event).not.toHaveProperty('grade');
      expect(low.event).not.toHaveProperty('satisfactionLevel');
      expect(sessionConcluded.schema.safeParse(low.event).success).toBe(true);
    });

    it('R-E5 4 of 5 is valid', () => {
      expect(close(5, ballots(1, 3, 0)).session.status).toBe('CONCLUDED');
      expect(close(5, ballots(1, 2, 0)).session.status).toBe('INVALID');
    });

    it('R-E5 an empty roll cannot hold an evaluation; the roll is de-duplicated', () => {
      expect(codeOf(() => open(0))).toBe('CONFLICT R-E5');
      const { session, voters } = openSession('s', communityId, { title: 't', subjectKind: 'SERVICE' }, [rep(1), rep(1), rep(2)], defaults, now);
      expect(session.eligible).toBe(2);
      expect(voters).toHaveLength(2);
    });
  });

  describe('R-E7 grades', () => {
    it('R-E7 exactly a third incompetent → INCOMPETENT', () => {
      expect(gradeFor({ excellent: 5, competent: 1, incompetent: 3 })).toBe('INCOMPETENT'); // 3 of 9 = exactly 1/3
      expect(gradeFor({ excellent: 6, competent: 1, incompetent: 3 })).toBe('EXCELLENT'); // just below: 3 of 10 < 1/3; 6 of 10 > 1/2
      expect(gradeFor({ excellent: 0, competent: 2, incompetent: 1 })).toBe('INCOMPETENT'); // 1 of 3
    });

    it('R-E7 incompetent takes precedence over a majority of excellent', () => {
      expect(gradeFor({ excellent: 4, competent: 0, incompetent: 2 })).toBe('INCOMPETENT'); // 2 of 6 = 1/3, 4 of 6 > 1/2
    });

    it('R-E7 exactly half excellent → COMPETENT; more than half → EXCELLENT', () => {
      expect(gradeFor({ excellent: 5, competent: 5, incompetent: 0 })).toBe('COMPETENT');
      expect(gradeFor({ excellent: 6, competent: 4, incompetent: 0 })).toBe('EXCELLENT');
      expect(gradeFor({ excellent: 2, competent: 1, incompetent: 1 })).toBe('COMPETENT'); // 2 of 4 = half; 1 of 4 < 1/3
      expect(gradeFor({ excellent: 3, competent: 0, incompetent: 1 })).toBe('EXCELLENT'); // 3 of 4; 1 of 4 < 1/3
    });

    it('R-E7 satisfaction thresholds (defaults ours: 80% satisfied, 60% basically satisfied)', () => {
      expect(DEFAULT_EVALUATION_SETTINGS).toEqual({ satisfiedThreshold: 0.8, basicallySatisfiedThreshold: 0.6 });
      expect(satisfactionRateOf({ excellent: 2, competent: 2, incompetent: 1 })).toBe(0.8);
      expect(satisfactionLevelFor(0.8, defaults)).toBe('SATISFIED');
      expect(satisfactionLevelFor(0.7999, defaults)).toBe('BASICALLY_SATISFIED');
      expect(satisfactionLevelFor(0.6, defaults)).toBe('BASICALLY_SATISFIED');
      expect(satisfactionLevelFor(0.5999, defaults)).toBe('DISSATISFIED');
      // exact fractions land on the threshold, not a rounding error below it
      expect(satisfactionLevelFor(satisfactionRateOf({ excellent: 3, competent: 4, incompetent: 3 }), { satisfiedThreshold: 0.9, basicallySatisfiedThreshold: 0.7 })).toBe('BASICALLY_SATISFIED');
      expect(satisfactionLevelFor(satisfactionRateOf({ excellent: 3, competent: 3, incompetent: 4 }), defaults)).toBe('BASICALLY_SATISFIED');
    });

    it('R-E7 thresholds are configurable per community and frozen when the session opens', () => {
      const strict = configureEvaluation(communityId, { satisfiedThreshold: 0.9, basicallySatisfiedThreshold: 0.75 });
      const { session } = close(5, ballots(2, 2, 1), strict); // rate 0.8
      expect(session).toMatchObject({ satisfactionRate: 0.8, satisfactionLevel: 'BASICALLY_SATISFIED', satisfiedThreshold: 0.9 });
      expect(close(5, ballots(2, 2, 1)).session.satisfactionLevel).toBe('SATISFIED');
    });

    it('R-E7 settings are validated: 0 < basically satisfied < satisfied ≤ 1', () => {
      expect(codeOf(() => configureEvaluation(communityId, { satisfiedThreshold: 1, basicallySatisfiedThreshold: 0.5 }))).toBeUndefined();
      expect(codeOf(() => configureEvaluation(communityId, { satisfiedThreshold: 0.7, basicallySatisfiedThreshold: 0.7 }))).toBe('BAD_USER_INPUT R-E7');
      expect(fieldOf(() => configureEvaluation(communityId, { satisfiedThreshold: 0.7, basicallySatisfiedThreshold: 0.8 }))).toBe('input.basicallySatisfiedThreshold');
      expect(fieldOf(() => configureEvaluation(communityId, { satisfiedThreshold: 1.01, basicallySatisfiedThreshold: 0.6 }))).toBe('input.satisfiedThreshold');
      expect(fieldOf(() => configureEvaluation(communityId, { satisfiedThreshold: 0.8, basicallySatisfiedThreshold: 0 }))).toBe('input.basicallySatisfiedThreshold');
      expect(codeOf(() => configureEvaluation(communityId, { satisfiedThreshold: Number.NaN, basicallySatisfiedThreshold: 0.5 }))).toBe('BAD_USER_INPUT R-E7');
    });

    it('R-E7 a valid session is graded and announced with totals only', () => {
      const { session, event } = close(5, ballots(3, 1, 1));
      expect(session).toMatchObject({ status: 'CONCLUDED', grade: 'EXCELLENT', excellent: 3, competent: 1, incompetent: 1, satisfactionRate: 0.8, satisfactionLevel: 'SATISFIED', concludedAt: now });
      expect(sessionConcluded.schema.parse(event)).toEqual(event);
      expect(Object.keys(event).sort()).toEqual(
        ['communityId', 'competent', 'concludedAt', 'eligible', 'excellent', 'grade', 'incompetent', 'participated', 'satisfactionLevel', 'satisfactionRate', 'sessionId', 'subjectKind', 'title', 'valid'].sort(),
      );
    });
  });

  describe('R-E6 secret ballot, one per voter', () => {
    const session = () => open(5);

    it('R-E6 participation and ballot share nothing but the session', () => {
      const { participation, ballot, participated } = castBallot(session(), { voterId: rep(1), alreadyVoted: false }, { grade: 'COMPETENT' }, 'b-1');
      expect(participation).toEqual({ sessionId: session().id, voterId: rep(1) });
      expect(ballot).toEqual({ id: 'b-1', sessionId: session().id, grade: 'COMPETENT' });
      expect(JSON.stringify(ballot)).not.toContain(rep(1));
      expect(participated).toBe(1);
    });

    it('R-E6 a representative votes at most once per session', () => {
      const again = () => castBallot(session(), { voterId: rep(1), alreadyVoted: true }, { grade: 'EXCELLENT' }, 'b');
      expect(codeOf(again)).toBe('CONFLICT R-E6');
      expect(fieldOf(again)).toBe('input.sessionId');
    });

    it('R-E5 a caller not on the session’s roll is refused', () => {
      const refuse = () => castBallot(session(), { voterId: null, alreadyVoted: false }, { grade: 'EXCELLENT' }, 'b');
      expect(codeOf(refuse)).toBe('FORBIDDEN R-E5');
      expect(fieldOf(refuse)).toBe('input.sessionId');
    });

    it('R-E4 a closed session takes no ballots and cannot be closed twice', () => {
      const { session: closed } = close(5, ballots(4, 0, 0));
      expect(codeOf(() => castBallot(closed, { voterId: rep(5), alreadyVoted: false }, { grade: 'EXCELLENT' }, 'b'))).toBe('CONFLICT R-E4');
      expect(codeOf(() => closeSession(closed, { participated: 4, ballots: ballots(4, 0, 0) }, now))).toBe('CONFLICT R-E4');
    });

    it('rejects malformed grades (the voter is the caller, never an input)', () => {
      const bad = () => castBallot(session(), { voterId: rep(1), alreadyVoted: false }, { grade: 'GOOD' }, 'b');
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      expect(fieldOf(bad)).toBe('input.grade');
      // a malformed grade is refused before anything about the caller is said
      expect(codeOf(() => castBallot(session(), { voterId: null, alreadyVoted: false }, { grade: 'GOOD' }, 'b'))).toBe('BAD_USER_INPUT');
    });

    it('R-E6 mixing the box keeps the grades, renews every id and orders by the new ids', () => {
      const before = ballots(2, 3, 1);
      const mixed = mixBallots(before, randomUUID);
      expect(tally(mixed)).toEqual(tally(before));
      expect(mixed.map((b) => b.id).filter((id) => before.some((b) => b.id === id))).toEqual([]);
      expect(mixed.map((b) => b.id)).toEqual(mixed.map((b) => b.id).sort());
    });

    it('participations and ballots must match when counting', () => {
      expect(codeOf(() => closeSession(session(), { participated: 4, ballots: ballots(3, 0, 0) }, now))).toBe('OTHER');
    });
  });

  it('validates the session input', () => {
    const bad = (cmd: { title: string; subjectKind: string; subjectId?: string | null }) => fieldOf(() => openSession('s', communityId, cmd, roll(3), defaults, now));
    expect(bad({ title: '', subjectKind: 'SERVICE' })).toBe('input.title');
    expect(bad({ title: 'x'.repeat(201), subjectKind: 'SERVICE' })).toBe('input.title');
    expect(bad({ title: 'x'.repeat(200), subjectKind: 'SERVICE' })).toBeUndefined();
    expect(bad({ title: 't', subjectKind: 'MAYOR' })).toBe('input.subjectKind');
    expect(bad({ title: 't', subjectKind: 'COMMITTEE_MEMBER', subjectId: 'nope' })).toBe('input.subjectId');
    const { session } = openSession('s', communityId, { title: ' 评议 ', subjectKind: 'SERVICE' }, roll(3), defaults, now);
    expect(session).toMatchObject({ title: '评议', status: 'OPEN', openedOn: '2026-08-20', eligible: 3, participated: 0, excellent: null, grade: null, valid: null });
  });
});
