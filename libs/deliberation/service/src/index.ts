/** Deliberation service: module registration (entities, GraphQL, handlers) for its app and tests. */
export { deliberationModule } from './module';
export * from './motions/entities';
export * from './meetings/entities';
export * from './resolutions/entities';
