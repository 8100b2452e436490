/** Evaluation service 民主评议: module registration (entities, GraphQL, handlers) for its app and tests. */
export { evaluationModule } from './module';
export * from './sessions/entities';
export * from './settings/entities';
