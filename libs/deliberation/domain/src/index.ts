/**
 * Deliberation rules (DOMAIN.md §2): motions 议案, meetings of the residents' representative
 * assembly 居民代表会议 and their resolutions 决议. Plain TypeScript: every function takes the
 * current state and the command, checks the rules and returns the new state plus the events
 * that announce it. No database, no GraphQL.
 */
export * from './model';
export * from './rules';
