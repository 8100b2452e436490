/** Membership service: module registration (entities, GraphQL, handlers) for its app and tests. */
export { membershipModule } from './module';
export * from './communities/entities';
export * from './residents/entities';
export * from './representatives/entities';
export * from './bodies/entities';
