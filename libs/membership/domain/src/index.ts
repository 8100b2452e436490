/**
 * Membership rules (DOMAIN.md §1): who lives where, who represents whom, who sits on which body.
 * Plain TypeScript: every function takes the current state and the command, checks the rules
 * and returns the new state plus the event that announces it. No database, no GraphQL.
 */
export * from './model';
export * from './rules';
