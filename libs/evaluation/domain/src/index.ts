/**
 * Evaluation rules (DOMAIN.md §4, 民主评议): who may vote in a session, how a secret ballot is
 * kept apart from the fact of voting, and how a closed session is counted and graded.
 * Plain TypeScript: every function takes the current state and the command, checks the rules
 * and returns the new state plus the event that announces it. No database, no GraphQL.
 */
export * from './model';
export * from './rules';
