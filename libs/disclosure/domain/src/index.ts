/**
 * Disclosure rules (DOMAIN.md §3, 居务公开): notices drafted from decisions, reviewed by the
 * supervision committee, published once and never changed. Plain TypeScript: every function
 * takes the current state and the command, checks the rules and returns the new state (plus
 * the event that announces it). No database, no GraphQL.
 */
export * from './model';
export * from './rules';
