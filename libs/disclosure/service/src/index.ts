/** Disclosure service: module registration (entities, GraphQL, handlers) for its app and tests. */
export { disclosureModule } from './module';
export * from './notices/entities';
export * from './supervisors/entities';
export * from './settings/entities';
