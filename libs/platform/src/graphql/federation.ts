import 'reflect-metadata';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { buildSchema, createResolversMap, type AuthChecker, type NonEmptyArray } from 'type-graphql';

/** Federation 2 features our subgraphs use. */
export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides"])';

export interface ReferenceResolver<Ctx = unknown> {
  __resolveReference(reference: { id: string }, context: Ctx): unknown;
}

export interface SubgraphSchemaOptions<Ctx extends object = object> {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  /** `__resolveReference` per federated entity, e.g. `{ Community: { __resolveReference } }` */
  referenceResolvers?: Record<string, ReferenceResolver<Ctx>>;
  authChecker?: AuthChecker<Ctx>;
}

export interface SubgraphSchema {
  schema: GraphQLSchema;
  /** The subgraph SDL as composition sees it (what `schema.graphql` commits) */
  sdl: string;
}

/**
 * type-graphql classes → SDL with directives (`@key` …) → `buildSubgraphSchema`.
 * type-graphql owns types and resolvers; @apollo/subgraph adds `_entities`/`_service` and
 * the reference resolvers.
 */
export async function buildSubgraph<Ctx extends object>(opts: SubgraphSchemaOptions<Ctx>): Promise<SubgraphSchema> {
  const tg = await buildSchema({
    resolvers: opts.resolvers,
    orphanedTypes: opts.orphanedTypes,
    authChecker: opts.authChecker,
    validate: false,
    skipCheck: true,
  });
  const typeDefs = gql(`${FEDERATION_LINK}\n\n${printSchemaWithDirectives(tg)}`);
  const resolvers = createResolversMap(tg) as Record<string, Record<string, unknown>>;
  for (const [type, ref] of Object.entries(opts.referenceResolvers ?? {})) {
    resolvers[type] = { ...(resolvers[type] ?? {}), __resolveReference: ref.__resolveReference };
  }
  const schema = buildSubgraphSchema([{ typeDefs, resolvers: resolvers as never }]);
  return { schema, sdl: printSubgraphSchema(schema) };
}
